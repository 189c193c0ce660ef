"""The site with nothing but a keyboard, and what a screen reader is told: ratings, the watchlist, the language.

Headless Chromium via Playwright against the live server, as in test_site_journey.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from catalog.models import Movie
from ratings.models import Rating, WatchlistEntry
from tests.factories import DEFAULT_PASSWORD, MovieFactory, ProfileFactory, UserFactory

pytestmark = [pytest.mark.browser]

TIMEOUT_MS = 15_000


def sign_in(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("main [name=username]", username)
    page.fill("main [name=password]", DEFAULT_PASSWORD)
    page.press("main [name=password]", "Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return {tag: el.tagName, id: el.id, name: el.name || '', text: el.textContent.trim(), lang: el.lang}; }"
    )


def tab_until(page: Any, predicate: Any, *, presses: int = 40) -> dict[str, str]:
    for _press in range(presses):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError(f"Tab never reached it; last focused: {element}")


@pytest.fixture
def spanish_page(chromium: Any, transactional_db: None) -> Any:
    context = chromium.new_context(locale="es", viewport={"width": 1024, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_film_rated_and_put_on_the_watchlist_with_the_keyboard_is_announced_each_time(
    spanish_page: Any, live_server: Any
) -> None:
    page = spanish_page
    film: Movie = MovieFactory(title="Heat", release_date=dt.date(1995, 12, 15))
    ProfileFactory(user=UserFactory(username="teclado"), language="es")
    sign_in(page, live_server, "teclado")
    page.goto(f"{live_server.url}/films/{film.pk}/")
    page.evaluate("() => { window.sameDocument = true; }")
    status = page.locator("#live-status")

    # From the search box, Tab reaches the first half star; Space picks it, three right arrows make it 2.
    page.focus("#site-search")
    tab_until(page, lambda element: element["name"] == "score")
    page.keyboard.press("Space")
    for _press in range(3):
        page.keyboard.press("ArrowRight")
    page.locator(f"#actions-{film.pk}[data-rated='1'] .rating-value", has_text="2").wait_for()
    assert status.inner_text() == page.locator(f"#actions-{film.pk} .rating-value").inner_text() == "Valorada con 2"
    assert Rating.objects.get(user__username="teclado", movie=film).score == 2.0

    # Past "Clear rating" to the watchlist button: Enter adds the film, says so, and leaves focus on the button.
    assert tab_until(page, lambda element: element["id"].startswith("watchlist-"), presses=3)["id"] == (
        f"watchlist-{film.pk}"
    )
    page.keyboard.press("Enter")
    page.locator(f"#watchlist-{film.pk}", has_text="Quitar de Mi lista").wait_for()
    assert status.inner_text() == "Se añadió «Heat» a Mi lista."
    assert focused(page)["id"] == f"watchlist-{film.pk}"
    assert WatchlistEntry.objects.filter(user__username="teclado", movie=film).exists()

    page.keyboard.press("Enter")
    page.locator(f"#watchlist-{film.pk}", has_text="Añadir a Mi lista").wait_for()
    assert status.inner_text() == "Se quitó «Heat» de Mi lista."
    # All in place: the page was never reloaded under the user.
    assert page.evaluate("() => window.sameDocument === true")


def test_the_language_changes_only_when_a_keyboard_user_picks_one(spanish_page: Any, live_server: Any) -> None:
    page = spanish_page
    page.goto(f"{live_server.url}/films/")
    page.evaluate("() => { window.sameDocument = true; }")

    control = tab_until(page, lambda element: element["name"] == "language")
    # Arrow keys (walking a list of languages, or scrolling) must not leave the page (WCAG 3.2.2 On Input).
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.sameDocument === true")
    assert page.locator("html").get_attribute("lang") == "es"

    # The control is named in the language it offers, so a screen reader says it in that language.
    assert (control["text"], control["lang"]) == ("English", "en")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == f"{live_server.url}/films/"
