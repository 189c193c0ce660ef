"""catalog.services.streaming_titles_match: a streaming film joins the one catalog film with its title and year."""

from __future__ import annotations

import pytest

from catalog.services import streaming_titles_match
from tests.factories import MovieFactory, StreamingTitleFactory

pytestmark = pytest.mark.django_db


def test_a_title_and_year_shared_by_two_films_matches_neither() -> None:
    MovieFactory(title="Hamlet", release_year=1990)
    MovieFactory(title="Hamlet", release_year=1990)
    only = MovieFactory(title="Henry V", release_year=1989)
    ambiguous = StreamingTitleFactory(title="Hamlet", release_year=1990)
    clear = StreamingTitleFactory(title="Henry V", release_year=1989)

    assert streaming_titles_match() == 1

    ambiguous.refresh_from_db()
    clear.refresh_from_db()
    assert ambiguous.movie_id is None
    assert clear.movie_id == only.pk


@pytest.mark.parametrize(
    ("on_the_platform", "in_the_catalog"),
    [
        ("Spider-Man: Far From Home", "Spider-Man Far from Home"),
        ("Mission: Impossible – Fallout", "Mission: Impossible - Fallout"),  # noqa: RUF001 - the en dash is the test
        ("Free Willy 2: The Adventure Home", "Free Willy 2 - The Adventure Home"),
        ("Marvel Studios’ Avengers: Endgame", "Marvel Studios' Avengers: Endgame"),  # noqa: RUF001 - curly apostrophe
        ("Oliver & Company", "Oliver and Company"),
        ("Shall We Dance?", "Shall We Dance"),
    ],
)
def test_a_title_spelt_with_other_punctuation_matches_its_film(on_the_platform: str, in_the_catalog: str) -> None:
    film = MovieFactory(title=in_the_catalog, release_year=2019)
    title = StreamingTitleFactory(title=on_the_platform, release_year=2019)

    assert streaming_titles_match() == 1

    title.refresh_from_db()
    assert title.movie_id == film.pk


def test_two_films_one_title_apart_only_in_punctuation_match_neither() -> None:
    MovieFactory(title="Face/Off", release_year=1997)
    MovieFactory(title="Face Off", release_year=1997)
    title = StreamingTitleFactory(title="Face-Off", release_year=1997)

    assert streaming_titles_match() == 0

    title.refresh_from_db()
    assert title.movie_id is None


def test_the_same_title_two_years_apart_is_another_film() -> None:
    MovieFactory(title="The Saint", release_year=1997)
    MovieFactory(title="Stonewall", release_year=1995)
    remake = StreamingTitleFactory(title="The Saint", release_year=2017)
    two_years_off = StreamingTitleFactory(title="Stonewall", release_year=1997)

    assert streaming_titles_match() == 0

    remake.refresh_from_db()
    two_years_off.refresh_from_db()
    assert (remake.movie_id, two_years_off.movie_id) == (None, None)


def test_a_title_with_no_film_of_its_year_matches_the_one_a_year_either_side() -> None:
    # Prime Video lists The African Queen in 1952, MovieLens and TMDB in 1951.
    african_queen = MovieFactory(title="The African Queen", release_year=1951)
    love_bug = MovieFactory(title="The Love Bug", release_year=1969)
    a_year_later = StreamingTitleFactory(title="The African Queen", release_year=1952)
    a_year_earlier = StreamingTitleFactory(title="The Love Bug", release_year=1968)

    assert streaming_titles_match() == 2

    a_year_later.refresh_from_db()
    a_year_earlier.refresh_from_db()
    assert (a_year_later.movie_id, a_year_earlier.movie_id) == (african_queen.pk, love_bug.pk)


def test_a_film_of_the_year_wins_over_one_a_year_either_side() -> None:
    crash = MovieFactory(title="Crash", release_year=1996)
    MovieFactory(title="Crash", release_year=1997)
    title = StreamingTitleFactory(title="Crash", release_year=1996)

    assert streaming_titles_match() == 1

    title.refresh_from_db()
    assert title.movie_id == crash.pk


def test_films_a_year_either_side_or_two_of_the_year_match_neither() -> None:
    # One film the year before and one the year after: either could be the platform's.
    MovieFactory(title="Little Women", release_year=1993)
    MovieFactory(title="Little Women", release_year=1995)
    # Two films of the year: the year either side is not looked at.
    MovieFactory(title="Hamlet", release_year=1990)
    MovieFactory(title="Hamlet", release_year=1990)
    MovieFactory(title="Hamlet", release_year=1991)
    between = StreamingTitleFactory(title="Little Women", release_year=1994)
    ambiguous = StreamingTitleFactory(title="Hamlet", release_year=1990)

    assert streaming_titles_match() == 0

    between.refresh_from_db()
    ambiguous.refresh_from_db()
    assert (between.movie_id, ambiguous.movie_id) == (None, None)


def test_a_match_made_a_year_off_moves_to_the_film_of_the_year_when_it_arrives() -> None:
    MovieFactory(title="The African Queen", release_year=1951)
    title = StreamingTitleFactory(title="The African Queen", release_year=1952)
    streaming_titles_match()

    same_year = MovieFactory(title="The African Queen", release_year=1952)

    assert streaming_titles_match() == 1
    title.refresh_from_db()
    assert title.movie_id == same_year.pk
