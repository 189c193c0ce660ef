"""The OpenAPI schema is generated once per process and language, and served as generated."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/vnd.oai.openapi+json"
YAML = "application/vnd.oai.openapi"
# drf-spectacular's description of `page`, which Django's Spanish catalog translates.
PAGE_EN, PAGE_ES = "A page number within the paginated result set.", "Un número de página"


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """The language of each schema generation from here on, by counting SchemaGenerator.get_schema's calls."""
    calls: list[str | None] = []
    get_schema = SchemaGenerator.get_schema

    def counted(self: SchemaGenerator, *args: Any, **kwargs: Any) -> Any:
        calls.append(translation.get_language())
        return get_schema(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    yield calls


def schema_text(client: Client, language: str, **params: str) -> str:
    response = client.get("/api/schema/", params, HTTP_ACCEPT=JSON, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_request_does_not_generate_the_schema_again(client: Client, generated: list[str | None]) -> None:
    first = schema_text(client, "en")
    again = schema_text(client, "en")
    yaml = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi", HTTP_ACCEPT_LANGUAGE="en")

    assert len(generated) <= 1
    assert again == first
    assert yaml.status_code == 200 and PAGE_EN in yaml.content.decode()
    assert len(generated) <= 1


def test_each_language_gets_its_own_schema_generated_once(client: Client, generated: list[str | None]) -> None:
    english, spanish = schema_text(client, "en"), schema_text(client, "es")
    generations = len(generated)
    english_again, spanish_again = schema_text(client, "en"), schema_text(client, "es")

    assert PAGE_EN in english and PAGE_ES in spanish and PAGE_EN not in spanish
    assert (english_again, spanish_again) == (english, spanish)
    assert len(generated) == generations
    assert set(generated) <= {"en", "es"}


def test_a_language_or_version_the_site_does_not_offer_adds_no_schema(
    client: Client, generated: list[str | None]
) -> None:
    english = schema_text(client, "en")
    generations = len(generated)

    for params in [{"lang": "xx"}, {"lang": "zz-yy"}, {"version": "9"}, {"version": "any other word"}]:
        assert schema_text(client, "en", **params) == english
    assert len(generated) == generations


def test_the_served_schema_is_the_one_generated_afresh(client: Client) -> None:
    schema_text(client, "es")
    served = json.loads(schema_text(client, "es"))

    with translation.override("es"):
        fresh = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))

    assert served == fresh


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The format of each rendering of the schema from here on (YAML or JSON)."""
    calls: list[str] = []
    for renderer_class in (OpenApiYamlRenderer, OpenApiJsonRenderer):
        render = renderer_class.render

        def counted(self: Any, *args: Any, _render: Any = render, **kwargs: Any) -> Any:
            calls.append(self.format)
            return _render(self, *args, **kwargs)

        monkeypatch.setattr(renderer_class, "render", counted)
    yield calls


def test_each_language_and_format_is_rendered_once(client: Client, rendered: list[str]) -> None:
    first = {
        (language, accept): client.get("/api/schema/", HTTP_ACCEPT=accept, HTTP_ACCEPT_LANGUAGE=language)
        for language in ("en", "es")
        for accept in (JSON, YAML, "application/json", "application/yaml")
    }
    renderings = len(rendered)
    again = {
        (language, accept): client.get("/api/schema/", HTTP_ACCEPT=accept, HTTP_ACCEPT_LANGUAGE=language)
        for language, accept in first
    }

    assert renderings <= 4
    assert len(rendered) == renderings
    for key, response in again.items():
        assert response.content == first[key].content
        assert response["Content-Type"] == first[key]["Content-Type"]
    assert again[("en", JSON)]["Content-Type"] == JSON
    assert again[("en", YAML)]["Content-Type"] == f"{YAML}; charset=utf-8"
    assert again[("en", "application/json")]["Content-Type"] == "application/json"


def test_a_query_string_adds_no_rendering(client: Client, rendered: list[str]) -> None:
    english = schema_text(client, "en")
    renderings = len(rendered)

    for params in [{"format": "json"}, {"lang": "xx"}, {"version": "9"}, {"anything": "at all"}, {"cache": "1"}]:
        assert schema_text(client, "en", **params) == english
    assert len(rendered) == renderings


def test_an_indent_asked_for_in_the_accept_header_is_still_honoured(client: Client) -> None:
    default = schema_text(client, "en")

    indented = client.get("/api/schema/", HTTP_ACCEPT=f"{JSON}; indent=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert default.startswith('{\n    "openapi"')
    assert indented.startswith('{\n "openapi"')
    assert json.loads(indented) == json.loads(default)
    assert schema_text(client, "en") == default


def test_every_operation_that_takes_a_body_documents_the_415_drf_answers_to_an_unreadable_one(client: Client) -> None:
    schema = json.loads(client.get("/api/schema/", HTTP_ACCEPT=JSON).content)
    with_body = [
        (path, method, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]
    profile = APIClient()
    profile.force_authenticate(UserFactory())

    refused = profile.patch("/api/v1/me/profile/", b"<language>es</language>", content_type="application/xml")

    assert {(path, method) for path, method, _operation in with_body} >= {
        ("/api/v1/me/profile/", "patch"),
        ("/api/v1/me/ratings/", "post"),
        ("/api/v1/me/account/delete/", "post"),
    }
    assert [(path, method) for path, method, operation in with_body if "415" not in operation["responses"]] == []
    assert refused.status_code == 415
