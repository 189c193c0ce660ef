"""Every page carries a Content-Security-Policy that runs only this site's own scripts and styles.

Found missing: no page sent a CSP, so markup that ever escaped the templates
(an imported title, a person's name) would have run. The site's templates now
hold no inline script, style or event handler, which this file also checks, so
the policy needs no 'unsafe-inline'; the API docs and the 500 page set their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from moviesite.api import server_error
from moviesite.csp import DOCS_POLICY, ERROR_PAGE_POLICY, HEADER, origin_of, site_policy
from tests.factories import MovieFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Pages that never go through the site's policy: the 400 and 500 pages (drawn without static files),
# the standalone insights report (a file, not served) and the API docs (their own policy).
INLINE_ALLOWED = {
    "400.html",
    "500.html",
    "insights/report.html",
    "drf_spectacular/redoc.html",
    "drf_spectacular/swagger_ui.html",
}
TEMPLATE_TAG = re.compile(r"\{%.*?%\}", re.S)  # `{% include … with style="full" %}` is no HTML attribute
INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+\s*=|\sstyle\s*=\s*\"|javascript:", re.I)


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_the_site_policy_allows_only_this_sites_scripts_and_styles() -> None:
    directives = _directives(site_policy())

    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


@pytest.mark.parametrize("name", ["home", "movie-list", "login", "signup"])
def test_site_pages_send_the_policy(client: Client, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response[HEADER] == site_policy()


def test_a_film_page_and_the_staff_pages_send_the_policy(client: Client) -> None:
    movie = MovieFactory(title='<script>alert("x")</script>')
    client.force_login(StaffUserFactory())

    for path in (reverse("movie-detail", args=[movie.pk]), reverse("staff-status"), reverse("insights"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response[HEADER] == site_policy(), path


def test_the_api_docs_keep_their_own_policy(client: Client) -> None:
    for name in ("api-docs", "api-redoc"):
        assert client.get(reverse(name))[HEADER] == DOCS_POLICY


def test_the_500_page_allows_its_inline_style_and_nothing_else() -> None:
    response = server_error(RequestFactory().get("/films/"))

    assert response.status_code == 500
    assert response[HEADER] == ERROR_PAGE_POLICY
    assert "script-src" not in ERROR_PAGE_POLICY and "default-src 'none'" in ERROR_PAGE_POLICY


def test_posters_from_a_configured_image_host_are_allowed() -> None:
    assert origin_of("https://image.tmdb.org/t/p/w342") == "https://image.tmdb.org"
    assert origin_of("") == ""
    images = _directives(site_policy(image_origin="https://image.tmdb.org"))["img-src"]
    assert images == ["'self'", "data:", "https://image.tmdb.org"]


def test_no_template_of_the_site_holds_inline_code() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if str(path.relative_to(TEMPLATES)) not in INLINE_ALLOWED
        for match in INLINE_CODE.finditer(TEMPLATE_TAG.sub("", path.read_text(encoding="utf-8")))
    ]

    assert offenders == []


def test_the_400_page_allows_its_inline_style_and_nothing_else() -> None:
    from django.core.exceptions import SuspiciousOperation

    from moviesite.api import bad_request

    response = bad_request(RequestFactory().get("/films/"), SuspiciousOperation("bad"))

    assert response.status_code == 400
    assert response[HEADER] == ERROR_PAGE_POLICY
