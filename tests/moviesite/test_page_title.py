"""A page sent back with form errors says "Error: " first in its <title> (moviesite/page_title.py, base.html)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template import Context
from django.test import Client
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.forms import LoginForm
from moviesite.page_title import context_has_form_errors
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def title(response: HttpResponse) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL)
    assert match is not None
    return match.group(1)


@pytest.fixture
def signed_in(client: Client) -> Client:
    client.force_login(UserFactory(username="ana"))
    return client


def test_a_login_with_a_wrong_password_says_error_first(client: Client) -> None:
    UserFactory(username="ana")

    response = client.post(reverse("login"), {"username": "ana", "password": "not the password"})

    assert title(response) == "Error: Log in · moviesite"


def test_the_login_page_before_sending_has_no_error_in_its_title(client: Client) -> None:
    assert not title(client.get(reverse("login"))).startswith("Error")


def test_a_successful_form_leads_to_a_title_without_error(client: Client) -> None:
    UserFactory(username="ana")

    response = client.post(reverse("login"), {"username": "ana", "password": DEFAULT_PASSWORD}, follow=True)

    assert "Error" not in title(response)


def test_a_signup_with_errors_says_error_first_in_spanish(client: Client) -> None:
    response = client.post(reverse("signup"), {"username": "", "email": "nope"}, HTTP_ACCEPT_LANGUAGE="es")

    assert title(response).startswith("Error: Registrarse")


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("password_change", {"old_password": "wrong"}),
        ("profile", {"language": "xx"}),
        ("password_reset", {"email": "not an address"}),
    ],
)
def test_each_account_form_with_errors_says_error_first(signed_in: Client, url_name: str, data: dict[str, str]) -> None:
    response = signed_in.post(reverse(url_name), data)

    assert response.status_code == 200
    assert title(response).startswith("Error: ")


def test_a_refused_ratings_import_says_error_first(signed_in: Client) -> None:
    response = signed_in.post(reverse("ratings-import"), {"file": SimpleUploadedFile("r.csv", b"foo,bar\n1,2\n")})

    assert response.status_code == 400
    assert title(response).startswith("Error: ")


def test_a_browse_page_with_a_refused_filter_says_error_first(client: Client) -> None:
    assert title(client.get(reverse("movie-list"), {"year_from": "1800"})).startswith("Error: ")
    assert not title(client.get(reverse("movie-list"), {"year_from": "1990"})).startswith("Error")


def test_looking_for_forms_leaves_lazy_values_unevaluated() -> None:
    def evaluate() -> object:
        raise AssertionError("a lazy value was evaluated")

    context = Context({"csrf_token": SimpleLazyObject(evaluate), "form": LoginForm(data={})})

    assert context_has_form_errors(context)
