"""The password change forms (site and admin) are limited like a login: they check the current password.

Found with a loop of POSTs: 30 wrong current passwords in a row on
/accounts/password_change/ were all answered with the form again, never a 429,
and django-axes does not see them (the form calls check_password, not
authenticate). Whoever held a session (a shared computer, a stolen cookie) could
try passwords there without limit until one fitted, then set their own and
shut the owner out of every other browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from moviesite.throttling import ScopedRateThrottle
from tests.factories import DEFAULT_PASSWORD, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "192.0.2.80"
OTHER_ADDRESS = "192.0.2.81"
NEW_PASSWORD = "a brand new passphrase 9"
MID_WINDOW = 1_800_000_030.0  # 30 s into a minute: no window rolls over during a test


@pytest.fixture(autouse=True)
def three_logins_per_minute(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # DRF reads the rates once at import; the suite's settings raise them for every other test.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    monkeypatch.setattr(ScopedRateThrottle, "timer", lambda self: MID_WINDOW)
    cache.clear()
    yield
    cache.clear()


def _change(client: Client, url: str, old_password: str, address: str = ADDRESS) -> int:
    response = client.post(
        url,
        {"old_password": old_password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        REMOTE_ADDR=address,
    )
    return response.status_code


@pytest.mark.parametrize(
    ("url", "make_user"),
    [("/accounts/password_change/", UserFactory), ("/admin/password_change/", StaffUserFactory)],
    ids=["site", "admin"],
)
def test_guessing_the_current_password_is_paused_like_a_login(url: str, make_user: type[UserFactory]) -> None:
    user = make_user()
    session = Client()
    session.force_login(user)

    guesses = [_change(session, url, f"guess {n}") for n in range(3)]
    paused = _change(session, url, DEFAULT_PASSWORD)

    assert guesses == [200, 200, 200]  # the form again, with its error
    assert paused == 429
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)  # refused before the form was read
    # A signed-in form is counted per account (the login scope's counter for a signed-in
    # caller): a new address does not buy more guesses, and another account is not held up.
    assert _change(session, url, DEFAULT_PASSWORD, address=OTHER_ADDRESS) == 429
    neighbour = Client()
    neighbour.force_login(make_user())
    assert _change(neighbour, url, DEFAULT_PASSWORD) == 302


def test_the_site_form_keeps_its_name_and_the_admin_form_stays_staff_only() -> None:
    assert reverse("password_change") == "/accounts/password_change/"
    assert reverse("admin:password_change") == "/admin/password_change/"
    plain = Client()
    plain.force_login(UserFactory())

    response = plain.get("/admin/password_change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert _change(plain, "/admin/password_change/", DEFAULT_PASSWORD) == 302
    assert Client().get("/accounts/password_change/").status_code == 302  # to the log-in page
