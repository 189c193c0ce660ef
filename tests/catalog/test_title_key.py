"""catalog.text.title_key: one key for the spellings of a title that differ in typography only."""

from __future__ import annotations

import importlib

import pytest

from catalog.text import normalize_title, title_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # A colon and a hyphen on a platform, neither in TMDB.
        ("Spider-Man: Far From Home", "Spider-Man Far from Home"),
        ("Spider-Man", "Spider Man"),
        # A hyphen and an en dash; a colon and a spaced hyphen (TMDB and MovieLens 100K).
        ("Mission: Impossible - Fallout", "Mission: Impossible – Fallout"),  # noqa: RUF001 - the en dash is the test
        ("Free Willy 2 - The Adventure Home", "Free Willy 2: The Adventure Home"),
        # A straight and a curly apostrophe (Disney+ and Hulu write the curly one).
        ("Schindler's List", "Schindler’s List"),  # noqa: RUF001 - the curly apostrophe is the test
        ("Final Hours, America’s Longest War", "Final Hours, Americas Longest War"),  # noqa: RUF001
        ("Oliver & Company", "Oliver and Company"),
        ("Shall We Dance?", "Shall We Dance"),
        ('"Crocodile" Dundee', "Crocodile Dundee"),
        ("LEGO Star Wars:\u00a0The New Yoda Chronicles", "Lego Star Wars The New Yoda Chronicles"),
        ("The Memphis Belle: A Story of a\nFlying Fortress", "The Memphis Belle A Story of a Flying Fortress"),
        ("Amélie", "AMELIE"),
    ],
)
def test_it_gives_typographic_variants_of_a_title_one_key(one: str, other: str) -> None:
    assert title_key(one) == title_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Apollo 11", "Apollo 13"),
        ("Se7en", "Seven"),
        ("The Saint", "Saint"),
        ("Heat", "Heath"),
    ],
)
def test_it_keeps_titles_that_differ_in_words_apart(one: str, other: str) -> None:
    assert title_key(one) != title_key(other)


def test_it_keeps_letters_digits_and_marks_of_every_script() -> None:
    assert title_key("Spider-Man: Far From Home") == "spider man far from home"
    assert title_key("千と千尋の神隠し") == "千と千尋の神隠し"
    assert title_key("Тихий Дон (1957)") == "тихии дон 1957"


def test_a_title_of_punctuation_alone_has_an_empty_key() -> None:
    assert title_key(" ?!… — ") == ""
    assert title_key(None) == ""


def test_it_is_the_same_key_whether_given_the_title_or_its_normalised_form() -> None:
    title = "L’Avventura: Monica Vitti & Co."  # noqa: RUF001 - the curly apostrophe is the test
    assert title_key(normalize_title(title)) == title_key(title) == "lavventura monica vitti and co"


def test_the_migration_copy_gives_the_same_keys() -> None:
    migration = importlib.import_module("catalog.migrations.0015_title_keys_punctuation_aside")
    titles = ["Spider-Man: Far From Home", "Schindler’s List", "Oliver & Company", " Amélie\u200b", "ʼ´`"]  # noqa: RUF001
    assert [migration._punctuation_aside(title) for title in titles] == [title_key(title) for title in titles]
    assert [migration._normalized(title) for title in titles] == [normalize_title(title) for title in titles]
