from __future__ import annotations

import re
import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.celery_worker import queued_tasks_run
from tests.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def _without_csrf_tokens(page: bytes) -> bytes:
    # Each rendered form carries a freshly masked CSRF token; everything else must match.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_reset_answers_the_same_for_a_known_and_an_unknown_address(client: Client) -> None:
    UserFactory(email="known@example.com")

    known = client.post(reverse("password_reset"), {"email": "known@example.com"}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert _without_csrf_tokens(known.content) == _without_csrf_tokens(unknown.content)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["known@example.com"]


def test_the_reset_link_sets_a_new_password(client: Client) -> None:
    user = UserFactory(email="known@example.com")
    client.post(reverse("password_reset"), {"email": "known@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase 9", "new_password2": "a brand new passphrase 9"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase 9")


def test_password_change_keeps_this_session_and_ends_the_others(client: Client) -> None:
    user = UserFactory()
    other_browser = Client()
    other_browser.force_login(user)
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another long phrase 3",
            "new_password2": "another long phrase 3",
        },
    )

    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    assert other_browser.get(reverse("profile")).status_code == 302


@pytest.mark.parametrize(("account_language", "browser_language"), [("es", "en"), ("en", "es")])
def test_the_reset_mail_is_written_in_the_account_holders_language(
    client: Client, account_language: str, browser_language: str
) -> None:
    # The request comes from a browser in the other language (a new phone, a shared computer).
    ProfileFactory(user=UserFactory(email="known@example.com"), language=account_language)

    client.post(reverse("password_reset"), {"email": "known@example.com"}, HTTP_ACCEPT_LANGUAGE=browser_language)

    subjects = {"en": "Reset your moviesite password", "es": "Restablece tu contraseña de moviesite"}
    assert mail.outbox[0].subject == subjects[account_language]
    assert ("Your username is" in mail.outbox[0].body) is (account_language == "en")


def test_the_reset_mail_of_an_account_without_a_profile_follows_the_request(client: Client) -> None:
    UserFactory(email="known@example.com")  # made in the admin or the shell: no profile, no language of its own

    client.post(reverse("password_reset"), {"email": "known@example.com"}, HTTP_ACCEPT_LANGUAGE="es")

    assert mail.outbox[0].subject == "Restablece tu contraseña de moviesite"


def _answer(response: HttpResponse) -> tuple[int, dict[str, str], bytes, dict[str, str]]:
    """What a client can tell of a response: status, headers, body, cookies."""
    cookies = {name: morsel.value for name, morsel in response.cookies.items()}
    return response.status_code, dict(response.headers), response.content, cookies


def test_with_a_worker_the_reset_request_reads_no_account_and_mails_no_one_itself(
    client: Client, eager: Callable[[bool], None]
) -> None:
    """Found in the security round: the mail went out inside the request, so a known address answered slower."""
    UserFactory(email="known@example.com")
    eager(False)  # the services mode: tasks go to the broker (in memory here)

    with CaptureQueriesContext(connection) as known_queries:
        known = client.post(reverse("password_reset"), {"email": "known@example.com"})
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert known.status_code == 302 and known.url == reverse("password_reset_done")
    assert _answer(known) == _answer(unknown)
    assert [query["sql"] for query in known_queries] == [query["sql"] for query in unknown_queries]
    assert not any("auth_user" in query["sql"] for query in known_queries)
    assert mail.outbox == []

    # The worker's side: each message decides for itself, and only the known address gets a mail.
    assert queued_tasks_run() == ["accounts.password_reset_mail_send"] * 2
    assert [message.to for message in mail.outbox] == [["known@example.com"]]


def test_the_reset_link_made_by_the_task_is_the_one_the_request_would_make(client: Client, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["films.example.com"]
    UserFactory(email="known@example.com")

    client.post(reverse("password_reset"), {"email": "known@example.com"}, secure=True, HTTP_HOST="films.example.com")

    assert "https://films.example.com/accounts/reset/" in mail.outbox[0].body
    assert "on films.example.com." in mail.outbox[0].body


@pytest.mark.parametrize("address", ["known@example.com", "nobody@example.com"])
def test_when_the_broker_cannot_be_reached_the_reset_mail_is_sent_from_the_request(
    client: Client, eager: Callable[[bool], None], monkeypatch: pytest.MonkeyPatch, address: str
) -> None:
    """A mail is not worth losing to a Redis outage: the task runs in the request instead, as in the embedded mode."""
    from accounts.tasks import password_reset_mail_send_task

    def broker_down(*args: object, **kwargs: object) -> None:
        raise OSError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    UserFactory(email="known@example.com")
    eager(False)
    monkeypatch.setattr(password_reset_mail_send_task, "apply_async", broker_down)

    response = client.post(reverse("password_reset"), {"email": address})

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == ([[address]] if address.startswith("known") else [])


def test_a_reset_mail_that_fails_to_go_out_still_answers_as_for_any_address(
    client: Client, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    UserFactory(email="known@example.com")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 1

    known = client.post(reverse("password_reset"), {"email": "known@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert _answer(known) == _answer(unknown)
    assert "Failed to send password reset email" in caplog.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
