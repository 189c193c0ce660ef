"""The current user's ratings: CRUD, isolation between users, mass assignment, CSRF, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.middleware.csrf import CSRF_ALLOWED_CHARS
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from ratings.models import Rating
from tests.factories import GenreFactory, MovieFactory, RatingFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/ratings/"


def test_it_creates_then_changes_a_rating_through_post(alice: Any, alice_client: APIClient) -> None:
    film = MovieFactory()
    created = alice_client.post(URL, {"film": film.pk, "score": 4.5}, format="json")
    assert created.status_code == 201
    assert created.json()["film"]["id"] == film.pk
    assert created.json()["score"] == 4.5
    changed = alice_client.post(URL, {"film": film.pk, "score": 2}, format="json")
    assert changed.status_code == 200
    assert Rating.objects.get(user=alice, movie=film).score == 2.0


def test_it_lists_only_the_callers_ratings(alice: Any, bob: Any, alice_client: APIClient) -> None:
    mine = RatingFactory(user=alice, score=3.5)
    RatingFactory(user=bob)
    body = alice_client.get(URL).json()
    assert [(r["id"], r["score"]) for r in body["results"]] == [(mine.pk, 3.5)]


def test_it_updates_and_deletes_one_rating(alice: Any, alice_client: APIClient) -> None:
    rating = RatingFactory(user=alice, score=3.0)
    assert alice_client.get(f"{URL}{rating.pk}/").json()["score"] == 3.0
    assert alice_client.put(f"{URL}{rating.pk}/", {"score": 5}, format="json").json()["score"] == 5.0
    assert alice_client.patch(f"{URL}{rating.pk}/", {"score": 1.5}, format="json").json()["score"] == 1.5
    assert alice_client.delete(f"{URL}{rating.pk}/").status_code == 204
    assert not Rating.objects.filter(pk=rating.pk).exists()


def test_options_describes_what_a_client_sends(alice: Any, alice_client: APIClient) -> None:
    """Not the answer's fields, which are all read-only."""
    posted = alice_client.options(URL).json()["actions"]["POST"]
    assert {name: (field["read_only"], field["required"]) for name, field in posted.items()} == {
        "film": (False, True),
        "score": (False, True),
    }
    rating = RatingFactory(user=alice)
    put = alice_client.options(f"{URL}{rating.pk}/").json()["actions"]["PUT"]
    assert {name: (field["read_only"], field["required"]) for name, field in put.items()} == {"score": (False, True)}


def test_a_write_answers_the_rating_as_stored(alice: Any, alice_client: APIClient) -> None:
    film = MovieFactory(genres=[GenreFactory(name="Drama"), GenreFactory(name="Crime")])
    created = alice_client.post(URL, {"film": film.pk, "score": 4.5}, format="json").json()
    assert created == alice_client.get(f"{URL}{created['id']}/").json()
    assert sorted(created["film"]["genres"]) == ["Crime", "Drama"]
    changed = alice_client.put(f"{URL}{created['id']}/", {"score": 2}, format="json").json()
    assert changed == alice_client.get(f"{URL}{created['id']}/").json()
    assert changed["score"] == 2.0
    assert changed["updated_at"] > created["updated_at"]
    unchanged = alice_client.post(URL, {"film": film.pk, "score": 2}, format="json").json()
    assert unchanged == changed


def test_a_write_reads_the_film_once_and_the_rating_once(
    alice: Any, alice_client: APIClient, django_assert_num_queries: Any, settings: Any
) -> None:
    settings.RECOMMENDER_CATALOG_TTL = 300  # film summaries kept, as in production (the API tests' default is 0)
    film = MovieFactory(genres=[GenreFactory(name="Drama")])
    alice_client.get(URL)
    alice_client.get("/api/v1/films/", {"q": film.title})  # the film's summary is kept from here on
    # PostgreSQL: the token, the film, and one upsert that also clears "not
    # interested" and records the film's RatingChange. SQLite: the upsert, the
    # clearing and the RatingChange in a transaction (a savepoint and its
    # release inside the test's).
    writes = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(2 + writes):
        rating_id = alice_client.post(URL, {"film": film.pk, "score": 4.5}, format="json").json()["id"]
    # The token, the rating with its film, then the same write.
    with django_assert_num_queries(2 + writes):
        assert alice_client.put(f"{URL}{rating_id}/", {"score": 3}, format="json").status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_it_answers_404_for_another_users_rating_and_leaves_it_alone(
    bob: Any, alice_client: APIClient, method: str
) -> None:
    theirs = RatingFactory(user=bob, score=4.0)
    response = getattr(alice_client, method)(f"{URL}{theirs.pk}/", {"score": 1.0}, format="json")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.score == 4.0


