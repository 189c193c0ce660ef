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
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

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
