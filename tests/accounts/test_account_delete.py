"""Deleting one's own account: on the site (password asked again), through the API, and from the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.services import user_delete
from catalog.models import Movie
from catalog.services import movie_rating_stats_refresh
from ratings.models import Dismissal, Rating, RatingChange, WatchlistEntry
from tests.factories import (
    DEFAULT_PASSWORD,
    DismissalFactory,
    MovieFactory,
    ProfileFactory,
    RatingFactory,
    StaffUserFactory,
    UserFactory,
    WatchlistEntryFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNT_API = "/api/v1/me/account/delete/"


def _user_with_everything() -> tuple[object, Movie]:
    user = ProfileFactory().user
    film = MovieFactory()
    RatingFactory(user=user, movie=film, score=5.0)
    RatingFactory(user=user, score=1.0)
    WatchlistEntryFactory(user=user)
    DismissalFactory(user=user)
    return user, film


def _signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_service_deletes_everything_the_account_holds_and_marks_its_films_for_their_figures() -> None:
    user, film = _user_with_everything()
    AuthToken.objects.create(user=user)
    _signed_in(user)
    other = RatingFactory(movie=film, score=3.0)
    RatingChange.objects.all().delete()

    rated = user_delete(user=user)  # type: ignore[arg-type]

    assert rated == 2
    assert not get_user_model().objects.filter(pk=user.pk).exists()  # type: ignore[attr-defined]
    assert Rating.objects.get() == other
    assert not WatchlistEntry.objects.exists()
    assert not Dismissal.objects.exists()
    assert not AuthToken.objects.filter(user_id=user.pk).exists()  # type: ignore[attr-defined]
    assert all(str(s.get_decoded().get("_auth_user_id")) != str(user.pk) for s in Session.objects.all())  # type: ignore[attr-defined]
    assert film.pk in set(RatingChange.objects.values_list("movie_id", flat=True))


def test_in_the_embedded_mode_the_films_figures_drop_the_deleted_ratings_at_once(
    django_capture_on_commit_callbacks: object, settings: object
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True  # type: ignore[attr-defined]
    user, film = _user_with_everything()
    RatingFactory(movie=film, score=3.0)
    movie_rating_stats_refresh()
    assert Movie.objects.get(pk=film.pk).ratings_count == 2

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        user_delete(user=user)  # type: ignore[arg-type]

    film.refresh_from_db()
    assert (film.ratings_count, film.ratings_average) == (1, 3.0)


def test_the_page_asks_for_the_password_and_a_wrong_one_deletes_nothing() -> None:
    user, _film = _user_with_everything()
    client = _signed_in(user)

    page = client.get(reverse("account-delete"))
    wrong = client.post(reverse("account-delete"), {"password": "not the password"})

    assert page.status_code == 200
    assert "2 ratings" in page.content.decode()
    assert wrong.status_code == 200
    assert "That is not your password." in wrong.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()  # type: ignore[attr-defined]
    assert Rating.objects.filter(user=user).count() == 2


def test_the_right_password_deletes_the_account_signs_out_and_says_so() -> None:
    user, _film = _user_with_everything()
    client = _signed_in(user)

    response = client.post(reverse("account-delete"), {"password": DEFAULT_PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert "Your account is deleted, with its 2 ratings." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not get_user_model().objects.filter(pk=user.pk).exists()  # type: ignore[attr-defined]
    assert not Rating.objects.exists()


def test_the_page_speaks_spanish() -> None:
    user = ProfileFactory(language="es").user
    RatingFactory(user=user)
    client = _signed_in(user)

    page = client.get(reverse("account-delete"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    done = client.post(
        reverse("account-delete"), {"password": DEFAULT_PASSWORD}, HTTP_ACCEPT_LANGUAGE="es", follow=True
    ).content.decode()

    assert "Eliminar tu cuenta" in page
    assert "con su 1 valoración" in page
    assert "Tu cuenta se ha eliminado, con su 1 valoración." in done


def test_anonymous_visitors_are_sent_to_log_in() -> None:
    response = Client().get(reverse("account-delete"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_profile_page_links_to_it() -> None:
    client = _signed_in(UserFactory())

    assert reverse("account-delete") in client.get(reverse("profile")).content.decode()


def test_the_api_deletes_the_account_with_its_password_and_its_token_stops_working() -> None:
    user, _film = _user_with_everything()
    _instance, token = AuthToken.objects.create(user=user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.post(ACCOUNT_API, {"password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 204
    assert not get_user_model().objects.filter(pk=user.pk).exists()  # type: ignore[attr-defined]
    assert api.get("/api/v1/me/profile/").status_code == 401


@pytest.mark.parametrize(
    ("body", "field_message"),
    [({}, "This field is required."), ({"password": "wrong"}, "That is not your password.")],
)
def test_the_api_refuses_a_missing_or_wrong_password_with_400_and_deletes_nothing(
    body: dict[str, str], field_message: str
) -> None:
    user, _film = _user_with_everything()
    api = APIClient()
    api.force_authenticate(user)  # type: ignore[arg-type]

    response = api.post(ACCOUNT_API, body, format="json")

    assert response.status_code == 400
    assert response.json() == {"password": [field_message]}
    assert Rating.objects.filter(user=user).count() == 2


def test_the_api_refuses_anonymous_callers() -> None:
    assert APIClient().post(ACCOUNT_API, {"password": "x"}, format="json").status_code == 401


def test_an_admin_delete_goes_through_the_service_so_the_films_are_marked() -> None:
    user, film = _user_with_everything()
    RatingChange.objects.all().delete()
    admin_client = _signed_in(StaffUserFactory())

    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[user.pk]),  # type: ignore[attr-defined]
        {"post": "yes"},
    )

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()  # type: ignore[attr-defined]
    assert film.pk in set(RatingChange.objects.values_list("movie_id", flat=True))
