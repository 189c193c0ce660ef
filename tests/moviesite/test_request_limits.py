"""Past DATA_UPLOAD_MAX_NUMBER_FIELDS a request gets the site's 400, in debug mode (`make run`) too."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_MANY = {f"field{n}": "1" for n in range(1_100)}


@pytest.mark.parametrize("debug", [True, False])
def test_too_many_query_fields_on_a_page_get_the_sites_400(client: Client, settings, debug: bool) -> None:
    settings.DEBUG = debug

    response = client.get("/films/", TOO_MANY)

    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()
    spanish = client.get("/films/", TOO_MANY, HTTP_ACCEPT_LANGUAGE="es")
    assert "<h1>Solicitud incorrecta</h1>" in spanish.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_too_many_query_fields_on_the_api_get_a_json_400(client: Client, settings, debug: bool) -> None:
    settings.DEBUG = debug

    response = client.get("/api/v1/films/", TOO_MANY)

    assert response.status_code == 400
    assert response.json() == {"detail": "Malformed request."}


def test_too_many_form_fields_get_the_sites_400_in_debug_mode(client: Client, settings) -> None:
    settings.DEBUG = True

    response = client.post("/accounts/login/", TOO_MANY)

    assert response.status_code == 400
