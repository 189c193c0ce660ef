"""The PostgreSQL path of the importers (COPY into staging, one upsert per block)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from catalog.importers import ratings as ratings_module
from catalog.models import Genre, ImportRun, Movie, StreamingTitle
from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx
from tests.catalog.test_import_catalog import rejects, snapshot

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def many_ratings(n_raters: int) -> str:
    lines = ["userId,movieId,rating,timestamp"]
    for rater in range(1, n_raters + 1):
        # 690 and 1533 are the same film: the later timestamp (1533's) must win.
        lines += [f"{rater},1,4.0,964982703", f"{rater},690,2.0,964983815", f"{rater},1533,4.5,964990000"]
    return "\r\n".join(lines) + "\r\n"


def test_it_is_idempotent_on_postgresql_across_many_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert connection.vendor == "postgresql"
    monkeypatch.setattr(ratings_module, "BLOCK_BYTES", 256)  # many blocks, cut between raters
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    (directory / "ratings_small.csv").write_text(many_ratings(200), encoding="utf-8", newline="")

    first = catalog_import(paths=[directory])
    after_first = snapshot()
    second = catalog_import(paths=[directory])

    assert snapshot() == after_first
    assert (second.rows_inserted, second.rows_updated) == (0, 0)
    ratings = next(entry for entry in first.files if entry["format"] == "ratings_small")
    assert ratings["read"] == 600
    assert (ratings["inserted"], ratings["rejected"]) == (400, 200)
    assert set(DatasetRating.objects.filter(movie__tmdb_id=105045).values_list("score", flat=True)) == {4.5}


def test_a_block_with_a_malformed_line_falls_back_to_line_by_line(tmp_path: Path) -> None:
    assert connection.vendor == "postgresql"
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    text = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n2,1,oops,964982703\n3,1,3.0\n\xff\n4,1,2.5,964982703\n"
    (directory / "ratings_small.csv").write_bytes(text.encode("utf-8").replace("\xff".encode(), b"\xff"))

    run = catalog_import(paths=[directory])

    assert sorted(DatasetRating.objects.values_list("rater_id", "score")) == [(1, 4.0), (4, 2.5)]
    reasons = {(r["line"], r["reason"]) for r in rejects(run) if r["file"] == "ratings_small.csv"}
    assert reasons == {("3", "not a number"), ("4", "expected 4 fields, found 3"), ("5", "not valid UTF-8")}


def test_the_upsert_rejects_a_timestamp_after_tomorrow_as_python_does(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    ratings = directory / "ratings_small.csv"
    fx.write_text(ratings, "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n")
    catalog_import(paths=[directory])
    # Rater 1 is known now: the block is COPYed as it is into staging and upserted,
    # and the upsert's WHERE must drop the row Python rejected.
    fx.write_text(ratings, "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,690,3.0,4611686018427387904\n")

    run = catalog_import(paths=[directory])

    entry = next(entry for entry in run.files if entry["format"] == "ratings_small")
    assert (entry["unchanged"], entry["rejected"]) == (1, 1)
    assert list(DatasetRating.objects.values_list("rater_id", "score")) == [(1, 4.0)]


def test_values_wider_than_their_columns_do_not_abort_the_file_on_postgresql(tmp_path: Path) -> None:
    assert connection.vendor == "postgresql"
    directory = fx.write_values_wider_than_their_columns(tmp_path)

    run = catalog_import(paths=[directory])

    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.rows_inserted, run.rows_rejected) == (3, 2)
    assert len(Genre.objects.get(tmdb_id=9901).name) == 100
    assert Movie.objects.get(tmdb_id=9000003).overview == "Nul byte"
    assert StreamingTitle.objects.get(show_id="s2").description == "Nul byte"
