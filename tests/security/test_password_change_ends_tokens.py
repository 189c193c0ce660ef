"""A new password shuts out every API token of the account, as it shuts out the other browsers.

Found by reading: Django ends the other sessions on a password change or reset
(each session carries the password's hash), but knox tokens carry nothing of the
password. With AUTO_REFRESH a stolen token that keeps being used never expires,
so an owner who changed or reset the password after a theft still left the
thief reading and writing their ratings through the API.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 9"
PROFILE = "/api/v1/me/profile/"


def _token(username: str, password: str = DEFAULT_PASSWORD) -> str:
    response = APIClient().post("/api/v1/auth/login/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200
    token: str = response.json()["token"]
    return token


def _profile_status(token: str) -> int:
    return APIClient().get(PROFILE, HTTP_AUTHORIZATION=f"Token {token}").status_code


def test_a_password_change_on_the_site_ends_every_api_token() -> None:
    user = UserFactory()
    tokens = [_token(user.username), _token(user.username)]
    browser = Client()
    browser.force_login(user)

    response = browser.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert [_profile_status(token) for token in tokens] == [401, 401]
    assert _profile_status(_token(user.username, NEW_PASSWORD)) == 200  # a new log-in works


def test_a_password_reset_ends_every_api_token() -> None:
    user = UserFactory(email="owner@example.com")
    token = _token(user.username)
    browser = Client()
    browser.post(reverse("password_reset"), {"email": "owner@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    form_page = browser.get(link.group(1), follow=True)

    response = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert _profile_status(token) == 401


def test_an_admin_setting_the_password_or_changepassword_ends_the_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory()
    first = _token(user.username)
    admin = Client()
    admin.force_login(StaffUserFactory())

    response = admin.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _profile_status(first) == 401

    second = _token(user.username, NEW_PASSWORD)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "yet another passphrase 5")
    call_command("changepassword", user.username, stdout=None)
    assert _profile_status(second) == 401


def test_other_saves_of_the_user_keep_the_tokens() -> None:
    user = UserFactory()
    token = _token(user.username)
    _token(user.username)  # a log-in saves last_login

    user = get_user_model().objects.get(pk=user.pk)
    user.first_name = "Ana"
    user.save()

    assert _profile_status(token) == 200
