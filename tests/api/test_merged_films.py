"""The API follows a film merge (catalog.services.film_merge) as the film's HTML page does.

A URL naming the duplicate's id answers 301 to the same URL with the kept film's id; a body naming
it (rating the film, saving it to the watchlist) acts on the film kept.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from catalog.models import Movie
from catalog.services import film_merge
from ratings.models import Rating, WatchlistEntry
from tests.factories import CrewCreditFactory, MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged() -> tuple[int, Movie]:
    """The id a film had before a curator merged it, and the film kept."""
    keep = MovieFactory(title="Heat")
    duplicate = MovieFactory(title="Heat (copy)")
    merged_id = duplicate.pk
    return merged_id, film_merge(keep=keep, duplicate=duplicate)


@pytest.mark.parametrize("suffix", ["", "directors/", "similar/"])
def test_a_merged_films_urls_answer_301_to_the_same_url_of_the_film_kept_with_the_query_string(
    anon_client: APIClient, merged: tuple[int, Movie], suffix: str
) -> None:
    merged_id, kept = merged

    response = anon_client.get(f"/api/v1/films/{merged_id}/{suffix}?limit=3&page_size=5")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/films/{kept.pk}/{suffix}?limit=3&page_size=5"
    assert response.json() == {"detail": f"Film {merged_id} was merged into film {kept.pk}.", "film": kept.pk}


def test_following_the_redirect_gives_the_film_kept(anon_client: APIClient, merged: tuple[int, Movie]) -> None:
    merged_id, kept = merged
    CrewCreditFactory(movie=kept, job="Director")

    film = anon_client.get(anon_client.get(f"/api/v1/films/{merged_id}/")["Location"])
    directors = anon_client.get(anon_client.get(f"/api/v1/films/{merged_id}/directors/")["Location"])

    assert film.status_code == 200 and film.json()["id"] == kept.pk
    assert directors.status_code == 200 and directors.json()["count"] == 1


def test_an_id_no_film_ever_had_is_still_a_404(anon_client: APIClient, merged: tuple[int, Movie]) -> None:
    merged_id, kept = merged
    unknown = max(merged_id, kept.pk) + 1

    for suffix in ["", "directors/", "similar/"]:
        assert anon_client.get(f"/api/v1/films/{unknown}/{suffix}").status_code == 404, suffix


def test_a_bad_parameter_on_a_merged_film_is_still_a_400(anon_client: APIClient, merged: tuple[int, Movie]) -> None:
    merged_id, _kept = merged
    assert anon_client.get(f"/api/v1/films/{merged_id}/similar/?limit=0").status_code == 400


def test_the_redirect_speaks_the_callers_language(merged: tuple[int, Movie]) -> None:
    merged_id, kept = merged

    response = Client().get(f"/api/v1/films/{merged_id}/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["detail"] == f"La película {merged_id} se fusionó con la película {kept.pk}."


def test_rating_a_merged_film_rates_the_film_kept(
    alice: Any, alice_client: APIClient, merged: tuple[int, Movie]
) -> None:
    merged_id, kept = merged

    response = alice_client.post("/api/v1/me/ratings/", {"film": merged_id, "score": 4.5}, format="json")

    assert response.status_code == 201
    assert response.json()["film"]["id"] == kept.pk
    assert Rating.objects.get(user=alice).movie_id == kept.pk


def test_saving_a_merged_film_to_the_watchlist_saves_the_film_kept_once(
    alice: Any, alice_client: APIClient, merged: tuple[int, Movie]
) -> None:
    merged_id, kept = merged

    first = alice_client.post("/api/v1/me/watchlist/", {"film": merged_id}, format="json")
    again = alice_client.post("/api/v1/me/watchlist/", {"film": kept.pk}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["film"]["id"] == kept.pk
    assert list(WatchlistEntry.objects.filter(user=alice).values_list("movie_id", flat=True)) == [kept.pk]


def test_rating_an_id_no_film_ever_had_is_still_a_400(alice_client: APIClient, merged: tuple[int, Movie]) -> None:
    merged_id, kept = merged
    unknown = max(merged_id, kept.pk) + 1

    response = alice_client.post("/api/v1/me/ratings/", {"film": unknown, "score": 3}, format="json")

    assert response.status_code == 400
    assert "film" in response.json()


@pytest.mark.parametrize("name", ["title-popularity", "title-votes", "similar"])
def test_analytics_asked_with_a_merged_films_id_answer_301_to_the_film_kepts_id(
    anon_client: APIClient, merged: tuple[int, Movie], name: str
) -> None:
    merged_id, kept = merged

    response = anon_client.get(f"/api/v1/analytics/{name}/?title=Heat&id={merged_id}")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/analytics/{name}/?title=Heat&id={kept.pk}"
    assert response.json()["film"] == kept.pk
    assert anon_client.get(response["Location"]).status_code == 200


def test_every_301_is_documented_with_its_location(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = [
        "/api/v1/films/{id}/",
        "/api/v1/films/{id}/directors/",
        "/api/v1/films/{id}/similar/",
        "/api/v1/analytics/title-popularity/",
        "/api/v1/analytics/title-votes/",
        "/api/v1/analytics/similar/",
    ]
    for path in paths:
        moved = schema["paths"][path]["get"]["responses"]["301"]
        assert "Location" in moved["headers"], path
        assert "film" in str(moved["content"]), path
    rate = schema["paths"]["/api/v1/me/ratings/"]["post"]["description"]
    assert "merged into another rates the film kept" in rate
