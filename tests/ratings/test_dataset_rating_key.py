"""A dataset rating's primary key is its (source, rater, film), packed: exact, checked, and imported so."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from django.db import IntegrityError, transaction

from catalog.models import MovieLensLink
from catalog.services import catalog_import
from ratings.models import MAX_KEY_FILM_ID, MAX_KEY_RATER_ID, MAX_KEY_SOURCE, DatasetRating, dataset_rating_key
from tests.factories import DatasetRatingFactory, MovieFactory


def test_the_key_is_one_to_one_and_sorts_like_source_rater_film() -> None:
    triples = [
        (1, 1, 1),
        (1, 1, 2),
        (1, 1, MAX_KEY_FILM_ID),
        (1, 2, 0),
        (1, MAX_KEY_RATER_ID, MAX_KEY_FILM_ID),
        (2, 0, 0),
        (MAX_KEY_SOURCE, MAX_KEY_RATER_ID, MAX_KEY_FILM_ID),
    ]
    keys = [dataset_rating_key(*triple) for triple in triples]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert max(keys) < 2**63  # a positive PostgreSQL bigint
    columns = [np.array(column, dtype=np.int64) for column in zip(*triples, strict=True)]
    assert dataset_rating_key(*columns).tolist() == keys


@pytest.mark.django_db
def test_a_saved_or_keyed_row_carries_its_key() -> None:
    saved = DatasetRatingFactory(source=2, rater_id=7)
    assert saved.pk == dataset_rating_key(2, 7, saved.movie_id)
    film = MovieFactory()
    keyed = DatasetRating.keyed(source=1, rater_id=3, movie=film, score=4.0, rated_at=0)
    DatasetRating.objects.bulk_create([keyed])
    assert DatasetRating.objects.get(pk=dataset_rating_key(1, 3, film.pk)).score == 4.0


@pytest.mark.django_db
def test_the_database_refuses_a_key_that_does_not_match_its_columns() -> None:
    film = MovieFactory()
    wrong = DatasetRating(id=12345, source=1, rater_id=3, movie=film, score=4.0, rated_at=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        DatasetRating.objects.bulk_create([wrong])
    assert not DatasetRating.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "rater_id", "movie_id"),
    [
        (1, -1, 7),  # a negative rater would borrow bits from the source
        (1, 3, -5),  # a negative film, from the rater
        (1, 3, MAX_KEY_FILM_ID + 1),  # a film beyond its bits carries into the rater's
        (-1, 3, 7),  # a negative source makes a negative key
    ],
)
def test_the_database_refuses_columns_outside_their_bits_even_with_their_formula_key(
    source: int, rater_id: int, movie_id: int
) -> None:
    row = DatasetRating(
        id=dataset_rating_key(source, rater_id, movie_id),
        source=source,
        rater_id=rater_id,
        movie_id=movie_id,
        score=4.0,
        rated_at=0,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DatasetRating.objects.bulk_create([row])
    assert not DatasetRating.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "rater_id", "movie_id"), [(0, 0, 0), (MAX_KEY_SOURCE, MAX_KEY_RATER_ID, MAX_KEY_FILM_ID)]
)
def test_the_database_takes_every_field_at_the_edges_of_its_bits(source: int, rater_id: int, movie_id: int) -> None:
    DatasetRating.objects.bulk_create(
        [DatasetRating.keyed(source=source, rater_id=rater_id, movie_id=movie_id, score=4.0, rated_at=0)]
    )
    assert DatasetRating.objects.get().pk == dataset_rating_key(source, rater_id, movie_id)


@pytest.mark.django_db
def test_the_database_refuses_a_second_rating_of_one_film_by_one_rater() -> None:
    first = DatasetRatingFactory(source=1, rater_id=3, score=4.0)
    again = DatasetRating.keyed(source=1, rater_id=3, movie=first.movie, score=2.0, rated_at=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        DatasetRating.objects.bulk_create([again])
    assert DatasetRating.objects.get().score == 4.0


@pytest.mark.django_db
def test_a_rating_of_a_film_whose_id_the_key_cannot_hold_is_rejected_with_its_reason(tmp_path: Path) -> None:
    within = MovieFactory()
    beyond = MovieFactory(pk=MAX_KEY_FILM_ID + 1)
    MovieLensLink.objects.create(movielens_id=5, movie=beyond)
    MovieLensLink.objects.create(movielens_id=6, movie=within)
    path = tmp_path / "ratings.csv"
    path.write_text("userId,movieId,rating,timestamp\n1,5,4.0,964982703\n1,6,3.0,964982704\n", encoding="utf-8")
    run = catalog_import(paths=[path])
    assert list(DatasetRating.objects.values_list("rater_id", "movie_id", "score")) == [(1, within.pk, 3.0)]
    rejected = list(csv.DictReader(io.StringIO(Path(run.rejects_path).read_text(encoding="utf-8"))))
    assert [(row["line"], row["field"], row["value"]) for row in rejected] == [("2", "movieId", "5")]
    assert "beyond what a dataset rating's key holds" in rejected[0]["reason"]
