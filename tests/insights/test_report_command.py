"""`manage.py catalog_report`: one valid, self-contained HTML file, one image per chart."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from catalog.insights.panels import PANELS
from catalog.insights.selectors import insights_snapshot_current
from catalog.models import Movie
from tests.insights.conftest import build_fixture_catalog
from tests.insights.html_reading import read_insights

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TagBalance(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1] if self.open else 'nothing'} at {self.getpos()}")
            return
        self.open.pop()


@pytest.fixture(scope="module")
def reported_catalog(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """One `catalog_report` run (a full refresh, both languages) shared by this module's tests.

    The rows live in an outer transaction rolled back at the end, like
    TestCase.setUpTestData; each test runs in a savepoint inside it.
    """
    directory = tmp_path_factory.mktemp("report")
    with django_db_blocker.unblock(), override_settings(INSIGHTS_DIR=directory / "insights"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            build_fixture_catalog()
            call_command("catalog_report", "--out", str(directory / "report.html"), stdout=StringIO())
            yield directory
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def report(reported_catalog: Path, db: None) -> str:
    return (reported_catalog / "report.html").read_text(encoding="utf-8")


def test_the_report_is_well_formed_html(report: str) -> None:
    balance = TagBalance()
    balance.feed(report)
    balance.close()
    assert balance.doctype.lower() == "doctype html"
    assert balance.errors == []
    assert balance.open == []


def test_it_has_exactly_one_embedded_png_per_chart(report: str) -> None:
    reader = read_insights(report)
    assert len(reader.images) == len(PANELS)
    assert sorted(reader.panels) == sorted(panel.key for panel in PANELS)
    for key, panel in reader.panels.items():
        assert len(panel.images) == 1, key
        source = panel.images[0]["src"]
        assert source.startswith("data:image/png;base64,"), key
        assert base64.b64decode(source.removeprefix("data:image/png;base64,"))[:4] == b"\x89PNG"
        assert panel.images[0]["alt"]


def test_it_references_nothing_outside_the_file(report: str) -> None:
    reader = read_insights(report)
    external = [url for url in reader.urls if not url.startswith(("data:", "#"))]
    assert external == []
    assert "http://" not in report
    assert "https://" not in report
    assert "<link" not in report
    assert "<script" not in report


def test_it_carries_the_same_numbers_as_the_page(report: str) -> None:
    reader = read_insights(report)
    assert reader.summary["Films"] == str(Movie.objects.count())
    assert reader.panels["budget"].stats["Outliers below"] == "1"


def test_the_spanish_report_reuses_the_snapshot_drawn_in_spanish(reported_catalog: Path, db: None) -> None:
    snapshot = insights_snapshot_current()
    out = reported_catalog / "informe.html"
    stdout = StringIO()
    call_command("catalog_report", "--out", str(out), "--language", "es", "--cached", stdout=stdout)
    html = out.read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert f"Using snapshot {snapshot.id}" in stdout.getvalue()
    assert insights_snapshot_current().id == snapshot.id
    english = read_insights((reported_catalog / "report.html").read_text(encoding="utf-8"))
    spanish = read_insights(html)
    # Same snapshot, drawn under another locale: "0,001" rather than "0.001" on the popularity axis.
    assert spanish.panels["popularity"].images[0]["src"] != english.panels["popularity"].images[0]["src"]


def test_it_refuses_a_missing_directory(db: None, insights_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("catalog_report", "--out", str(tmp_path / "missing" / "r.html"), stdout=StringIO())
