"""Every page a visitor, a user or a curator reaches passes axe-core's WCAG 2.x A and AA rules, in English and Spanish.

axe-core comes from the pinned axe-playwright-python (requirements-dev.txt),
which bundles its axe.min.js: the test injects it into the page it checks; the
site never serves it. Headless Chromium via Playwright against the live
server, as in test_site_journey.py: one browser, one live server, one test per
language, so each page costs one load and one axe run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from catalog.insights.report import insights_report_html
from catalog.insights.selectors import insights_snapshot_current
from catalog.insights.services import insights_refresh
from catalog.models import Movie, Person
from moviesite.throttling import ScopedRateThrottle
from tests.factories import (
    DEFAULT_PASSWORD,
    CastCreditFactory,
    CrewCreditFactory,
    GenreFactory,
    ModelVersionFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    ProfileFactory,
    RatingFactory,
    StaffUserFactory,
    StreamingTitleFactory,
    WatchlistEntryFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 15_000
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: axe-core's tags for the success criteria they cover.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# English on a desktop; Spanish, whose words run longer, at 320 CSS px: a 1280 px window zoomed to 400%.
VIEWPORTS = {"en": {"width": 1280, "height": 900}, "es": {"width": 320, "height": 640}}
# aria-describedby and aria-labelledby ids that name no element (axe lets one pass when another id resolves).
DANGLING_REFERENCES = """() => [...document.querySelectorAll('[aria-describedby], [aria-labelledby]')].flatMap(
    element => ['aria-describedby', 'aria-labelledby'].flatMap(
        name => (element.getAttribute(name) || '').split(/\\s+/)
            .filter(id => id && !document.getElementById(id))
            .map(id => `${element.id || element.tagName} ${name}=${id}`)))"""
# Form fields whose border, their only outline, has less than 3:1 against the field or what lies behind it
# (WCAG 1.4.11; axe checks text only): the nearest opaque background, from the field outwards.
FAINT_FIELD_BORDERS = """() => {
  const rgb = color => (color.match(/[\\d.]+/g) || []).map(Number);
  const linear = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const luminance = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const ratio = (a, b) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);
  const backdrop = element => {
    for (let node = element; node; node = node.parentElement) {
      const color = rgb(getComputedStyle(node).backgroundColor);
      if (color.length === 3 || color[3] > 0) { return color.slice(0, 3); }
    }
    return [255, 255, 255];
  };
  const kinds = 'input:not([type=hidden], [type=radio], [type=checkbox]), select, textarea';
  return [...document.querySelectorAll(`:is(.site-header, #main) :is(${kinds})`)]
    .filter(field => field.offsetParent !== null)
    .map(field => {
      const border = rgb(getComputedStyle(field).borderTopColor).slice(0, 3);
      const inside = ratio(border, backdrop(field));
      return [field.id || field.name, Math.min(inside, ratio(border, backdrop(field.parentElement)))];
    })
    .filter(([, contrast]) => contrast < 3)
    .map(([name, contrast]) => `${name} border ${contrast.toFixed(2)}:1`);
}"""
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@dataclass
class Catalog:
    film: Movie
    person: Person


@pytest.fixture
def catalog(
    transactional_db: None, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, charts_not_drawn: None
) -> Iterator[Catalog]:
    """A film with its cast, crew and platform, a curator who rated it and keeps a watchlist, and an insights report."""
    settings.AXES_FAILURE_LIMIT = 2
    # One password-reset form a window per address: the second shows the "too many attempts" page (429).
    # DRF reads the rates once at import, and the counts live in the cache the live server shares.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "password_reset": "1/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    drama, comedy = GenreFactory(name="Drama"), GenreFactory(name="Comedy")
    film = MovieFactory(
        title="Heat",
        release_date=dt.date(1995, 12, 15),
        genres=[drama],
        vote_count=5000,
        overview="A group of professional bank robbers start to feel the heat from police.",
    )
    StreamingTitleFactory(platform=PlatformFactory(), movie=film, title="Heat", release_year=1995)
    other = MovieFactory(title="Ronin", release_date=dt.date(1998, 9, 25), genres=[drama, comedy], vote_count=3000)
    person = PersonFactory(name="Michael Mann")
    CrewCreditFactory(movie=film, person=person, job="Director")
    CastCreditFactory(movie=film, person=PersonFactory(name="Al Pacino"), character="Vincent Hanna")
    ModelVersionFactory()
    for language in ("en", "es"):
        staff = StaffUserFactory(username=f"curator-{language}")
        ProfileFactory(user=staff, language=language)
        RatingFactory(user=staff, movie=film, score=4.5)
        WatchlistEntryFactory(user=staff, movie=other)
    with override_settings(INSIGHTS_DIR=tmp_path / "insights"):
        # The charts' pixels are not what axe reads (their alt text and numbers are): charts_not_drawn.
        insights_refresh()
        yield Catalog(film=film, person=person)
    cache.clear()


def axe_violations(page: Any, label: str, *, exclude: tuple[str, ...] = ()) -> list[str]:
    """One line per violated rule on the page as it is now: the rule, its WCAG tags, the first elements, why."""
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    violations = Axe().run(page, context=context, options=AXE_OPTIONS).response["violations"]
    return [
        f"{label}: {violation['id']} ({', '.join(tag for tag in violation['tags'] if tag.startswith('wcag'))}) "
        f"{[node['target'] for node in violation['nodes'][:3]]} {violation['nodes'][0]['failureSummary']}"
        for violation in violations
    ]


class Audit:
    """Checks the page a browser context shows: its language, axe's WCAG rules, references, field borders, width."""

    def __init__(self, page: Any, language: str) -> None:
        self.page = page
        self.language = language
        self.width = page.viewport_size["width"]
        self.found: list[str] = []

    def check(self, label: str, *, language: str = "", exclude: tuple[str, ...] = ()) -> None:
        expected = language or self.language
        lang = self.page.locator("html").get_attribute("lang")
        if lang != expected:
            self.found.append(f"{label}: <html lang={lang!r}>, not {expected!r}")
        self.found.extend(axe_violations(self.page, label, exclude=exclude))
        for missing in self.page.evaluate(DANGLING_REFERENCES):
            self.found.append(f"{label}: {missing} names no element")
        self.found.extend(f"{label}: {faint}" for faint in self.page.evaluate(FAINT_FIELD_BORDERS))
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        if width > self.width:
            self.found.append(f"{label}: {width} px wide in a {self.width} px window")

    def visit(self, url: str, label: str) -> None:
        self.page.goto(url)
        self.check(label)

    def submit(self, label: str, **fields: str) -> int:
        """Fill and send the page's form, check the page it leads to; its HTTP status."""
        for name, value in fields.items():
            self.page.fill(f"main [name={name}]", value)
        with self.page.expect_navigation() as navigation:
            self.page.click("main button[type=submit]")
        self.check(label)
        status: int = navigation.value.status
        return status


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_passes_axe_in_each_language(
    chromium: Any, live_server: Any, catalog: Catalog, language: str, django_user_model: Any
) -> None:
    site = live_server.url
    film, person = catalog.film, catalog.person
    context = chromium.new_context(locale=language, viewport=VIEWPORTS[language])
    context.set_default_timeout(TIMEOUT_MS)
    audit = Audit(context.new_page(), language)
    page = audit.page

    # A visitor.
    for label, path in {
        "home": "/",
        "browse": "/films/",
        "search": "/films/?q=heat",
        "search with bad filters": "/films/?q=heat&year_from=1800",
        "search without results, suggestions": "/films/?q=hata",
        "film": f"/films/{film.pk}/",
        "person": f"/people/{person.pk}/",
        "log in": "/accounts/login/",
        "sign up": "/accounts/signup/",
        "sign up, address taken": "/accounts/signup/address-taken/",
        "password reset": "/accounts/password_reset/",
        "password reset link expired": "/accounts/reset/MQ/expired-token/",
        "404": "/no-such-page/",
    }.items():
        audit.visit(site + path, label)
    page.goto(f"{site}/accounts/signup/")
    audit.submit("sign up with errors", username="", email="not-an-address")
    page.goto(f"{site}/accounts/login/")
    audit.submit("log in with errors", username="intruder", password="not-the-password")
    # AXES_FAILURE_LIMIT is 2: the second failure locks the name out (429).
    audit.submit("429 locked out", username="intruder", password="not-the-password")
    page.goto(f"{site}/accounts/password_reset/")
    audit.submit("password reset sent", email="someone@example.com")
    page.goto(f"{site}/accounts/password_reset/")
    if (status := audit.submit("429 too many attempts", email="someone@example.com")) != 429:
        audit.found.append(f"429 too many attempts: the second reset form answered {status}")
    staff = django_user_model.objects.get(username=f"curator-{language}")
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    page.goto(f"{site}/accounts/reset/{uid}/{default_token_generator.make_token(staff)}/")
    audit.check("password reset: a new password")

    # Swagger UI speaks English on any page, and draws itself after loading the schema. Its list of
    # operations is left out: Swagger UI's own widgets, which we do not control, nest links in buttons
    # (swagger-api/swagger-ui#9570), 19 px tall, on method badges of white on #61affe (2.4:1).
    page.goto(f"{site}/api/docs/")
    page.locator(".opblock").first.wait_for()
    audit.check("API docs", language="en", exclude=(".swagger-ui .opblock-tag-section",))

    # A curator, signed in: every page of a user, and the staff pages. The insights tables make axe slow
    # (4 s a page): the insights page in English, the downloadable report (the same sections) in Spanish.
    page.goto(f"{site}/accounts/login/")
    page.fill("main [name=username]", staff.username)
    page.fill("main [name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for label, path in {
        "for you": "/",
        "onboarding": "/welcome/",
        "film, rated": f"/films/{film.pk}/",
        "my ratings": "/me/ratings/",
        "import ratings": "/me/ratings/import/",
        "watchlist": "/me/watchlist/",
        "profile": "/accounts/profile/",
        "change password": "/accounts/password_change/",
        "delete account": "/accounts/delete/",
        "model status": "/staff/models/",
        **({"insights": "/insights/"} if language == "en" else {}),
    }.items():
        audit.visit(site + path, label)
    page.goto(f"{site}/accounts/password_change/")
    audit.submit("change password with errors", old_password="wrong")
    page.goto(f"{site}/accounts/delete/")
    audit.submit("delete account, wrong password", password="wrong")
    with page.expect_navigation():
        page.click("header form[action$='/logout/'] button")
    audit.check("logged out")

    # Drawn without a request: the 500 page (Django renders it bare) and the downloadable insights report.
    # Both style themselves inline, so from a blank page, not one under the site's policy.
    page.goto("about:blank")
    with translation.override(language):
        page.set_content(render_to_string("500.html"))
        audit.check("500")
        if language == "es":
            page.set_content(insights_report_html(snapshot=insights_snapshot_current(), language=language))
            audit.check("insights report")

    context.close()
    assert audit.found == [], "\n".join(audit.found)
