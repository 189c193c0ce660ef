"""Logging out or deactivating an account ends its sessions and tokens."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.services import user_deactivate
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _logged_in_client(username: str) -> Client:
    browser = Client()
    response = browser.post(reverse("login"), {"username": username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return browser


def test_logout_ends_the_session_even_for_a_replayed_cookie(client: Client) -> None:
    user = UserFactory()
    browser = _logged_in_client(user.username)
    old_session_key = browser.cookies["sessionid"].value

    browser.post(reverse("logout"))
    replay = Client()
    replay.cookies["sessionid"] = old_session_key

    assert not Session.objects.filter(session_key=old_session_key).exists()
    assert replay.get(reverse("profile")).status_code == 302


def test_deactivation_ends_every_session_and_token_of_the_user_only() -> None:
    user, other = UserFactory(), UserFactory()
    browsers = [_logged_in_client(user.username), _logged_in_client(user.username)]
    bystander = _logged_in_client(other.username)
    _token_instance, token = AuthToken.objects.create(user=user)
    AuthToken.objects.create(user=other)

    user_deactivate(user=user)

    for browser in browsers:
        assert browser.get(reverse("profile")).status_code == 302
    assert bystander.get(reverse("profile")).status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/profile/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()
    assert AuthToken.objects.filter(user=other).count() == 1
    assert Session.objects.count() == 1


def test_a_deactivated_user_cannot_log_in_again(client: Client) -> None:
    user = UserFactory()
    user_deactivate(user=user)

    response = client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
