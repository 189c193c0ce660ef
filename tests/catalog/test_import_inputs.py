"""What import_catalog does with awkward inputs: broken quoting, broken archives, hidden files, files of one name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from catalog.models import ImportRun, StreamingTitle
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx

pytestmark = pytest.mark.django_db


def rejects(run: ImportRun) -> list[dict[str, str]]:
    if not run.rejects_path:
        return []
    return list(csv.DictReader(io.StringIO(Path(run.rejects_path).read_text(encoding="utf-8"))))


def streaming_row(show_id: str, description: str) -> str:
    return f"{show_id},Movie,Film {show_id},,,Spain,,2001,PG,90 min,Dramas,{description}"


def test_an_unclosed_quote_rejects_its_record_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    rows = [
        streaming_row("s1", "Fine."),
        streaming_row("s2", '"desc with a quote never closed'),
        *(streaming_row(f"s{n}", "Fine.") for n in range(3, 7)),
    ]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")

    run = catalog_import(paths=[path])

    [entry] = run.files
    assert (entry["read"], entry["inserted"], entry["rejected"]) == (6, 5, 1)
    [reject] = rejects(run)
    assert (reject["line"], reject["field"]) == ("3", "row")
    assert "unclosed quote" in reject["reason"] and "end of the file" in reject["reason"]
    titles = StreamingTitle.objects.order_by("show_id")
    assert list(titles.values_list("show_id", flat=True)) == ["s1", "s3", "s4", "s5", "s6"]
    assert titles.get(show_id="s6").description == "Fine."


def test_an_unclosed_quote_on_the_last_line_is_rejected(tmp_path: Path) -> None:
    rows = [streaming_row("s1", "Fine."), streaming_row("s2", '"never closed')]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]))

    run = catalog_import(paths=[path])

    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (2, 1, 1)
    assert [r["line"] for r in rejects(run)] == ["3"]


def test_line_numbers_stay_physical_after_a_record_is_read_again(tmp_path: Path) -> None:
    rows = [
        streaming_row("s1", '"over\ntwo lines"'),  # lines 2-3
        streaming_row("s2", '"never closed'),  # line 4
        streaming_row("s3", "Fine."),  # line 5
        "s4,Documentary,Odd Type,,,,,2020,,90 min,,Not a known type.",  # line 6
    ]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")

    run = catalog_import(paths=[path])

    assert [(r["line"], r["field"]) for r in rejects(run)] == [("4", "row"), ("6", "type")]
    assert StreamingTitle.objects.get(show_id="s1").description == "over\ntwo lines"


def test_a_field_over_the_size_limit_is_rejected_and_the_next_lines_are_read(tmp_path: Path) -> None:
    rows = [streaming_row("s1", "x" * 2000), streaming_row("s2", "Fine."), streaming_row("s3", "Fine.")]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")
    limit = csv.field_size_limit(1000)
    try:
        run = catalog_import(paths=[path])
    finally:
        csv.field_size_limit(limit)

    [reject] = rejects(run)
    assert reject["line"] == "2" and "field larger than field limit" in reject["reason"]
    assert sorted(StreamingTitle.objects.values_list("show_id", flat=True)) == ["s2", "s3"]
