"""Rate limits count a client by the address the lockout uses: a forged X-Forwarded-For changes nothing.

DRF's throttles, left to themselves, identify an anonymous caller by the whole
X-Forwarded-For header as sent, so a client naming itself anew on each request
was never limited (found with curl against the login endpoint: 10/minute, yet
every request with a fresh header got a 400, never the 429).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from moviesite.throttling import AnonRateThrottle, ScopedRateThrottle

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
CLIENT_IP = "192.0.2.60"
PROXY_IP = "10.0.0.2"
MID_WINDOW = 1_800_000_030.0  # 30 s into a minute: no window rolls over during a test


@pytest.fixture
def login_limit_of_three(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # DRF reads the rates once at import; the suite's settings raise them for every other test.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    monkeypatch.setattr(ScopedRateThrottle, "timer", lambda self: MID_WINDOW)
    cache.clear()
    yield
    cache.clear()


def _login_attempt(forwarded_for: str, remote_addr: str = CLIENT_IP) -> int:
    response = APIClient().post(
        LOGIN,
        {"username": "nobody", "password": "x"},
        format="json",
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


@pytest.mark.usefixtures("login_limit_of_three")
def test_a_new_x_forwarded_for_on_each_request_does_not_escape_the_login_limit() -> None:
    statuses = [_login_attempt(f"203.0.113.{n}") for n in range(4)]

    assert statuses == [400, 400, 400, 429]


@pytest.mark.usefixtures("login_limit_of_three")
@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_limit_follows_the_address_the_proxy_appended() -> None:
    forged_then_real = [_login_attempt(f"198.51.100.{n}, {CLIENT_IP}", remote_addr=PROXY_IP) for n in range(4)]
    someone_else = _login_attempt("192.0.2.61", remote_addr=PROXY_IP)

    assert forged_then_real == [400, 400, 400, 429]
    assert someone_else == 400


def test_the_anonymous_limit_ignores_a_forged_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: MID_WINDOW)
    cache.clear()
    api = APIClient()

    statuses = [
        api.get("/api/v1/genres/", REMOTE_ADDR=CLIENT_IP, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(3)
    ]
    cache.clear()

    assert statuses == [200, 200, 429]
