"""The PostgreSQL first-load path: blocks whose raters are all new are COPYed straight into the table."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from catalog.importers import ratings as ratings_module
from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def ratings_csv(scores: dict[int, float]) -> str:
    lines = ["userId,movieId,rating,timestamp"]
    lines += [f"{rater},1,{score},964982703" for rater, score in sorted(scores.items())]
    return "\n".join(lines) + "\n"


def record_paths(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Which path each block took: True for the direct COPY, False for the upsert."""
    taken: list[bool] = []
    original = ratings_module._PostgresWriter._insert_new

    def recording(self: object, cursor: object, valid: object) -> bool:
        result = original(self, cursor, valid)  # type: ignore[arg-type]
        taken.append(result)
        return result

    monkeypatch.setattr(ratings_module._PostgresWriter, "_insert_new", recording)
    return taken


def file_counts(run: object) -> dict[str, int]:
    entry = next(entry for entry in run.files if entry["format"] in ("ratings", "ratings_small"))  # type: ignore[attr-defined]
    return {key: entry[key] for key in ("read", "inserted", "updated", "unchanged", "rejected")}


def test_new_raters_are_copied_directly_and_known_raters_go_through_the_upsert(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert connection.vendor == "postgresql"
    monkeypatch.setattr(ratings_module, "BLOCK_BYTES", 256)
    taken = record_paths(monkeypatch)
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    ratings_path = directory / "ratings_small.csv"
    ratings_path.write_text(ratings_csv(dict.fromkeys(range(1, 101), 4.0)), encoding="utf-8")

    first = catalog_import(paths=[directory])

    assert file_counts(first) == {"read": 100, "inserted": 100, "updated": 0, "unchanged": 0, "rejected": 0}
    assert len(taken) > 2 and all(taken)

    taken.clear()
    changed = {rater: 3.0 if rater <= 75 or rater > 100 else 4.0 for rater in range(51, 151)}
    ratings_path.write_text(ratings_csv(changed), encoding="utf-8")

    second = catalog_import(paths=[ratings_path])

    assert file_counts(second) == {"read": 100, "inserted": 50, "updated": 25, "unchanged": 25, "rejected": 0}
    assert True in taken and False in taken
    expected = {**dict.fromkeys(range(1, 101), 4.0), **changed}
    assert dict(DatasetRating.objects.values_list("rater_id", "score")) == expected

    taken.clear()
    again = catalog_import(paths=[ratings_path])

    assert file_counts(again) == {"read": 100, "inserted": 0, "updated": 0, "unchanged": 100, "rejected": 0}
    assert not any(taken)
    assert DatasetRating.objects.count() == 150
