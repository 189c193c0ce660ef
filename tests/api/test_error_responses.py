"""Errors Django answers itself (before or around a DRF view) are JSON under /api/ and the site's pages elsewhere.

DEBUG is off, as in production: with it on Django shows its technical pages instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from catalog.api.browse import GenreListApi

pytestmark = pytest.mark.django_db
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}
# One more than Django's DATA_UPLOAD_MAX_NUMBER_FIELDS: Django refuses the request (TooManyFieldsSent).
TOO_MANY_PARAMETERS = "&".join(f"p{number}=1" for number in range(1001))


@pytest.fixture
def production(settings: Any) -> Client:
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_too_many_query_parameters_is_a_json_400_under_the_api(production: Client) -> None:
    response = production.get(f"/api/v1/films/?{TOO_MANY_PARAMETERS}", **ES)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Solicitud con formato incorrecto."}


def test_too_many_query_parameters_is_still_an_html_400_on_the_site(production: Client) -> None:
    response = production.get(f"/films/?{TOO_MANY_PARAMETERS}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_address_under_api_outside_v1_is_a_json_404(production: Client) -> None:
    response = production.get("/api/v2/films/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at this address."}


def test_an_unknown_site_address_keeps_the_sites_404_page(production: Client) -> None:
    response = production.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"<nav" in response.content


def test_a_crash_under_the_api_is_a_json_500(production: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(GenreListApi, "get_queryset", crash)
    response = production.get("/api/v1/genres/", **ES)
    assert response.status_code == 500
    assert response.json() == {"detail": "Se ha producido un error en el servidor."}


def test_a_crash_on_the_site_keeps_the_sites_500_page(production: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("catalog.views.movie_search", crash)
    response = production.get("/films/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"Something went wrong" in response.content
