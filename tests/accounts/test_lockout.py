"""django-axes locks a username out from one address after AXES_FAILURE_LIMIT failures (5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER_IP = "203.0.113.7"
OTHER_IP = "198.51.100.20"


def _fail(client: Client, url: str, username: str, times: int, ip: str = ATTACKER_IP) -> list[int]:
    return [
        client.post(url, {"username": username, "password": f"wrong-{n}"}, REMOTE_ADDR=ip).status_code
        for n in range(times)
    ]


def test_the_limit_is_five_failures() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_the_site_login_locks_out_after_five_failures_even_with_the_right_password(client: Client) -> None:
    user = UserFactory()

    statuses = _fail(client, reverse("login"), user.username, 5)
    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER_IP
    )

    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock_out(client: Client) -> None:
    user = UserFactory()
    _fail(client, reverse("login"), user.username, 4)

    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER_IP
    )

    assert response.status_code == 302


def test_another_address_still_logs_in_the_locked_user(client: Client) -> None:
    user = UserFactory()
    _fail(client, reverse("login"), user.username, 5)

    response = Client().post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=OTHER_IP
    )

    assert response.status_code == 302


def test_another_user_from_the_same_address_still_logs_in(client: Client) -> None:
    victim, bystander = UserFactory(), UserFactory()
    _fail(client, reverse("login"), victim.username, 5)

    response = Client().post(
        reverse("login"), {"username": bystander.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER_IP
    )

    assert response.status_code == 302


def test_the_admin_login_locks_out_too(client: Client) -> None:
    admin = StaffUserFactory()
    url = reverse("admin:login")

    _fail(client, url, admin.username, 5)
    response = client.post(
        url, {"username": admin.username, "password": DEFAULT_PASSWORD, "next": "/admin/"}, REMOTE_ADDR=ATTACKER_IP
    )

    assert response.status_code == 429
    assert not client.get("/admin/", REMOTE_ADDR=ATTACKER_IP).wsgi_request.user.is_authenticated


def test_failures_on_the_site_count_for_the_admin(client: Client) -> None:
    admin = StaffUserFactory()
    _fail(client, reverse("login"), admin.username, 5)

    response = client.post(
        reverse("admin:login"), {"username": admin.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER_IP
    )

    assert response.status_code == 429


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_lockout_follows_the_address_the_proxy_appended(client: Client) -> None:
    user = UserFactory()
    proxy = "10.0.0.2"
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": user.username, "password": f"wrong-{n}"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, {ATTACKER_IP}",  # a forged first entry changes nothing
        )

    attacker = client.post(
        reverse("login"),
        {"username": user.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=ATTACKER_IP,
    )
    someone_else = Client().post(
        reverse("login"),
        {"username": user.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OTHER_IP,
    )

    assert attacker.status_code == 429
    assert someone_else.status_code == 302


def test_the_api_lockout_says_how_long_is_left_and_sends_retry_after() -> None:
    user = UserFactory()
    api = APIClient()
    login = "/api/v1/auth/login/"
    for n in range(5):
        api.post(login, {"username": user.username, "password": f"wrong-{n}"}, format="json", REMOTE_ADDR=ATTACKER_IP)
    # The last failure was 11 minutes and 30 seconds ago: 3.5 of the 15 minutes are left.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=11, seconds=30))

    locked = api.post(
        login,
        {"username": user.username, "password": DEFAULT_PASSWORD},
        format="json",
        REMOTE_ADDR=ATTACKER_IP,
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert locked.status_code == 429
    assert 205 <= int(locked["Retry-After"]) <= 210
    assert locked.json()["retry_after"] == int(locked["Retry-After"])
    assert "dentro de 4 minutos" in locked.json()["detail"]


def test_the_site_lockout_page_sends_retry_after(client: Client) -> None:
    user = UserFactory()
    _fail(client, reverse("login"), user.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14, seconds=30))

    response = client.post(
        reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER_IP
    )

    assert response.status_code == 429
    assert 25 <= int(response["Retry-After"]) <= 30
    assert "1 minute." in response.content.decode()
