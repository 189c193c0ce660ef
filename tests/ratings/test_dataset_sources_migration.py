"""ratings 0008 and 0010: rater sources of their own for ratings_small.csv and the numbered releases.

Their users are numbered afresh, so user 1 there is not user 1 of ratings.csv.
Each migration moves the rows it can attribute (the import history shows that
files of that one kind alone fed source 1) and leaves mixed ones alone.
"""

from __future__ import annotations

from collections.abc import Iterator

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


@pytest.fixture(autouse=True)
def latest_schema_afterwards() -> Iterator[None]:
    """Each test migrates back; the tests after it need every table the latest migrations make."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


BEFORE_RELEASES = [("ratings", "0009_rating_recent")]
AFTER_RELEASES = [("ratings", "0010_dataset_sources_numbered_releases")]


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


@pytest.mark.django_db(transaction=True)
def test_rows_only_one_numbered_release_fed_move_to_its_source_with_their_keys() -> None:
    migrate(BEFORE_RELEASES)
    film = MovieFactory()
    DatasetRatingFactory(source=1, rater_id=7, movie=film, score=4.5)
    imported("ml-25m/ratings.csv")
    ImportRunFactory(files=[{"path": "/data/ml-25m.zip:ml-25m/ratings.csv", "format": "ratings", "inserted": 1}])

    migrate(AFTER_RELEASES)

    rating = DatasetRating.objects.get()
    assert (rating.source, rating.rater_id, rating.score) == (DatasetRating.Source.ML25M, 7, 4.5)
    assert rating.pk == dataset_rating_key(DatasetRating.Source.ML25M, 7, film.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "names", [("ml-25m/ratings.csv", "the-movies-dataset/ratings.csv"), ("ml-20m/ratings.csv", "ml-32m/ratings.csv")]
)
def test_rows_of_a_release_and_other_files_stay_where_they_are(
    names: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    migrate(BEFORE_RELEASES)
    DatasetRatingFactory(source=1, rater_id=7)
    imported(*names)

    migrate(AFTER_RELEASES)

    assert list(DatasetRating.objects.values_list("source", flat=True)) == [DatasetRating.Source.MOVIELENS]
    assert "stay mixed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_rows_of_the_movies_dataset_alone_stay_without_a_word(capsys: pytest.CaptureFixture[str]) -> None:
    migrate(BEFORE_RELEASES)
    DatasetRatingFactory(source=1, rater_id=7)
    imported("the-movies-dataset/ratings.csv", "ml-latest/ratings.csv")

    migrate(AFTER_RELEASES)

    assert list(DatasetRating.objects.values_list("source", flat=True)) == [DatasetRating.Source.MOVIELENS]
    assert "stay mixed" not in capsys.readouterr().out
