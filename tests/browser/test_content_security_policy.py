"""The site works under its Content-Security-Policy in a real browser: nothing refused, scripts still run.

Headless Chromium via Playwright against the live server, as in test_site_journey.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import DEFAULT_PASSWORD, GenreFactory, MovieFactory, StaffUserFactory

pytestmark = [pytest.mark.browser]

TIMEOUT_MS = 15_000


def _watch_violations(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def test_the_pages_load_nothing_the_policy_refuses(chromium: Any, live_server: Any, transactional_db: None) -> None:
    film = MovieFactory(title="Heat", genres=[GenreFactory(name="Drama")], vote_count=5000)
    StaffUserFactory(username="curator")
    page = chromium.new_page()
    violations = _watch_violations(page)

    anonymous = ["/", "/films/?q=heat", f"/films/{film.pk}/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]
    for path in anonymous:
        page.goto(live_server.url + path, timeout=TIMEOUT_MS)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "curator")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in [f"/films/{film.pk}/", "/me/ratings/", "/accounts/profile/", "/staff/models/", "/insights/", "/admin/"]:
        page.goto(live_server.url + path, timeout=TIMEOUT_MS)

    assert violations == []


def test_the_language_switch_still_works_under_the_policy(
    chromium: Any, live_server: Any, transactional_db: None
) -> None:
    page = chromium.new_page()
    violations = _watch_violations(page)
    page.goto(f"{live_server.url}/films/", timeout=TIMEOUT_MS)

    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.click("header button[name=language][value=es]")

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.url.endswith("/films/")
    assert violations == []
