from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_LANGUAGE_KEY
from accounts.models import Profile
from tests.celery_worker import queued_tasks_run
from tests.factories import ProfileFactory, UserFactory

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


def test_an_email_already_used_in_another_case_makes_no_account_and_mails_its_owner(client: Client) -> None:
    UserFactory(username="first", email="Ana@Example.com")

    response = _signup(client, email="ana@EXAMPLE.com")

    assert response.status_code == 302
    assert response.url == reverse("signup-address-taken")
    assert not get_user_model().objects.filter(username="ana").exists()
    assert "_auth_user_id" not in client.session
    [message] = mail.outbox
    assert message.to == ["Ana@Example.com"]
    assert "Your username is first." in message.body
    assert "http://testserver/accounts/password_reset/" in message.body


def test_a_deactivated_owner_of_the_address_is_not_mailed_and_the_visitor_sees_the_same_page(
    client: Client,
) -> None:
    UserFactory(username="gone", email="ana@example.com", is_active=False)

    response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("signup-address-taken")
    assert not get_user_model().objects.filter(username="ana").exists()
    assert "_auth_user_id" not in client.session
    assert mail.outbox == []


class CountingHasher(MD5PasswordHasher):
    """The test suite's hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("address", ["ana@example.com", "nobody@example.com"])
def test_a_sign_up_hashes_its_password_whether_or_not_the_address_is_taken(
    client: Client, settings: Any, address: str
) -> None:
    """Found in the security round: with the production hasher a free address took 226 ms, a taken one 2 ms."""
    UserFactory(username="first", email="ana@example.com")
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup.CountingHasher"]
    CountingHasher.hashed = 0

    _signup(client, email=address)

    assert CountingHasher.hashed == 1


@pytest.mark.parametrize("active", [True, False])
def test_with_a_worker_a_taken_address_costs_the_request_a_queued_task_and_no_mail(
    client: Client, eager: Callable[[bool], None], active: bool
) -> None:
    """The owner's mail is the worker's to write and send; the request does the same whoever owns the address."""
    UserFactory(username="first", email="ana@example.com", is_active=active)
    eager(False)  # the services mode: tasks go to the broker (in memory here)

    response = _signup(client)

    assert response.status_code == 302 and response.url == reverse("signup-address-taken")
    assert mail.outbox == []
    assert queued_tasks_run() == ["accounts.signup_attempt_notify"]
    assert [message.to for message in mail.outbox] == ([["ana@example.com"]] if active else [])


def test_the_form_does_not_say_whether_an_email_has_an_account(client: Client) -> None:
    UserFactory(username="first", email="ana@example.com")

    taken = _signup(client, password2="something else entirely")
    free = _signup(client, email="nobody@example.com", password2="something else entirely")

    assert taken.context["form"].errors == free.context["form"].errors
    assert "email" not in taken.context["form"].errors
    assert mail.outbox == []


def test_a_weak_password_is_refused_alike_for_a_taken_and_a_free_address(client: Client) -> None:
    UserFactory(username="first", email="ana@example.com")

    taken = _signup(client, password1="password123", password2="password123")
    free = _signup(client, email="nobody@example.com", password1="password123", password2="password123")

    assert taken.status_code == free.status_code == 200
    assert taken.context["form"].errors == free.context["form"].errors
    assert "password1" in taken.context["form"].errors
    assert mail.outbox == []


def test_the_owner_hears_of_the_attempt_in_their_language(client: Client) -> None:
    ProfileFactory(user=UserFactory(username="first", email="ana@example.com"), language="es")

    _signup(client)

    assert mail.outbox[0].subject == "Alguien intentó registrarse con tu dirección"
    assert "Tu nombre de usuario es first." in mail.outbox[0].body


def test_the_address_taken_page_says_what_to_do_in_spanish(client: Client) -> None:
    html = client.get(reverse("signup-address-taken"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "Revisa tu correo" in html
    assert "Si la escribiste mal" in html


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


class BlockInPhrasingFinder(HTMLParser):
    """Records each <ul> opened inside a <p> or <span>, which only phrasing content may fill."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.misplaced: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"ul", "ol", "div"} and {"p", "span"} & set(self.open):
            self.misplaced.append(f"<{tag}> in {' > '.join(self.open)}")
        if tag in {"p", "span", "ul", "ol", "div", "li", "form"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]


def lists_inside_paragraphs(html: str) -> list[str]:
    finder = BlockInPhrasingFinder()
    finder.feed(html)
    return finder.misplaced


def test_the_signup_page_keeps_the_password_rules_list_out_of_paragraphs(client: Client) -> None:
    html = client.get(reverse("signup")).content.decode()

    assert "<ul><li>Your password" in html
    assert lists_inside_paragraphs(html) == []


def test_a_signup_with_errors_keeps_its_lists_out_of_paragraphs(client: Client) -> None:
    html = _signup(client, password2="something else").content.decode()

    assert 'class="errorlist' in html
    assert lists_inside_paragraphs(html) == []


def test_the_password_change_page_keeps_the_password_rules_list_out_of_paragraphs(client: Client) -> None:
    client.force_login(UserFactory())

    html = client.get(reverse("password_change")).content.decode()

    assert "<ul><li>" in html
    assert lists_inside_paragraphs(html) == []


def test_the_spanish_sign_up_form_speaks_to_the_reader_as_tu_like_the_rest_of_the_site(client: Client) -> None:
    # Django's own Spanish says "usted" ("Su contraseña…", "introduzca"); the site says "tú" everywhere else.
    response = client.post(
        reverse("signup"),
        {"username": "ana", "email": "not an address", "password1": "12345", "password2": "54321"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    html = response.content.decode()

    assert "Escribe una dirección de correo electrónico válida." in html
    assert "Tu contraseña no puede tener solo números." in html
    for usted in ("Su contraseña", "ntroduzca", "Escoja"):
        assert usted not in html


def test_a_refused_spanish_log_in_speaks_to_the_reader_as_tu(client: Client) -> None:
    response = client.post(reverse("login"), {"username": "nadie", "password": "x"}, HTTP_ACCEPT_LANGUAGE="es")

    assert "Escribe un nombre de usuario y una contraseña correctos." in response.content.decode()
