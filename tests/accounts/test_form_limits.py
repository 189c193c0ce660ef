"""The site's account forms limit their POSTs per client address (accounts.lockout.posts_limited_per_address).

Django-axes locks one username out from one address; without these limits one
address could try a password on any number of usernames through the site or
admin login, create accounts without end, or send a victim reset mail after
reset mail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from moviesite.throttling import ScopedRateThrottle
from tests.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.70"
OTHER_ADDRESS = "192.0.2.71"
PASSWORD = "a-decent passphrase 7"
WRONG_PASSWORD = "not the password"
MID_WINDOW = 1_800_000_030.0  # 30 s into a minute (and an hour): no window rolls over during a test


@pytest.fixture(autouse=True)
def three_posts_per_scope(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # DRF reads the rates once at import; the suite's settings raise them for every other test.
    rates = {scope: "3/minute" for scope in ["login", "signup", "password_reset"]}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(ScopedRateThrottle, "timer", lambda self: MID_WINDOW)
    cache.clear()
    yield
    cache.clear()


def _site_login(username: str, password: str = WRONG_PASSWORD, address: str = ADDRESS, **headers: str):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def test_one_address_trying_many_usernames_on_the_site_login_is_paused() -> None:
    UserFactory(username="ana", password=PASSWORD)

    wrong = [_site_login(f"user{n}").status_code for n in range(3)]
    paused = _site_login("ana", PASSWORD)

    assert wrong == [200, 200, 200]  # the form again, with its error
    assert paused.status_code == 429
    assert 1 <= int(paused["Retry-After"]) <= 60
    assert "Too many attempts from your address" in paused.content.decode()
    assert "_auth_user_id" not in paused.wsgi_request.session  # refused before the password was read


def test_another_address_still_logs_in_while_one_is_paused() -> None:
    UserFactory(username="ana", password=PASSWORD)
    for n in range(4):
        _site_login(f"user{n}")

    assert _site_login("ana", PASSWORD, address=OTHER_ADDRESS).status_code == 302


def test_showing_the_login_form_does_not_count() -> None:
    UserFactory(username="ana", password=PASSWORD)
    for _ in range(5):
        assert Client().get(reverse("login"), REMOTE_ADDR=ADDRESS).status_code == 200

    assert _site_login("ana", PASSWORD).status_code == 302


def test_the_site_login_and_the_api_login_share_one_budget_per_address() -> None:
    for n in range(3):
        APIClient().post(
            "/api/v1/auth/login/", {"username": f"user{n}", "password": "x"}, format="json", REMOTE_ADDR=ADDRESS
        )

    assert _site_login("ana").status_code == 429


def test_the_admin_login_is_limited_too() -> None:
    StaffUserFactory(username="boss", password=PASSWORD)
    admin_login = reverse("admin:login")

    wrong = [
        Client().post(admin_login, {"username": f"user{n}", "password": "x"}, REMOTE_ADDR=ADDRESS).status_code
        for n in range(3)
    ]
    paused = Client().post(admin_login, {"username": "boss", "password": PASSWORD}, REMOTE_ADDR=ADDRESS)

    assert wrong == [200, 200, 200]
    assert paused.status_code == 429


def test_reset_mail_for_one_address_stops_after_the_limit() -> None:
    UserFactory(email="victim@example.com")

    statuses = [
        Client().post(reverse("password_reset"), {"email": "victim@example.com"}, REMOTE_ADDR=ADDRESS).status_code
        for _ in range(5)
    ]

    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3


def test_signups_from_one_address_stop_after_the_limit() -> None:
    statuses = [
        Client()
        .post(
            reverse("signup"),
            {"username": f"new{n}", "email": f"new{n}@example.com", "password1": PASSWORD, "password2": PASSWORD},
            REMOTE_ADDR=ADDRESS,
        )
        .status_code
        for n in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert get_user_model().objects.filter(username__startswith="new").count() == 3


def test_the_pause_page_speaks_spanish() -> None:
    for n in range(3):
        _site_login(f"user{n}")

    paused = _site_login("ana", HTTP_ACCEPT_LANGUAGE="es")

    assert paused.status_code == 429
    assert "Demasiados intentos desde tu dirección" in paused.content.decode()
