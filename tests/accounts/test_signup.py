from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_LANGUAGE_KEY
from accounts.models import Profile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSPHRASE_64 = "correct horse battery staple and a long walk to the cinema tonit"


def _signup(client: Client, **overrides: str):
    data = {
        "username": "ana",
        "email": "ana@example.com",
        "password1": "a-decent passphrase 7",
        "password2": "a-decent passphrase 7",
        **overrides,
    }
    return client.post(reverse("signup"), data)


def test_the_64_character_passphrase_is_64_characters() -> None:
    assert len(PASSPHRASE_64) == 64


def test_it_creates_the_user_and_profile_logs_in_and_goes_to_onboarding(client: Client) -> None:
    response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("onboarding")
    user = get_user_model().objects.get(username="ana")
    assert user.check_password("a-decent passphrase 7")
    assert Profile.objects.filter(user=user, language="en").exists()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_LANGUAGE_KEY] == "en"


def test_it_keeps_the_language_the_visitor_was_browsing_in(client: Client) -> None:
    client.cookies["django_language"] = "es"

    _signup(client)

    assert Profile.objects.get(user__username="ana").language == "es"


def test_it_refuses_an_email_already_used_in_another_case(client: Client) -> None:
    UserFactory(username="first", email="Ana@Example.com")

    response = _signup(client, email="ana@EXAMPLE.com")

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="ana").exists()


def test_it_refuses_a_username_already_used_in_another_case(client: Client) -> None:
    UserFactory(username="Ana")

    response = _signup(client)

    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_it_refuses_password123(client: Client) -> None:
    response = _signup(client, password1="password123", password2="password123")

    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="ana").exists()


def test_it_refuses_two_different_passwords(client: Client) -> None:
    response = _signup(client, password2="something else entirely")

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors


def test_it_accepts_a_64_character_passphrase_and_logs_in_with_it(client: Client) -> None:
    response = _signup(client, password1=PASSPHRASE_64, password2=PASSPHRASE_64)
    assert response.status_code == 302
    client.post(reverse("logout"))

    response = client.post(reverse("login"), {"username": "ana", "password": PASSPHRASE_64})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="ana").pk)


def test_the_signup_page_renders_for_anonymous_visitors(client: Client) -> None:
    response = client.get(reverse("signup"))

    assert response.status_code == 200
    assert b'name="email"' in response.content
