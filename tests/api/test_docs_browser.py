"""/api/docs/ renders in headless Chromium with every request answered by this site."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 20_000


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
