from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

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
