"""/insights/ in Debian's Chromium (Playwright) against the live server, as a staff member sees it.

Every chart image must load; a full-page screenshot goes to
test-artifacts/insights.png. Without /usr/bin/chromium the test skips,
unless MOVIESITE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client, override_settings

from catalog.insights.panels import PANELS
from catalog.insights.services import insights_refresh
from tests.insights.conftest import build_fixture_catalog

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_staff_member_sees_every_chart_with_its_numbers(
    chromium, live_server, transactional_db, tmp_path: Path
) -> None:

    with override_settings(INSIGHTS_DIR=tmp_path / "insights"):
        catalog = build_fixture_catalog()
        insights_refresh(languages=["en"])
        client = Client()
        client.force_login(catalog.staff)
        session = client.cookies["sessionid"].value

        context = chromium.new_context(viewport={"width": 1280, "height": 3000}, locale="en")
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/insights/", wait_until="networkidle")
        # Lazy images below the fold: load them all before counting.
        page.evaluate(
            "() => Promise.all([...document.images].map("
            "i => { i.loading = 'eager'; return i.decode().catch(() => null); }))"
        )
        loaded = page.evaluate("() => [...document.images].filter(i => i.complete && i.naturalWidth > 0).length")
        headings = page.locator("figure.insights-panel h3").all_inner_texts()
        films = page.locator("#insights-summary dt:text-is('Films') + dd").inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "insights.png"), full_page=True)

    assert loaded == len(PANELS)
    assert headings == [str(panel.title) for panel in PANELS]
    assert films == str(len(catalog.movies))
