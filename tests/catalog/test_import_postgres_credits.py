"""credits.csv on PostgreSQL: a first load runs in one transaction with the credit table's indexes and keys dropped."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from catalog.importers import tmdb
from catalog.models import Credit, ImportRun
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.catalog.test_import_catalog import snapshot
from tests.catalog.test_import_credit_items import REPEATED_CREDIT_IDS, WITHOUT_CREDIT_IDS, write_credits
from tests.factories import MovieFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def credit_table_definition() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(indexes, constraints) of the credit table, by name and definition."""
    table = Credit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table])
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        return indexes, cursor.fetchall()


def test_a_first_load_keeps_the_table_definition_and_a_re_import_changes_nothing(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    before = credit_table_definition()

    catalog_import(paths=[directory])
    after_first = snapshot()
    again = catalog_import(paths=[directory])

    assert credit_table_definition() == before
    assert Credit.objects.exists()
    assert snapshot() == after_first
    assert (again.rows_inserted, again.rows_updated) == (0, 0)


def test_a_first_load_failing_part_way_leaves_no_credit_and_a_re_run_repairs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    catalog_import(paths=[directory / "movies_metadata.csv", directory / "links.csv"])
    before = credit_table_definition()
    monkeypatch.setattr(tmdb, "CREDITS_CHUNK", 1)
    original = tmdb._write_credit_chunk
    calls: list[int] = []

    def failing(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("the disk went away")
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tmdb, "_write_credit_chunk", failing)
    with pytest.raises(OSError, match="the disk went away"):
        catalog_import(paths=[directory / "credits.csv"])

    assert not Credit.objects.exists()
    assert credit_table_definition() == before
    assert ImportRun.objects.order_by("-pk").first().status == ImportRun.Status.FAILED  # type: ignore[union-attr]

    monkeypatch.setattr(tmdb, "_write_credit_chunk", original)
    catalog_import(paths=[directory / "credits.csv"])
    repaired = snapshot()
    Credit.objects.all().delete()
    catalog_import(paths=[directory / "credits.csv"])

    assert snapshot() == repaired
    assert credit_table_definition() == before


def test_a_first_load_keeps_credits_without_a_credit_id_and_reports_a_conflicting_repeat(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=9000091)
    write_credits(tmp_path, WITHOUT_CREDIT_IDS, REPEATED_CREDIT_IDS)
    before = credit_table_definition()

    first = catalog_import(paths=[tmp_path])
    after_first = snapshot()
    again = catalog_import(paths=[tmp_path])

    assert credit_table_definition() == before
    assert sorted(Credit.objects.values_list("credit_id", "character", "job")) == [
        ("", "Buzz", ""),
        ("", "Narrator", ""),
        ("c1", "Woody", ""),
        ("d1", "", "Director"),
    ]
    assert [entry["left_out"] for entry in first.files] == [1]
    assert snapshot() == after_first
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
