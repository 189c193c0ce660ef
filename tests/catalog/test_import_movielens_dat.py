"""MovieLens 1M and 10M: headerless "::" files (movies.dat, ratings.dat, tags.dat), as in the official zips."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from catalog.importers.ratings import DoubleColonAsTab
from catalog.importers.run import UnknownFileError
from catalog.models import Movie
from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog.test_import_catalog import file_counts, rejects

pytestmark = pytest.mark.django_db

# ml-1m's movies.dat is Latin-1; ml-10M100K's is UTF-8.
ML1M_MOVIES = "1::Toy Story (1995)::Animation|Children's|Comedy\n73::Misérables, Les (1995)::Drama|Musical\n"
ML1M_RATINGS = "1::1::5::978824268\n1::73::3::978824291\n2::1::4::978300760\n2::999::4::978300760\n3::1::4.5::9\n"
ML10M_MOVIES = (
    "1::Toy Story (1995)::Adventure|Animation|Children|Comedy|Fantasy\n73::Misérables, Les (1995)::Drama|War\n"
)
ML10M_RATINGS = "1::1::4.5::838985046\n1::73::2.5::838983525\n"
ML10M_TAGS = "15::1::pixar::1138537770\n20::73::Victor Hugo::1188263867\n21::73::time::travel::1188263867\n"


def write_release(directory: Path, files: dict[str, bytes]) -> Path:
    directory.mkdir(parents=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


@pytest.fixture
def ml1m(tmp_path: Path) -> Path:
    return write_release(
        tmp_path / "ml-1m",
        {
            "movies.dat": ML1M_MOVIES.encode("latin-1"),
            "ratings.dat": ML1M_RATINGS.encode(),
            "users.dat": b"1::F::1::10::48067\n",
            "README": b"SUMMARY\n",
        },
    )


@pytest.fixture
def ml10m(tmp_path: Path) -> Path:
    return write_release(
        tmp_path / "ml-10M100K",
        {"movies.dat": ML10M_MOVIES.encode(), "ratings.dat": ML10M_RATINGS.encode(), "tags.dat": ML10M_TAGS.encode()},
    )


def test_ml_1m_films_and_ratings_are_imported_with_its_latin_1_titles(ml1m: Path) -> None:
    run = catalog_import(paths=[ml1m])

    films = dict(Movie.objects.values_list("movielens_id", "title"))
    assert films == {1: "Toy Story", 73: "Les Misérables"}
    assert sorted(Movie.objects.get(movielens_id=1).genres.values_list("name", flat=True)) == [
        "Animation",
        "Children's",
        "Comedy",
    ]
    ratings = set(DatasetRating.objects.values_list("source", "rater_id", "movie__movielens_id", "score"))
    assert ratings == {(3, 1, 1, 5.0), (3, 1, 73, 3.0), (3, 2, 1, 4.0), (3, 3, 1, 4.5)}
    assert file_counts(run, "ratings.dat")["rejected"] == 1
    assert [(row["file"], row["line"], row["field"]) for row in rejects(run)] == [("ratings.dat", "4", "MovieID")]
    assert "users.dat" in str(run.files)  # listed as skipped, not an error


def test_ml_10m_raters_are_kept_apart_from_ml_1m_raters_and_its_tags_become_keywords(ml1m: Path, ml10m: Path) -> None:
    catalog_import(paths=[ml1m, ml10m])

    rater_one_on_toy_story = DatasetRating.objects.filter(rater_id=1, movie__movielens_id=1)
    assert sorted(rater_one_on_toy_story.values_list("source", "score")) == [
        (DatasetRating.Source.ML1M, 5.0),
        (DatasetRating.Source.ML10M, 4.5),
    ]
    assert sorted(Movie.objects.get(movielens_id=73).keywords.values_list("name", flat=True)) == [
        "Victor Hugo",
        "time::travel",
    ]


def test_the_official_zip_is_read_as_it_comes(ml1m: Path, tmp_path: Path) -> None:
    archive = tmp_path / "ml-1m.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(ml1m.iterdir()):
            zipped.write(path, f"ml-1m/{path.name}")

    catalog_import(paths=[archive])

    assert DatasetRating.objects.filter(source=DatasetRating.Source.ML1M).count() == 4


def test_a_ratings_dat_outside_its_release_directory_is_refused_until_format_names_the_release(
    ml1m: Path, tmp_path: Path
) -> None:
    catalog_import(paths=[ml1m / "movies.dat"])
    loose = tmp_path / "ratings.dat"
    loose.write_text(ML1M_RATINGS)

    with pytest.raises(UnknownFileError, match="--format ml1m_ratings or --format ml10m_ratings"):
        catalog_import(paths=[loose])
    catalog_import(paths=[loose], format_name="ml10m_ratings")

    assert set(DatasetRating.objects.values_list("source", flat=True)) == {DatasetRating.Source.ML10M}


def test_a_short_line_is_rejected_with_its_line_and_reason(tmp_path: Path) -> None:
    release = write_release(tmp_path / "ml-1m", {"movies.dat": b"1::Toy Story (1995)::Comedy\n2::Jumanji (1995)\n"})

    run = catalog_import(paths=[release])

    [row] = rejects(run)
    assert (row["file"], row["line"], row["field"]) == ("movies.dat", "2", "row")
    assert row["reason"] == 'expected 3 fields separated by "::", found 2'
    assert Movie.objects.get().title == "Toy Story"


@pytest.mark.parametrize("read_size", [1, 2, 3, 5, 64])
def test_a_separator_split_between_two_reads_is_still_one_separator(read_size: int) -> None:
    stream = DoubleColonAsTab(io.BytesIO(b"1::1::5::978824268\n22::333::4::1\n"))

    chunks = iter(lambda: stream.read(read_size), b"")

    assert b"".join(chunks) == b"1\t1\t5\t978824268\n22\t333\t4\t1\n"
