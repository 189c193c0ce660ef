from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_LANGUAGE_KEY
from tests.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_restores_the_profile_language(client: Client) -> None:
    profile = ProfileFactory(language="es")

    response = client.post(reverse("login"), {"username": profile.user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session[SESSION_LANGUAGE_KEY] == "es"
    assert response.cookies["django_language"].value == "es"


def test_it_creates_a_missing_profile_for_users_made_elsewhere(client: Client) -> None:
    user = UserFactory()

    client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})

    assert user.profile.language == "en"


def test_it_refuses_a_wrong_password(client: Client) -> None:
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": "not the password"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_it_follows_a_local_next(client: Client) -> None:
    user = UserFactory()

    response = client.post(
        reverse("login") + "?next=/accounts/profile/",
        {"username": user.username, "password": DEFAULT_PASSWORD, "next": "/accounts/profile/"},
    )

    assert response.url == "/accounts/profile/"


@pytest.mark.parametrize("target", ["https://elsewhere.example", "//elsewhere.example/", "https:/elsewhere.example"])
def test_it_never_follows_next_to_another_site(client: Client, target: str) -> None:
    user = UserFactory()

    response = client.post(
        reverse("login") + f"?next={target}", {"username": user.username, "password": DEFAULT_PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert "elsewhere.example" not in response.url
    assert response.url == reverse("home")


def test_the_language_chosen_survives_logging_out(client: Client) -> None:
    profile = ProfileFactory(language="es")
    client.post(reverse("login"), {"username": profile.user.username, "password": DEFAULT_PASSWORD})

    client.post(reverse("logout"))
    response = client.get(reverse("login"))

    assert response.headers["Content-Language"] == "es"
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client: Client) -> None:
    client.force_login(UserFactory())

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_a_refused_log_in_ties_its_error_to_both_fields(client: Client) -> None:
    user = UserFactory()

    html = client.post(reverse("login"), {"username": user.username, "password": "not the password"}).content.decode()

    assert '<div id="login-error" class="errorlist" role="alert">' in html
    for name in ("username", "password"):
        field = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
        assert field is not None
        assert 'aria-invalid="true"' in field.group() and 'aria-describedby="login-error"' in field.group()


def test_an_account_made_elsewhere_keeps_the_language_it_logs_in_with(client: Client) -> None:
    # The admin from ensure_admin, or an account made in the admin: no profile yet. Logging in on the
    # Spanish site switched it to English (the profile's default) and kept it there.
    user = UserFactory()
    client.cookies["django_language"] = "es"

    response = client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}, follow=True)

    assert user.profile.language == "es"
    assert response.headers["Content-Language"] == "es"


def test_logging_in_through_the_admin_also_restores_the_profile_language(client: Client) -> None:
    # A Spanish curator on a borrowed computer whose browser asks for English.
    profile = ProfileFactory(user=UserFactory(is_staff=True, is_superuser=True), language="es")

    client.post(
        reverse("admin:login"),
        {"username": profile.user.username, "password": DEFAULT_PASSWORD, "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.headers["Content-Language"] == "es"
    assert "Administración" in response.content.decode() or "Sitio de administración" in response.content.decode()
