"""credits.csv items without a credit id, or repeating one: kept, or left out with a reason, never dropped silently."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.importers.tmdb import REPEATED_CREDIT_ID
from catalog.models import Credit, ImportRun
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.catalog.test_import_catalog import file_counts, rejects, snapshot
from tests.factories import CastCreditFactory, MovieFactory

pytestmark = pytest.mark.django_db

FILM = 9000091
# Tom Hanks twice without a credit id (once with the key empty, once without it), and the
# second listed twice, identically: two credits.
WITHOUT_CREDIT_IDS = (
    "[{'credit_id': 'c1', 'id': 31, 'name': 'Tom Hanks', 'character': 'Woody', 'order': 0}, "
    "{'credit_id': '', 'id': 31, 'name': 'Tom Hanks', 'character': 'Narrator', 'order': 5}, "
    "{'id': 12898, 'name': 'Tim Allen', 'character': 'Buzz', 'order': 1}, "
    "{'id': 12898, 'name': 'Tim Allen', 'character': 'Buzz', 'order': 1}]"
)
# crew[1] repeats crew[0]'s credit id with another job (a conflict); crew[2] repeats it identically.
REPEATED_CREDIT_IDS = (
    "[{'credit_id': 'd1', 'department': 'Directing', 'id': 7879, 'job': 'Director', 'name': 'John Lasseter'}, "
    "{'credit_id': 'd1', 'department': 'Writing', 'id': 7879, 'job': 'Screenplay', 'name': 'John Lasseter'}, "
    "{'credit_id': 'd1', 'department': 'Directing', 'id': 7879, 'job': 'Director', 'name': 'John Lasseter'}]"
)


def write_credits(directory: Path, cast: str, crew: str = "[]") -> Path:
    return fx.write_text(directory / "credits.csv", fx.csv_table([{"cast": cast, "crew": crew, "id": str(FILM)}]))


def film_credits() -> list[tuple[str, str, str, str]]:
    return sorted(
        Credit.objects.filter(movie__tmdb_id=FILM).values_list("credit_id", "person__name", "character", "job")
    )


def test_credits_without_a_credit_id_are_kept_once_each_and_a_re_import_changes_nothing(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=FILM)
    write_credits(tmp_path, WITHOUT_CREDIT_IDS)

    first = catalog_import(paths=[tmp_path])
    after_first = snapshot()
    second = catalog_import(paths=[tmp_path])

    assert film_credits() == [
        ("", "Tim Allen", "Buzz", ""),
        ("", "Tom Hanks", "Narrator", ""),
        ("c1", "Tom Hanks", "Woody", ""),
    ]
    assert (file_counts(first, "credits.csv")["inserted"], file_counts(first, "credits.csv")["left_out"]) == (1, 0)
    assert snapshot() == after_first
    assert (second.rows_inserted, second.rows_updated, second.rows_unchanged) == (0, 0, 1)
    assert rejects(first) == []


def test_a_changed_credit_without_a_credit_id_replaces_the_stored_one(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=FILM)
    write_credits(tmp_path, WITHOUT_CREDIT_IDS)
    catalog_import(paths=[tmp_path])
    write_credits(tmp_path, WITHOUT_CREDIT_IDS.replace("'Narrator'", "'Storyteller'"))

    run = catalog_import(paths=[tmp_path])

    assert film_credits() == [
        ("", "Tim Allen", "Buzz", ""),
        ("", "Tom Hanks", "Storyteller", ""),
        ("c1", "Tom Hanks", "Woody", ""),
    ]
    assert run.rows_updated == 1


def test_stored_credits_without_a_credit_id_that_the_file_lacks_are_all_removed(tmp_path: Path) -> None:
    film = MovieFactory(tmdb_id=FILM)
    CastCreditFactory(movie=film, credit_id="", character="Extra")
    CastCreditFactory(movie=film, credit_id="", character="Another extra")
    write_credits(tmp_path, "[{'credit_id': 'c1', 'id': 31, 'name': 'Tom Hanks', 'character': 'Woody', 'order': 0}]")

    run = catalog_import(paths=[tmp_path])

    assert film_credits() == [("c1", "Tom Hanks", "Woody", "")]
    assert run.rows_updated == 1


def test_a_credit_repeating_a_credit_id_with_other_values_is_left_out_and_reported(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=FILM)
    write_credits(tmp_path, "[]", REPEATED_CREDIT_IDS)
    out = io.StringIO()

    call_command("import_catalog", str(tmp_path), stdout=out)

    run = ImportRun.objects.get()
    assert film_credits() == [("d1", "John Lasseter", "", "Director")]
    assert [(r["file"], r["line"], r["field"], r["reason"]) for r in rejects(run)] == [
        ("credits.csv", "2", "crew[1].credit_id", REPEATED_CREDIT_ID)
    ]
    assert "'job': 'Screenplay'" in rejects(run)[0]["value"]
    counts = file_counts(run, "credits.csv")
    assert [counts[name] for name in ("read", "inserted", "rejected", "left_out")] == [1, 1, 0, 1]
    assert counts["left_out_by_reason"] == {f"credit_id: {REPEATED_CREDIT_ID}": 1}
    assert f"left out        1 x credits.csv: credit_id: {REPEATED_CREDIT_ID}" in out.getvalue()


def test_a_re_import_of_a_file_with_a_conflicting_repeat_changes_nothing(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=FILM)
    write_credits(tmp_path, "[]", REPEATED_CREDIT_IDS)
    catalog_import(paths=[tmp_path])
    after_first = snapshot()

    again = catalog_import(paths=[tmp_path])

    assert snapshot() == after_first
    assert (again.rows_inserted, again.rows_updated, again.rows_unchanged) == (0, 0, 1)
    assert file_counts(again, "credits.csv")["left_out"] == 1
