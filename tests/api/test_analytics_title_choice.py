"""Choosing one film in the title analytics when its title (and year) are not enough: the `id` parameter."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/analytics"
TITLE_ENDPOINTS = ["title-popularity", "title-votes", "similar"]


@pytest.fixture
def heats() -> dict[str, Any]:
    """Three films titled Heat: two share the year 1995 (a catalog that holds the same film twice)."""
    return {
        "1986": MovieFactory(title="Heat", release_year=1986),
        "1995": MovieFactory(title="Heat", release_year=1995, popularity=17.9),
        "1995 again": MovieFactory(title="Heat", release_year=1995, popularity=3.0),
    }


@pytest.mark.parametrize("path", TITLE_ENDPOINTS)
def test_a_title_and_year_shared_by_several_films_lists_them_with_their_ids(
    anon_client: APIClient, heats: dict[str, Any], path: str
) -> None:
    response = anon_client.get(f"{BASE}/{path}/", {"title": "heat", "year": 1995})

    assert response.status_code == 300
    body = response.json()
    assert body["detail"] == "2 films titled “heat” were released in 1995: give the id of one to choose."
    assert [(c["id"], c["year"]) for c in body["candidates"]] == [
        (heats["1995"].pk, 1995),
        (heats["1995 again"].pk, 1995),
    ]


@pytest.mark.parametrize("path", TITLE_ENDPOINTS)
def test_an_id_picks_the_film(anon_client: APIClient, heats: dict[str, Any], path: str) -> None:
    chosen = heats["1995 again"]

    with_title = anon_client.get(f"{BASE}/{path}/", {"title": "heat", "year": 1995, "id": chosen.pk})
    alone = anon_client.get(f"{BASE}/{path}/", {"id": chosen.pk})

    assert with_title.status_code == alone.status_code == 200
    assert with_title.json() == alone.json()
    if path != "similar":
        assert alone.json()["id"] == chosen.pk


def test_popularity_by_id_is_the_chosen_films(anon_client: APIClient, heats: dict[str, Any]) -> None:
    body = anon_client.get(f"{BASE}/title-popularity/", {"id": heats["1995"].pk}).json()
    assert (body["release_year"], body["popularity"]) == (1995, 17.9)


def test_a_title_alone_asks_for_the_year_or_an_id(anon_client: APIClient, heats: dict[str, Any]) -> None:
    body = anon_client.get(f"{BASE}/title-votes/", {"title": "Heat"}).json()
    assert body["detail"] == "3 films are titled “Heat”: add the year, or give the id of one, to choose."
    assert len(body["candidates"]) == 3


def test_an_unknown_id_is_a_404_and_neither_title_nor_id_a_400(anon_client: APIClient, heats: dict[str, Any]) -> None:
    unknown = anon_client.get(f"{BASE}/title-votes/", {"id": 10**9})
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == f"No film has the id {10**9}."

    neither = anon_client.get(f"{BASE}/title-votes/", {"year": 1995})
    assert neither.status_code == 400
    assert neither.json() == {"title": ["Give a title, or the film's id."]}
    assert anon_client.get(f"{BASE}/title-votes/", {"id": 0}).status_code == 400


def test_the_messages_are_in_spanish_too(anon_client: APIClient, heats: dict[str, Any]) -> None:
    response = anon_client.get(f"{BASE}/title-votes/", {"title": "Heat", "year": 1995}, HTTP_ACCEPT_LANGUAGE="es")
    assert (
        response.json()["detail"]
        == "Hay 2 películas tituladas “Heat” estrenadas en 1995: indica el id de una para elegir."
    )


@pytest.mark.parametrize("path", ["title-popularity", "title-votes"])
def test_a_film_is_found_by_its_original_title_when_no_title_matches(anon_client: APIClient, path: str) -> None:
    # A Spanish speaker asks for "El laberinto del fauno"; TMDB files it as "Pan's Labyrinth".
    labyrinth = MovieFactory(title="Pan's Labyrinth", original_title="El laberinto del fauno", release_year=2006)
    MovieFactory(title="Heat", original_title="Heat", release_year=1995)

    response = anon_client.get(f"{BASE}/{path}/", {"title": "el laberinto del fauno"})

    assert response.status_code == 200
    assert response.json()["id"] == labyrinth.pk


def test_a_title_still_wins_over_another_film_s_original_title(anon_client: APIClient) -> None:
    heat = MovieFactory(title="Heat", release_year=1995)
    MovieFactory(title="Hitze", original_title="Heat", release_year=2010)

    response = anon_client.get(f"{BASE}/title-popularity/", {"title": "heat"})

    assert response.json()["id"] == heat.pk


@pytest.mark.parametrize(
    "title", ["Spider-Man Far from Home", "spider man: far from home", "SPIDER\u2013MAN \u2013 FAR FROM HOME"]
)
def test_a_film_is_found_by_its_title_typed_with_other_punctuation(anon_client: APIClient, title: str) -> None:
    film = MovieFactory(title="Spider-Man: Far From Home", release_year=2019)
    MovieFactory(title="Spider-Man", release_year=2002)

    response = anon_client.get(f"{BASE}/title-popularity/", {"title": title})

    assert response.status_code == 200
    assert response.json()["id"] == film.pk


def test_a_title_of_punctuation_alone_is_refused(anon_client: APIClient) -> None:
    response = anon_client.get(f"{BASE}/title-popularity/", {"title": "?!"})

    assert response.status_code == 400
