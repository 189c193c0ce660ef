"""The PostgreSQL bulk mode: a first load in one transaction, indexes dropped and re-created.

Every test compares with the block-by-block import of the same files (bulk
mode off), which is the reference for contents and counts.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from django.db import connection

from catalog.importers import ratings as ratings_module
from catalog.models import ImportRun
from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# MovieLens ids the fixture links to films (690 and 1533 are one film); 777 is linked to none.
LINKED = (1, 50, 690, 1533)


def ratings_csv(raters: range, seed: int, *, revisit: int = 0, bad_lines: bool = False) -> str:
    """Ratings sorted by rater, then `revisit` lines going back to earlier raters (an unsorted tail)."""
    rng = np.random.default_rng(seed)
    lines = ["userId,movieId,rating,timestamp"]
    for rater in raters:
        for film in rng.choice(LINKED, size=int(rng.integers(1, 4)), replace=False):
            lines.append(f"{rater},{film},{rng.integers(1, 11) / 2},{rng.integers(900_000_000, 1_500_000_000)}")
    for _ in range(revisit):
        rater, film = int(rng.choice(raters)), int(rng.choice(LINKED))
        lines.append(f"{rater},{film},{rng.integers(1, 11) / 2},{rng.integers(900_000_000, 1_500_000_000)}")
    if bad_lines:
        lines[5:5] = [f"{raters[2]},777,4.0,964982400", f"{raters[2]},1,9.0,964982400", "oops", f"{raters[3]},1,4.0"]
    return "\r\n".join(lines) + "\r\n"


def stored() -> list[tuple[object, ...]]:
    return sorted(DatasetRating.objects.values_list("source", "rater_id", "movie__tmdb_id", "score", "rated_at"))


def file_counts(run: ImportRun) -> dict[str, int]:
    entry = next(entry for entry in run.files if entry["format"] in ("ratings", "ratings_small"))
    return {key: entry[key] for key in ("read", "inserted", "updated", "unchanged", "rejected")}


def indexes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [DatasetRating._meta.db_table]
        )
        return dict(cursor.fetchall())


def record_bulk_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Turn bulk mode on for any file size; returns a list that gets one entry per bulk load."""
    monkeypatch.setattr(ratings_module, "BULK_MIN_ROWS", 1)
    loads: list[int] = []
    original = ratings_module._BulkLoad.run

    def recording(self: ratings_module._BulkLoad, blocks: object) -> None:
        loads.append(1)
        original(self, blocks)  # type: ignore[arg-type]

    monkeypatch.setattr(ratings_module._BulkLoad, "run", recording)
    return loads