def test_it_ignores_user_and_is_staff_in_the_body(alice: Any, bob: Any, alice_client: APIClient) -> None:
    film = MovieFactory()
    body = {"film": film.pk, "score": 4.0, "user": bob.pk, "user_id": bob.pk, "is_staff": True, "id": 12345}
    assert alice_client.post(URL, body, format="json").status_code == 201
    rating = Rating.objects.get(movie=film)
    assert rating.user == alice
    assert rating.pk != 12345
    assert not Rating.objects.filter(user=bob).exists()
    alice.refresh_from_db()
    assert not alice.is_staff
    other_film = MovieFactory()
    alice_client.patch(f"{URL}{rating.pk}/", {"score": 2.0, "film": other_film.pk, "user": bob.pk}, format="json")
    rating.refresh_from_db()
    assert (rating.user, rating.movie, rating.score) == (alice, film, 2.0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"film": "FILM_AS_TEXT", "score": 4.0}, "film"),
        ({"score": 4.0}, "film"),
        ({"film": 999999, "score": 4.0}, "film"),
        ({"film": "FILM", "score": 5.5}, "score"),
        ({"film": "FILM", "score": 0}, "score"),
        ({"film": "FILM", "score": 3.7}, "score"),
        ({"film": "FILM", "score": "4"}, "score"),
        ({"film": "FILM", "score": True}, "score"),
        ({"film": True, "score": 4}, "film"),
        ({"film": "FILM"}, "score"),
    ],
)
def test_it_answers_400_naming_the_field_for_bad_input(
    alice_client: APIClient, body: dict[str, Any], field: str
) -> None:
    film = MovieFactory()
    stand_ins = {"FILM": film.pk, "FILM_AS_TEXT": str(film.pk)}
    body = {key: stand_ins.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    response = alice_client.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Rating.objects.exists()


def test_it_answers_400_for_malformed_json(alice_client: APIClient) -> None:
    response = alice_client.post(URL, '{"film": 1, "score": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert alice_client.post(URL, "[1, 2]", content_type="application/json").status_code == 400


def test_it_refuses_form_encoded_writes(alice_client: APIClient) -> None:
    film = MovieFactory()
    assert alice_client.post(URL, {"film": film.pk, "score": 4}).status_code == 415


def test_it_refuses_anonymous_reads_and_writes(anon_client: APIClient) -> None:
    film = MovieFactory()
    assert anon_client.get(URL).status_code == 401
    assert anon_client.post(URL, {"film": film.pk, "score": 4.0}, format="json").status_code == 401
    assert not Rating.objects.exists()


def test_a_session_write_without_the_csrf_token_is_refused(session_client: APIClient) -> None:
    film = MovieFactory()
    response = session_client.post(URL, {"film": film.pk, "score": 4.0}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Rating.objects.exists()


def test_a_session_write_with_the_csrf_token_goes_through(session_client: APIClient) -> None:
    film = MovieFactory()
    # What a browser holds after any page with a form: the cookie, echoed in the header.
    token = get_random_string(32, allowed_chars=CSRF_ALLOWED_CHARS)
    session_client.cookies[settings.CSRF_COOKIE_NAME] = token
    response = session_client.post(URL, {"film": film.pk, "score": 4.0}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_a_session_read_needs_no_csrf_token(session_client: APIClient, alice: Any) -> None:
    RatingFactory(user=alice)
    assert session_client.get(URL).json()["count"] == 1
