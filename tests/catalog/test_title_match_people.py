"""catalog.importers.title_match's people rules and catalog.text.person_name_key, without the database."""

from __future__ import annotations

import pytest

from catalog.importers.title_match import directors_differ, film_by_people, listed_names
from catalog.text import person_name_key

HAMLET_BRANAGH, HAMLET_ZEFFIRELLI = 1, 2


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bert I. Gordon", "Bert I Gordon"),
        ("B.J. Rogers", "BJ Rogers"),
        ("B. J. Rogers", "B.J. Rogers"),
        ("Pedro Almodóvar", "PEDRO ALMODOVAR"),
        ("Jean-Pierre Jeunet", "Jean Pierre Jeunet"),
        ("Louis C.K.", "Louis CK"),
        ("Joachim R\u00f8nning", "Joachim Ronning"),
        ("\u0141ukasz Ko\u015bmicki", "Lukasz Kosmicki"),
        ("Robert Downey Jr.", "Robert Downey"),
        ("Hoyt Yeatman IV", "Hoyt Yeatman"),
    ],
)
def test_a_name_spelt_with_other_punctuation_has_one_key(one: str, other: str) -> None:
    assert person_name_key(one) == person_name_key(other)


def test_initials_join_only_among_themselves() -> None:
    assert person_name_key("Bert I. Gordon") == "bert i gordon"
    assert person_name_key("Guillermo del Toro") == "guillermo del toro"
    # A first name that reads like a generation is a name.
    assert person_name_key("Ii Jung") == "ii jung"


def test_a_cell_lists_its_names_by_comma() -> None:
    assert listed_names(" Joel Coen,Ethan Coen, ,") == {"joel coen", "ethan coen"}
    # The comma before a generation splits no name off.
    assert listed_names("Sammy Davis, Jr., Ossie Davis") == {"sammy davis", "ossie davis"}
    assert listed_names("") == frozenset()


@pytest.mark.parametrize(
    ("title", "film", "differ"),
    [
        ("Ernest Dickerson", "Phillip Noyce", True),
        ("Roland Emmerich, Ann Smith", "Nigel Finch", True),
        ("", "Phillip Noyce", False),
        ("Phillip Noyce", "", False),
        ("Bert Gordon", "Bert I. Gordon", False),
        ("Zhang Yimou", "Yimou Zhang", False),
        ("Rajkumar Hirani", "Raj Kumar Hirani", False),
        ("Anthony Russo, Joe Russo", "Joe Russo", False),
        ("Joachim R\u00f8nning", "Joachim Ronning", False),
    ],
)
def test_directors_differ_only_when_both_are_known_and_nobody_could_be_on_both_lists(
    title: str, film: str, differ: bool
) -> None:
    assert directors_differ(listed_names(title), listed_names(film)) is differ


def choose(directors: str, cast: str, films: dict[int, tuple[str, str]]) -> int | None:
    """film_by_people over `films`: pk → (its directors, its cast), as cells."""
    return film_by_people(
        set(films),
        directors=listed_names(directors),
        cast=listed_names(cast),
        directors_of={pk: listed_names(made[0]) for pk, made in films.items()},
        cast_of={pk: listed_names(made[1]) for pk, made in films.items()},
    )


def test_one_candidate_is_the_film_unless_its_directors_differ() -> None:
    assert choose("", "", {HAMLET_BRANAGH: ("", "")}) == HAMLET_BRANAGH
    assert choose("Kenneth Branagh", "", {HAMLET_BRANAGH: ("Kenneth Branagh", "")}) == HAMLET_BRANAGH
    assert choose("Franco Zeffirelli", "", {HAMLET_BRANAGH: ("Kenneth Branagh", "")}) is None


@pytest.mark.parametrize(
    ("directors", "cast", "films", "chosen"),
    [
        ("Franco Zeffirelli", "", {1: ("Kenneth Branagh", ""), 2: ("Franco Zeffirelli", "")}, 2),
        ("Franco Zeffirelli", "", {1: ("Franco Zeffirelli", ""), 2: ("Franco Zeffirelli", "")}, None),
        ("Franco Zeffirelli", "", {1: ("", ""), 2: ("", "")}, None),
        ("", "Mel Gibson", {1: ("", "Kate Winslet"), 2: ("", "Mel Gibson")}, 2),
        ("", "Mel Gibson", {1: ("", "Mel Gibson"), 2: ("", "Mel Gibson")}, None),
        # A director known on a candidate, not the same key as the row's: the cast does not overrule it.
        ("Bert Gordon", "Mel Gibson", {1: ("Bert I. Gordon", ""), 2: ("", "Mel Gibson")}, None),
        # The other film refused: the one left is not chosen with nothing naming it.
        ("Franco Zeffirelli", "", {1: ("Kenneth Branagh", ""), 2: ("", "")}, None),
    ],
)
def test_of_several_candidates_only_one_named_by_its_people_is_chosen(
    directors: str, cast: str, films: dict[int, tuple[str, str]], chosen: int | None
) -> None:
    assert choose(directors, cast, films) == chosen