@pytest.fixture
def films(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture films and links imported; returns a directory for ratings files. Blocks of 256 bytes."""
    monkeypatch.setattr(ratings_module, "BLOCK_BYTES", 256)
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    (directory / "ratings_small.csv").unlink()
    catalog_import(paths=[directory])
    ratings_directory = tmp_path / "ratings"
    ratings_directory.mkdir()
    return ratings_directory


def import_twice_compared(
    directory: Path, monkeypatch: pytest.MonkeyPatch, files: list[str]
) -> tuple[list[ImportRun], list[ImportRun], list[int]]:
    """Import `files` in order block by block, empty the ratings, import them again with bulk mode on."""
    paths = []
    for index, text in enumerate(files):
        path = directory / f"ratings_{index}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    reference = [catalog_import(paths=[path]) for path in paths]
    expected = stored()
    DatasetRating.objects.all().delete()
    loads = record_bulk_loads(monkeypatch)
    bulk = [catalog_import(paths=[path]) for path in paths]
    assert stored() == expected
    return reference, bulk, loads


def test_a_first_load_in_bulk_mode_equals_the_block_by_block_import(
    films: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = indexes()
    text = ratings_csv(range(1, 81), seed=1, bad_lines=True)

    reference, bulk, loads = import_twice_compared(films, monkeypatch, [text])

    assert loads == [1]
    assert file_counts(bulk[0]) == file_counts(reference[0])
    counts = file_counts(bulk[0])
    assert counts["rejected"] >= 4 and counts["inserted"] == DatasetRating.objects.count()
    assert indexes() == before
    # The ids came from the sequence: the next row gets a fresh one.
    top = DatasetRating.objects.order_by("-id").first()
    assert top is not None
    extra = DatasetRating.objects.create(source=2, rater_id=1, movie_id=top.movie_id, score=3.0, rated_at=0)
    assert extra.id > top.id


def test_an_unsorted_file_in_bulk_mode_keeps_the_later_line_like_the_block_by_block_import(
    films: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 60 lines going back to earlier raters, some to (rater, film) pairs already in an earlier block.
    text = ratings_csv(range(1, 81), seed=2, revisit=60)

    reference, bulk, loads = import_twice_compared(films, monkeypatch, [text])

    assert loads == [1]
    assert file_counts(bulk[0]) == file_counts(reference[0])
    assert file_counts(bulk[0])["updated"] + file_counts(bulk[0])["unchanged"] > 0


def test_raters_the_table_already_holds_go_through_the_upsert_in_bulk_mode(
    films: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = ratings_csv(range(30, 36), seed=3)  # too small for bulk mode after it: the table holds it
    large = ratings_csv(range(1, 201), seed=4)  # raters 30-35 again, with other scores

    reference, bulk, loads = import_twice_compared(films, monkeypatch, [small, large])

    assert loads == [1, 1]
    assert [file_counts(run) for run in bulk] == [file_counts(run) for run in reference]
    assert file_counts(bulk[1])["updated"] + file_counts(bulk[1])["unchanged"] > 0


def test_a_re_import_is_not_a_bulk_load_and_changes_nothing(films: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = films / "ratings.csv"
    path.write_text(ratings_csv(range(1, 81), seed=5), encoding="utf-8", newline="")
    loads = record_bulk_loads(monkeypatch)
    catalog_import(paths=[path])
    after_first = stored()

    again = catalog_import(paths=[path])

    assert loads == [1]
    assert stored() == after_first
    counts = file_counts(again)
    assert (counts["inserted"], counts["updated"], counts["unchanged"]) == (0, 0, len(after_first))


def test_a_bulk_load_failing_part_way_leaves_the_table_as_it_was_and_a_re_run_repairs_it(
    films: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = films / "earlier.csv"
    earlier.write_text(ratings_csv(range(500, 503), seed=6), encoding="utf-8", newline="")
    catalog_import(paths=[earlier])
    before_rows, before_indexes = stored(), indexes()
    path = films / "ratings.csv"
    path.write_text(ratings_csv(range(1, 81), seed=7, revisit=20), encoding="utf-8", newline="")
    loads = record_bulk_loads(monkeypatch)
    original = ratings_module.binary_rows
    calls: list[int] = []

    def failing(valid: object, source: int) -> memoryview:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("the disk went away")
        return original(valid, source)  # type: ignore[arg-type]

    monkeypatch.setattr(ratings_module, "binary_rows", failing)
    with pytest.raises(OSError, match="the disk went away"):
        catalog_import(paths=[path])

    assert loads == [1]
    assert stored() == before_rows
    assert indexes() == before_indexes
    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.FAILED  # type: ignore[union-attr]

    monkeypatch.setattr(ratings_module, "binary_rows", original)
    rerun = catalog_import(paths=[path])
    after_rerun = stored()
    DatasetRating.objects.all().delete()
    catalog_import(paths=[earlier])
    clean = catalog_import(paths=[path])

    assert after_rerun == stored()
    assert file_counts(rerun) == file_counts(clean)


def test_rater_ranges_merge_and_overlap() -> None:
    ranges = ratings_module._RaterRanges()
    ranges.add(10, 20)
    ranges.add(30, 40)
    assert not ranges.overlaps(21, 29)
    assert ranges.overlaps(15, 16) and ranges.overlaps(1, 10) and ranges.overlaps(40, 50) and ranges.overlaps(1, 99)
    ranges.add(18, 35)
    assert (ranges.lows, ranges.highs) == ([10], [40])
