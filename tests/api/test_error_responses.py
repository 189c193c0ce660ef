"""Errors Django answers itself (before or around a DRF view) are JSON under /api/ and the site's pages elsewhere.

DEBUG is off, as in production: with it on Django shows its technical pages instead.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from catalog.api.browse import GenreListApi
from tests.factories import RatingFactory

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


# --- An endpoint's address without its trailing slash ----------------------------------
def test_a_get_without_the_trailing_slash_redirects_to_the_endpoint(anon_client: APIClient) -> None:
    response = anon_client.get("/api/v1/films?q=amelie&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/films/?q=amelie&page=2"
    assert anon_client.head("/api/v1/genres")["Location"] == "/api/v1/genres/"


def test_a_write_without_the_trailing_slash_is_a_404_naming_the_endpoint(alice: Any, alice_client: APIClient) -> None:
    rating = RatingFactory(user=alice)
    for method, path in [("post", "/api/v1/me/ratings"), ("patch", f"/api/v1/me/ratings/{rating.pk}")]:
        response = getattr(alice_client, method)(path, {"score": 4}, format="json")
        assert response.status_code == 404
        assert response.json() == {
            "detail": f"No API endpoint at this address; the endpoint is at {path}/, with a trailing slash."
        }


def test_an_address_that_is_no_endpoint_with_a_slash_either_stays_a_plain_404(anon_client: APIClient) -> None:
    for path in ["/api/v1/no-such-thing", "/api/v1/no-such-thing/", "/api/v1/ping/"]:
        response = anon_client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "No API endpoint at this address."}
