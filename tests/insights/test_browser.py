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
from tests.conftest import REQUIRE_BROWSER
from tests.insights.conftest import build_fixture_catalog

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_staff_member_sees_every_chart_with_its_numbers(
    live_server, transactional_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"MOVIESITE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (make browser-deps)", pytrace=False)
        pytest.skip(f"browser test skipped: {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with override_settings(INSIGHTS_DIR=tmp_path / "insights"):
        catalog = build_fixture_catalog()
        insights_refresh(languages=["en"])
        client = Client()
        client.force_login(catalog.staff)
        session = client.cookies["sessionid"].value

        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 3000}, locale="en")
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
            browser.close()

    assert loaded == len(PANELS)
    assert headings == [str(panel.title) for panel in PANELS]
    assert films == str(len(catalog.movies))
