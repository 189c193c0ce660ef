"""The OpenAPI schema validates and describes every endpoint; the docs load nothing from outside."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db
OWN_PREFIXES = (
    "/api/v1/films",
    "/api/v1/people",
    "/api/v1/genres",
    "/api/v1/platforms",
    "/api/v1/streaming-titles",
    "/api/v1/analytics",
    "/api/v1/me/ratings",
    "/api/v1/me/watchlist",
    "/api/v1/me/recommendations",
    "/api/v1/model-versions",
    "/api/v1/retrain",
    "/api/v1/import-runs",
)


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi(schema: dict[str, Any]) -> None:
    validate_schema(schema)


def test_every_api_operation_has_a_summary_and_its_error_codes(schema: dict[str, Any]) -> None:
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith(OWN_PREFIXES)
        for method, operation in item.items()
    ]
    assert len(operations) >= 25
    for path, method, operation in operations:
        assert operation.get("summary"), f"{method.upper()} {path} has no summary"
        codes = set(operation["responses"])
        if "{id}" in path or (path.startswith("/api/v1/analytics/") and "title" in str(operation.get("parameters"))):
            assert "404" in codes, f"{method.upper()} {path} does not document its 404"
        if operation.get("parameters") and any(p["in"] == "query" for p in operation["parameters"]):
            assert "400" in codes or path in {"/api/v1/genres/", "/api/v1/platforms/"}, f"{path} lacks 400"


def test_every_operation_that_needs_a_login_documents_the_401(schema: dict[str, Any]) -> None:
    # README: "/me/… needs a login"; a client generated from the schema must know the answer it gets without one.
    operations = [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if {} not in (operation.get("security") or [{}])
    ]
    assert len(operations) >= 10
    for method, path, operation in operations:
        assert "401" in operation["responses"], f"{method.upper()} {path} does not document its 401"


def test_ambiguous_titles_are_documented_as_multiple_choices(schema: dict[str, Any]) -> None:
    for name in ["title-popularity", "title-votes", "similar", "actor", "director"]:
        responses = schema["paths"][f"/api/v1/analytics/{name}/"]["get"]["responses"]
        assert "candidates" in str(responses["300"])


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_use_only_local_assets(page: str) -> None:
    client = Client()
    html = client.get(page).content.decode()
    external = re.findall(r"""(?:src|href)\s*=\s*["'](https?:)?//""", html)
    assert external == [], f"{page} loads from another host"
    assets = re.findall(r"""["'](/static/[^"']+)["']""", html)
    assert assets, f"{page} references no local assets"
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_popularity_is_documented_as_two_scales(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for name in ["FilmSummary", "FilmDetail", "TitlePopularity"]:
        described = components[name]["properties"]["popularity"]["description"]
        assert "TMDB" in described and "number of ratings" in described, name


def test_a_ratings_patch_is_documented_with_its_required_score(schema: dict[str, Any]) -> None:
    """The view refuses a PATCH without a score (400), so the schema must not call it optional."""
    body = schema["paths"]["/api/v1/me/ratings/{id}/"]["patch"]["requestBody"]
    assert body["required"] is True
    component = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][component]["required"] == ["score"]


def test_a_persons_credits_are_documented_as_pages_the_person_links_to(schema: dict[str, Any]) -> None:
    person = schema["components"]["schemas"]["PersonDetail"]["properties"]
    for kind in ["acting", "crew"]:
        assert person[f"{kind}_count"]["type"] == "integer"
        assert (person[f"{kind}_next"]["format"], person[f"{kind}_next"]["nullable"]) == ("uri", True)
    credits = schema["paths"]["/api/v1/people/{id}/credits/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in credits["parameters"]}
    assert parameters["kind"]["required"] is True
    assert parameters["page_size"]["schema"]["maximum"] == 100
    page = credits["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"count", "next", "previous", "results"} <= set(schema["components"]["schemas"][page]["properties"])


def test_a_directors_limit_is_documented_with_its_bounds(schema: dict[str, Any]) -> None:
    parameters = schema["paths"]["/api/v1/analytics/director/"]["get"]["parameters"]
    limit = next(parameter for parameter in parameters if parameter["name"] == "limit")["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 500, 100)


@pytest.mark.parametrize("path", ["/api/v1/me/ratings/{id}/", "/api/v1/me/watchlist/{id}/"])
def test_the_own_rows_paths_say_their_id_is_the_row_s_not_the_film_s(schema: dict[str, Any], path: str) -> None:
    """Rating and adding take a film's id; these paths take the row's, which a client cannot guess."""
    for method, operation in schema["paths"][path].items():
        (identifier,) = [parameter for parameter in operation["parameters"] if parameter["name"] == "id"]
        assert "not the film's id" in identifier.get("description", ""), method
