"""Telling that a film of one dataset is a film already stored from another, by its title and year.

TMDB and the MovieLens film lists (100K's u.item, 1M/10M's movies.dat,
ml-latest's movies.csv without its links.csv) name no common id, so the one
film must be found by title and year, whichever file comes first. Titles are
compared by `title_key` (case, accents and punctuation aside). A film of the
same year wins; otherwise one a year either side (the datasets disagree by a
year on some films: MovieLens 100K dates The Love Bug 1969, TMDB 1968). Only
one-to-one pairs count: a row that could be two stored films, or a stored
film that two rows could be, stays separate, since merging two films wrongly
is worse than keeping a duplicate a curator can merge.

The streaming catalogs name a film's directors and cast: `film_by_people`
lets them choose among the films a title and year find, and refuse one
whose directors are not the title's.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from catalog.text import person_name_key

Key = TypeVar("Key", bound=Hashable)

# (title key, release year) → the stored films (primary keys) with that title and year.
TitleYearIndex = dict[tuple[str, int], list[int]]


def title_year_index(films: Iterable[tuple[int, Iterable[str], int | None]]) -> TitleYearIndex:
    """Index stored films, given as (pk, their title keys, release year); films without a year are left out."""
    index: TitleYearIndex = {}
    for pk, names, year in films:
        if year is None:
            continue
        for name in set(names) - {""}:
            index.setdefault((name, year), []).append(pk)
    return index


def _films(index: TitleYearIndex, names: set[str], years: list[int]) -> set[int]:
    return {pk for name in names for year in years for pk in index.get((name, year), [])}


def candidate_films(index: TitleYearIndex, names: Iterable[str], year: int | None) -> set[int]:
    """The stored films a title with these keys and this year could be: those of its year, else a year either side."""
    keys = set(names) - {""}
    if not year or not keys:
        return set()
    return _films(index, keys, [year]) or _films(index, keys, [year - 1, year + 1])


def one_to_one_matches(index: TitleYearIndex, rows: Mapping[Key, tuple[Iterable[str], int | None]]) -> dict[Key, int]:
    """Each row (its title keys and year, under its own key) → the stored film it certainly is."""
    claims: dict[int, list[Key]] = {}
    for key, (names, year) in rows.items():
        candidates = candidate_films(index, names, year)
        if len(candidates) == 1:
            claims.setdefault(candidates.pop(), []).append(key)
    return {keys[0]: pk for pk, keys in claims.items() if len(keys) == 1}


# The people a film or a streaming title names, as `person_name_key`s: its directors and its cast.
Names = frozenset[str]


def listed_names(text: str) -> Names:
    """The names of a streaming catalog's `director` or `cast` cell ("Joel Coen, Ethan Coen")."""
    return frozenset(key for name in text.split(",") if (key := person_name_key(name)))


def _could_be_one_person(first: str, second: str) -> bool:
    """Two name keys that one person could go by: the same letters, or one's surname among the other's names.

    Lenient on purpose: it decides only that two lists of directors have
    nobody in common, which refuses a match, so "Bert Gordon" and "Bert I.
    Gordon", "Yimou Zhang" and "Zhang Yimou" must not count as two people.
    """
    first_words, second_words = first.split(), second.split()
    return (
        first.replace(" ", "") == second.replace(" ", "")
        or first_words[-1] in second_words
        or second_words[-1] in first_words
    )


def directors_differ(title_directors: Names, film_directors: Names) -> bool:
    """Both lists known and no director of one could be a director of the other."""
    return bool(title_directors and film_directors) and not any(
        _could_be_one_person(mine, theirs) for mine in title_directors for theirs in film_directors
    )


def film_by_people(
    candidates: set[int],
    *,
    directors: Names,
    cast: Names,
    directors_of: Mapping[int, Names],
    cast_of: Mapping[int, Names],
) -> int | None:
    """Of the films a title could be (`candidate_films`), the one its people say it is, or None.

    A film whose directors differ from the title's (`directors_differ`) is not
    it. One candidate left is the title's film, as with the title alone. Of two
    or more, the one film credited with one of the title's directors (the same
    `person_name_key`) is chosen; when no candidate's director is known, or the
    title names none, the one film that shares a cast member with it. Anything
    else (two films sharing a director or an actor, no evidence) chooses none.
    """
    plausible = {pk for pk in candidates if not directors_differ(directors, directors_of.get(pk, frozenset()))}
    if len(candidates) == 1:
        return next(iter(plausible), None)
    by_director = {pk for pk in plausible if directors & directors_of.get(pk, frozenset())}
    if by_director:
        return by_director.pop() if len(by_director) == 1 else None
    if directors and any(directors_of.get(pk) for pk in plausible):
        return None
    by_cast = {pk for pk in plausible if cast & cast_of.get(pk, frozenset())}
    return by_cast.pop() if len(by_cast) == 1 else None
