from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ratings.models import WatchlistEntry
from tests.factories import GenreFactory, MovieFactory, WatchlistEntryFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/watchlist/"


def test_it_adds_lists_and_removes_films(alice: Any, bob: Any, alice_client: APIClient) -> None:
    film = MovieFactory()
    WatchlistEntryFactory(user=bob)
    added = alice_client.post(URL, {"film": film.pk}, format="json")
    assert added.status_code == 201
    assert alice_client.post(URL, {"film": film.pk}, format="json").status_code == 200
    listed = alice_client.get(URL).json()
    assert [entry["film"]["id"] for entry in listed["results"]] == [film.pk]
    entry_id = added.json()["id"]
    assert alice_client.get(f"{URL}{entry_id}/").json()["film"]["id"] == film.pk
    assert alice_client.delete(f"{URL}{entry_id}/").status_code == 204
    assert not WatchlistEntry.objects.filter(user=alice).exists()


def test_adding_answers_the_entry_as_stored(alice_client: APIClient) -> None:
    film = MovieFactory(genres=[GenreFactory(name="Drama")])
    added = alice_client.post(URL, {"film": film.pk}, format="json").json()
    assert added == alice_client.get(f"{URL}{added['id']}/").json()
    assert added["film"]["genres"] == ["Drama"]
    assert alice_client.post(URL, {"film": film.pk}, format="json").json() == added


def test_options_describes_the_film_a_client_sends(alice_client: APIClient) -> None:
    posted = alice_client.options(URL).json()["actions"]["POST"]
    assert {name: (field["read_only"], field["required"]) for name, field in posted.items()} == {"film": (False, True)}


@pytest.mark.parametrize("method", ["get", "delete"])
def test_it_answers_404_for_another_users_entry(bob: Any, alice_client: APIClient, method: str) -> None:
    theirs = WatchlistEntryFactory(user=bob)
    assert getattr(alice_client, method)(f"{URL}{theirs.pk}/").status_code == 404
    assert WatchlistEntry.objects.filter(pk=theirs.pk).exists()


def test_it_ignores_an_owner_in_the_body(alice: Any, bob: Any, alice_client: APIClient) -> None:
    film = MovieFactory()
    alice_client.post(URL, {"film": film.pk, "user": bob.pk}, format="json")
    assert WatchlistEntry.objects.get(movie=film).user == alice


def test_it_answers_400_for_an_unknown_film_and_401_for_anonymous(
    anon_client: APIClient, alice_client: APIClient
) -> None:
    response = alice_client.post(URL, {"film": 999999}, format="json")
    assert response.status_code == 400
    assert "film" in response.json()
    assert anon_client.get(URL).status_code == 401


def test_a_session_write_without_the_csrf_token_is_refused(session_client: APIClient) -> None:
    film = MovieFactory()
    assert session_client.post(URL, {"film": film.pk}, format="json").status_code == 403
    assert not WatchlistEntry.objects.exists()
