"""catalog.services.streaming_titles_match: a streaming film joins the one catalog film with its title and year."""

from __future__ import annotations

import pytest

from catalog.models import StreamingTitle
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


@pytest.mark.parametrize(
    ("on_the_platform", "in_the_catalog"),
    [
        ("Thappad (4K UHD)", "Thappad"),
        ("Amélie [English Subtitled]", "Amélie"),
        ("Akira (Dubbed)", "Akira"),
        ("(Dub) Mass Effect: Paragon Lost", "Mass Effect: Paragon Lost"),
        ("Seven (Telugu)", "Seven"),
        ("Aliens (Extended Edition)", "Aliens"),
        ("Kingdom of Heaven (Director's Cut)", "Kingdom of Heaven"),
        ("Payback (Theatrical Version)", "Payback"),
        ("Amazing Grace (2019)", "Amazing Grace"),
        ("Marvel's Iron Man & Hulk: Heroes United", "Iron Man & Hulk: Heroes United"),
        ("Marvel Studios' Captain America: The Winter Soldier", "Captain America: The Winter Soldier"),
        ("Dr. Seuss' The Lorax", "The Lorax"),
    ],
)
def test_a_title_the_platform_decorated_matches_its_film(on_the_platform: str, in_the_catalog: str) -> None:
    film = MovieFactory(title=in_the_catalog, release_year=2019)
    title = StreamingTitleFactory(title=on_the_platform, release_year=2019)

    assert streaming_titles_match() == 1

    title.refresh_from_db()
    assert title.movie_id == film.pk


def test_a_decorated_title_takes_the_one_film_a_year_either_side_only_when_none_is_of_its_year() -> None:
    african_queen = MovieFactory(title="The African Queen", release_year=1951)
    crash = MovieFactory(title="Crash", release_year=1996)
    MovieFactory(title="Crash", release_year=1997)
    a_year_later = StreamingTitleFactory(title="The African Queen (4K UHD)", release_year=1952)
    of_its_year = StreamingTitleFactory(title="Crash (Unrated)", release_year=1996)

    assert streaming_titles_match() == 2

    a_year_later.refresh_from_db()
    of_its_year.refresh_from_db()
    assert (a_year_later.movie_id, of_its_year.movie_id) == (african_queen.pk, crash.pk)


def test_a_decorated_title_takes_no_film_the_undecorated_title_finds_ambiguous() -> None:
    MovieFactory(title="Hamlet", release_year=1990)
    MovieFactory(title="Hamlet", release_year=1990)
    MovieFactory(title="Little Women", release_year=1993)
    MovieFactory(title="Little Women", release_year=1995)
    two_of_its_year = StreamingTitleFactory(title="Hamlet (Director's Cut)", release_year=1990)
    one_either_side = StreamingTitleFactory(title="Little Women (4K UHD)", release_year=1994)

    assert streaming_titles_match() == 0

    two_of_its_year.refresh_from_db()
    one_either_side.refresh_from_db()
    assert (two_of_its_year.movie_id, one_either_side.movie_id) == (None, None)


def test_the_title_as_given_comes_before_the_undecorated_title() -> None:
    # TMDB has known the 2012 film under both titles; a store holding both picks the platform's spelling.
    marvels = MovieFactory(title="Marvel's The Avengers", release_year=2012)
    MovieFactory(title="The Avengers", release_year=2012)
    # Two films of the title as given: ambiguous, and the decoration-free reading is not tried.
    MovieFactory(title="Ghost Team (Unrated)", release_year=2016)
    MovieFactory(title="Ghost Team (Unrated)", release_year=2016)
    MovieFactory(title="Ghost Team", release_year=2016)
    as_given = StreamingTitleFactory(title="Marvel's The Avengers", release_year=2012)
    ambiguous = StreamingTitleFactory(title="Ghost Team (Unrated)", release_year=2016)

    assert streaming_titles_match() == 1

    as_given.refresh_from_db()
    ambiguous.refresh_from_db()
    assert (as_given.movie_id, ambiguous.movie_id) == (marvels.pk, None)


def test_a_title_whose_brackets_or_possessive_are_its_own_keeps_them() -> None:
    airplane = MovieFactory(title="Airplane!", release_year=1980)
    MovieFactory(title="Days of Summer", release_year=2009)
    MovieFactory(title="Labyrinth", release_year=2006)
    MovieFactory(title="Star Wars: The Rise of Skywalker", release_year=2019)
    exclaimed = StreamingTitleFactory(title="Airplane!", release_year=1980)
    bracketed = StreamingTitleFactory(title="(500) Days of Summer", release_year=2009)
    possessive = StreamingTitleFactory(title="Pan's Labyrinth", release_year=2006)
    # "(Episode IX)" is not in the list of decorations: left for a curator.
    episode = StreamingTitleFactory(title="Star Wars: The Rise of Skywalker (Episode IX)", release_year=2019)

    assert streaming_titles_match() == 1

    for title in (exclaimed, bracketed, possessive, episode):
        title.refresh_from_db()
    assert exclaimed.movie_id == airplane.pk
    assert (bracketed.movie_id, possessive.movie_id, episode.movie_id) == (None, None, None)


def test_a_curators_match_of_a_decorated_title_is_left_alone() -> None:
    thappad = MovieFactory(title="Thappad", release_year=2020)
    chosen = MovieFactory(title="Thappad: The Slap", release_year=2020)
    locked = StreamingTitleFactory(title="Thappad (4K UHD)", release_year=2020, movie=chosen, match_locked=True)
    locked_unmatched = StreamingTitleFactory(title="Thappad (Hindi)", release_year=2020, match_locked=True)

    assert streaming_titles_match() == 0

    locked.refresh_from_db()
    locked_unmatched.refresh_from_db()
    assert (locked.movie_id, locked_unmatched.movie_id) == (chosen.pk, None)
    assert thappad.streaming_titles.count() == 0


def test_matches_written_over_several_batches_each_reach_their_own_title(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("catalog.services._MATCH_WRITE_BATCH", 2)
    films = [MovieFactory(title=f"Batch {index}", release_year=2000 + index) for index in range(5)]
    titles = [StreamingTitleFactory(title=f"Batch {index}", release_year=2000 + index) for index in range(5)]
    MovieFactory(title="Twice", release_year=1999)
    MovieFactory(title="Twice", release_year=1999)
    ambiguous = StreamingTitleFactory(title="Twice", release_year=1999, movie=films[0])

    assert streaming_titles_match() == 6

    assert [StreamingTitle.objects.get(pk=title.pk).movie_id for title in titles] == [film.pk for film in films]
    assert StreamingTitle.objects.get(pk=ambiguous.pk).movie_id is None
