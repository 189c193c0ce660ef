"""/api/docs/ renders in headless Chromium with every request answered by this site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.conftest import REQUIRE_BROWSER

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
TIMEOUT_MS = 20_000


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        if REQUIRE_BROWSER:
            pytest.fail(f"MOVIESITE_REQUIRE_BROWSER=1 but {CHROMIUM} is missing", pytrace=False)
        pytest.skip(f"browser test skipped: {CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize(
    ("page_path", "rendered"), [("/api/docs/", ".swagger-ui .opblock"), ("/api/redoc/", "redoc h1")]
)
def test_the_api_docs_render_offline(
    chromium: Any, live_server: Any, settings: Any, page_path: str, rendered: str, transactional_db: None
) -> None:
    settings.WHITENOISE_USE_FINDERS = True
    page = chromium.new_page()
    hosts: set[str] = set()
    page.on("requestfinished", lambda request: hosts.add(urlparse(request.url).netloc))
    failed: list[str] = []
    # The ReDoc bundle hard-wires one external image; the page's policy blocks it before any network.
    page.on(
        "requestfailed",
        lambda request: None if "csp" in (request.failure or "").lower() else failed.append(request.url),
    )
    page.goto(f"{live_server.url}{page_path}", timeout=TIMEOUT_MS)
    page.wait_for_selector(rendered, timeout=TIMEOUT_MS)
    assert "Search and browse films" in page.content()
    assert hosts - {""} == {urlparse(live_server.url).netloc}, f"{page_path} reached {hosts}"
    assert failed == []
