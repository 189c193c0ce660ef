"""ratings 0008: The Movies Dataset's ratings_small.csv gets a rater source of its own.

Its users are numbered afresh, so user 1 there is not user 1 of ratings.csv.
The migration moves the rows it can attribute (the import history shows that
ratings_small.csv alone fed source 1) and leaves mixed ones alone.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ratings.models import DatasetRating, dataset_rating_key
from tests.factories import DatasetRatingFactory, ImportRunFactory, MovieFactory

BEFORE = [("ratings", "0007_constraint_messages")]
AFTER = [("ratings", "0008_dataset_sources_per_release")]


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def imported(*names: str) -> None:
    ImportRunFactory(files=[{"path": f"/data/{name}", "format": "ratings", "read": 3, "inserted": 3} for name in names])


@pytest.mark.django_db(transaction=True)
def test_rows_only_ratings_small_fed_move_to_its_source_with_their_keys() -> None:
    migrate(BEFORE)
    film = MovieFactory()
    DatasetRatingFactory(source=1, rater_id=7, movie=film, score=3.5)
    imported("ratings_small.csv.gz")

    migrate(AFTER)

    rating = DatasetRating.objects.get()
    assert (rating.source, rating.rater_id, rating.score) == (DatasetRating.Source.MOVIELENS_SMALL, 7, 3.5)
    assert rating.pk == dataset_rating_key(DatasetRating.Source.MOVIELENS_SMALL, 7, film.pk)


@pytest.mark.django_db(transaction=True)
def test_rows_of_both_files_stay_where_they_are(capsys: pytest.CaptureFixture[str]) -> None:
    migrate(BEFORE)
    DatasetRatingFactory(source=1, rater_id=7)
    imported("ratings.csv", "ratings_small.csv")

    migrate(AFTER)

    assert list(DatasetRating.objects.values_list("source", flat=True)) == [DatasetRating.Source.MOVIELENS]
    assert "stay mixed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_rows_of_ratings_csv_alone_stay_where_they_are() -> None:
    migrate(BEFORE)
    DatasetRatingFactory(source=1, rater_id=7)
    imported("ratings.csv")

    migrate(AFTER)

    assert list(DatasetRating.objects.values_list("source", flat=True)) == [DatasetRating.Source.MOVIELENS]
