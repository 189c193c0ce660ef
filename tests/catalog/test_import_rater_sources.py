"""Each MovieLens release's raters under a source of their own, told by the release's directory.

Every release drew its own users and numbered them from 1, so user 1 of
ml-25m is not user 1 of ml-20m or of The Movies Dataset's ratings.csv.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx

pytestmark = pytest.mark.django_db

MOVIES = "movieId,title,genres\n1,Toy Story (1995),Animation|Children|Comedy\n2,Jumanji (1995),Adventure\n"
RATINGS = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,3.5,964981247\n2,1,5.0,964982224\n"
SOURCE = DatasetRating.Source


def write_release(directory: Path) -> Path:
    fx.write_text(directory / "movies.csv", MOVIES)
    fx.write_text(directory / "ratings.csv", RATINGS)
    return directory


def raters_by_source() -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for source, rater_id in DatasetRating.objects.values_list("source", "rater_id"):
        found.setdefault(source, set()).add(rater_id)
    return found


@pytest.mark.parametrize(
    ("release", "source"),
    [
        ("ml-20m", SOURCE.ML20M),
        ("ml-25m", SOURCE.ML25M),
        ("ml-32m", SOURCE.ML32M),
        ("ml-latest-small", SOURCE.ML_LATEST_SMALL),
        ("ml-latest", SOURCE.MOVIELENS),
        ("the-movies-dataset", SOURCE.MOVIELENS),
    ],
)
def test_a_release_directory_decides_whose_raters_its_ratings_csv_holds(
    tmp_path: Path, release: str, source: int
) -> None:
    catalog_import(paths=[write_release(tmp_path / release)])

    assert raters_by_source() == {source: {1, 2}}


def test_two_releases_imported_together_keep_their_raters_apart(tmp_path: Path) -> None:
    archive = fx.write_zip(tmp_path / "ml-25m.zip", {"ml-25m/movies.csv": MOVIES, "ml-25m/ratings.csv": RATINGS})

    catalog_import(paths=[write_release(tmp_path / "ML-20M"), archive, write_release(tmp_path / "the-movies-dataset")])

    assert raters_by_source() == {SOURCE.ML20M: {1, 2}, SOURCE.ML25M: {1, 2}, SOURCE.MOVIELENS: {1, 2}}
    assert DatasetRating.objects.count() == 9


def test_format_names_the_release_of_a_ratings_csv_outside_its_directory(tmp_path: Path) -> None:
    release = write_release(tmp_path / "downloads")

    call_command("import_catalog", str(release / "movies.csv"), stdout=io.StringIO())
    call_command("import_catalog", str(release / "ratings.csv"), "--format", "ml32m_ratings", stdout=io.StringIO())

    assert raters_by_source() == {SOURCE.ML32M: {1, 2}}
