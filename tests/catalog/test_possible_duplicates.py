"""Films already stored twice are found for curators (catalog.selectors.film_possible_duplicates).

Each pair comes with its reason, strongest first; films that only share a
title are left out when their ids or directors tell them apart, and so are
pairs a curator said are two films.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import IntegrityError

from catalog.models import DistinctFilmPair, Movie
from catalog.selectors import DuplicateReason, film_possible_duplicates
from catalog.services import catalog_import, film_merge, film_pair_dismiss, movies_delete
from tests.catalog import fixtures_import as fx
from tests.factories import CrewCreditFactory, MovieFactory, PersonFactory

pytestmark = pytest.mark.django_db


def listed() -> list[tuple[int, int, DuplicateReason]]:
    return [(pair.first_id, pair.second_id, pair.reason) for pair in film_possible_duplicates()]


def tmdb_film(title: str, year: int = 2000, **fields: object) -> Movie:
    return MovieFactory(title=title, release_date=dt.date(year, 6, 1), **fields)


def movielens_only(title: str, year: int, **fields: object) -> Movie:
    """A film written from a MovieLens list alone: no TMDB or IMDb id."""
    return MovieFactory(title=title, release_date=None, release_year=year, tmdb_id=None, imdb_id="", **fields)


def test_two_films_with_one_imdb_id_are_listed_as_certain() -> None:
    first = tmdb_film("Heat", imdb_id="tt0113277")
    second = tmdb_film("Heat (1995 version)", imdb_id="tt0113277")

    assert listed() == [(first.pk, second.pk, DuplicateReason.SAME_IMDB_ID)]


def test_a_film_without_ids_and_a_tmdb_film_of_the_same_title_key_a_year_apart_are_listed() -> None:
    from_tmdb = tmdb_film("Spider-Man: Far From Home", 2019)
    from_movielens = movielens_only("Spider Man - Far from Home", 2018)

    assert listed() == [(from_tmdb.pk, from_movielens.pk, DuplicateReason.SAME_TITLE_YEAR_APART)]


def test_a_title_that_is_the_other_films_original_title_is_listed() -> None:
    from_tmdb = tmdb_film("Pan's Labyrinth", 2006, original_title="El laberinto del fauno")
    from_movielens = movielens_only("El Laberinto del Fauno", 2006)

    assert listed() == [(from_tmdb.pk, from_movielens.pk, DuplicateReason.ORIGINAL_TITLE_SAME_YEAR)]


def test_a_remake_six_years_later_is_not_listed() -> None:
    tmdb_film("Hamlet", 1990)
    movielens_only("Hamlet", 1996)

    assert listed() == []


def test_two_films_of_one_title_and_year_known_to_tmdb_and_imdb_under_different_ids_are_not_listed() -> None:
    tmdb_film("Crash", 2004, tmdb_id=1640, imdb_id="tt0375679")
    tmdb_film("Crash", 2004, tmdb_id=990001, imdb_id="tt9900001")

    assert listed() == []


def test_two_films_of_one_title_and_year_with_tmdb_ids_and_different_directors_are_not_listed() -> None:
    # The second has no IMDb id, so only its director tells it apart from the first.
    first = tmdb_film("Crash", 2004, tmdb_id=1640, imdb_id="tt0375679")
    second = tmdb_film("Crash", 2004, tmdb_id=990001, imdb_id="")
    CrewCreditFactory(movie=first, person=PersonFactory(name="Paul Haggis"))
    CrewCreditFactory(movie=second, person=PersonFactory(name="Someone Else"))

    assert listed() == []


def test_two_films_whose_directors_share_a_name_are_listed_though_the_people_are_two_records() -> None:
    first = tmdb_film("Crash", 2004, tmdb_id=1640, imdb_id="tt0375679")
    second = tmdb_film("Crash", 2004, tmdb_id=990001, imdb_id="")
    CrewCreditFactory(movie=first, person=PersonFactory(name="Paul Haggis"))
    CrewCreditFactory(movie=second, person=PersonFactory(name="Paul Hággis"))
    # A producer of the second film is no director: the directors decide.
    CrewCreditFactory(movie=second, person=PersonFactory(name="Bob Yari"), department="Production", job="Producer")

    assert listed() == [(first.pk, second.pk, DuplicateReason.SAME_TITLE_SAME_YEAR)]


def test_a_pair_is_listed_once_under_its_strongest_reason_and_the_strongest_come_first() -> None:
    a_year_apart = (tmdb_film("Twice", 1994), movielens_only("Twice", 1995))
    same_imdb = (tmdb_film("Heat", imdb_id="tt0113277"), tmdb_film("Heat", imdb_id="tt0113277"))

    assert listed() == [
        (same_imdb[0].pk, same_imdb[1].pk, DuplicateReason.SAME_IMDB_ID),
        (a_year_apart[0].pk, a_year_apart[1].pk, DuplicateReason.SAME_TITLE_YEAR_APART),
    ]


def test_a_pair_a_curator_told_apart_is_not_listed_whichever_way_round() -> None:
    first, second = tmdb_film("Heat"), movielens_only("Heat", 2000)
    other = movielens_only("Heat", 2001)

    film_pair_dismiss(first=second, second=first)
    film_pair_dismiss(first=first, second=second)

    assert list(DistinctFilmPair.objects.values_list("first_movie_id", "second_movie_id")) == [(first.pk, second.pk)]
    assert listed() == [
        (first.pk, other.pk, DuplicateReason.SAME_TITLE_YEAR_APART),
        (second.pk, other.pk, DuplicateReason.SAME_TITLE_YEAR_APART),
    ]


def test_the_database_keeps_one_row_per_pair_with_the_lower_id_first() -> None:
    first, second = MovieFactory(), MovieFactory()
    DistinctFilmPair.objects.create(first_movie=first, second_movie=second)

    with pytest.raises(IntegrityError):
        DistinctFilmPair.objects.create(first_movie=second, second_movie=first)


def test_a_film_cannot_be_told_apart_from_itself() -> None:
    film = MovieFactory()

    with pytest.raises(ValueError, match="itself"):
        film_pair_dismiss(first=film, second=film)


def test_a_merged_pair_is_gone_and_so_are_the_duplicates_dismissals() -> None:
    keep, duplicate = tmdb_film("Heat"), movielens_only("Heat", 2000)
    other = movielens_only("Heat", 2001)
    film_pair_dismiss(first=duplicate, second=other)

    film_merge(keep=keep, duplicate=duplicate)

    assert not DistinctFilmPair.objects.exists()
    assert listed() == [(keep.pk, other.pk, DuplicateReason.SAME_TITLE_YEAR_APART)]


def test_deleting_a_film_deletes_its_dismissals() -> None:
    first, second = tmdb_film("Heat"), movielens_only("Heat", 2000)
    film_pair_dismiss(first=first, second=second)

    movies_delete(movies=Movie.objects.filter(pk=second.pk))

    assert not DistinctFilmPair.objects.exists()


def test_a_dismissal_survives_reimporting_the_films(tmp_path: Path) -> None:
    metadata = [
        fx.METADATA_HEADER,
        fx.metadata_row(id="9000001", imdb_id="tt9000001", title="Plain Film"),
        fx.metadata_row(id="9000002", imdb_id="", title="Plain Film"),
    ]
    fx.write_text(tmp_path / "tmd" / "movies_metadata.csv", "\n".join(metadata) + "\n")
    catalog_import(paths=[tmp_path / "tmd"])
    first, second = Movie.objects.get(tmdb_id=9000001), Movie.objects.get(tmdb_id=9000002)
    assert listed() == [(first.pk, second.pk, DuplicateReason.SAME_TITLE_SAME_YEAR)]
    film_pair_dismiss(first=first, second=second)

    catalog_import(paths=[tmp_path / "tmd"])

    assert DistinctFilmPair.objects.filter(first_movie=first, second_movie=second).exists()
    assert listed() == []
