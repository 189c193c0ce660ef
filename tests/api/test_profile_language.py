"""A signed-in API caller that names no language is answered in its profile's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils.cache import has_vary_header
from rest_framework.test import APIClient

from tests.api.conftest import token_client
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db
UNKNOWN_FILM = "/api/v1/films/999999/"
SCHEMA = "/api/schema/"
SCHEMA_JSON = "application/vnd.oai.openapi+json"
# drf-spectacular's description of `page`, which the Spanish catalogs translate.
PAGE_EN, PAGE_ES = "A page number within the paginated result set.", "Un número de página"


@pytest.fixture
def spanish_user() -> Any:
    return ProfileFactory(language="es").user


def test_a_token_caller_with_a_spanish_profile_is_answered_in_spanish(spanish_user: Any) -> None:
    response = token_client(spanish_user).get(UNKNOWN_FILM)

    assert response.json() == {"detail": "No encontrado."}
    assert response.headers["Content-Language"] == "es"
    # The language followed the token: a shared cache must key the answer on it, as on the header.
    assert has_vary_header(response, "Authorization")
    assert has_vary_header(response, "Accept-Language")


def test_an_explicit_accept_language_still_wins_over_the_profile(spanish_user: Any) -> None:
    response = token_client(spanish_user).get(UNKNOWN_FILM, HTTP_ACCEPT_LANGUAGE="en")

    assert response.json() == {"detail": "Not found."}
    assert response.headers["Content-Language"] == "en"


def test_the_language_cookie_still_wins_over_the_profile(spanish_user: Any) -> None:
    client = token_client(spanish_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert client.get(UNKNOWN_FILM).json() == {"detail": "Not found."}


def test_a_session_caller_with_a_spanish_profile_is_answered_in_spanish(spanish_user: Any) -> None:
    client = APIClient()
    client.force_login(spanish_user)

    response = client.get(UNKNOWN_FILM)

    assert response.json() == {"detail": "No encontrado."}
    assert response.headers["Content-Language"] == "es"


def test_a_token_caller_without_a_profile_gets_the_default_language() -> None:
    response = token_client(UserFactory()).get(UNKNOWN_FILM)

    assert response.json() == {"detail": "Not found."}
    assert response.headers["Content-Language"] == "en"


def test_the_schema_follows_the_profile_and_stays_kept_per_language(spanish_user: Any) -> None:
    spanish = token_client(spanish_user).get(SCHEMA, HTTP_ACCEPT=SCHEMA_JSON).content.decode()
    anonymous = APIClient().get(SCHEMA, HTTP_ACCEPT=SCHEMA_JSON).content.decode()
    spanish_again = token_client(spanish_user).get(SCHEMA, HTTP_ACCEPT=SCHEMA_JSON).content.decode()

    assert PAGE_ES in spanish and PAGE_EN not in spanish
    assert PAGE_EN in anonymous
    assert spanish_again == spanish
