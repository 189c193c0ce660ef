"""A page on another site cannot make its visitors' browsers try passwords at the API login.

Found with a form posted cross-site: /api/v1/auth/login/ reads forms and, with
no session, checks no CSRF token, so a page elsewhere could post five wrong
passwords for a username from each visitor's browser. The username was then
locked out from the visitor's own address for 15 minutes (django-axes), and the
posts spent that address's login budget, shared with the site's and the
admin's log-in forms. A browser names the page's origin in `Origin`; the login
now refuses another origin before the throttle or axes see the request.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
VISITOR = "192.0.2.95"


def test_a_form_posted_from_another_site_is_refused_and_locks_nobody_out() -> None:
    UserFactory(username="victim")
    browser = Client(enforce_csrf_checks=True)

    answers = [
        browser.post(
            LOGIN,
            {"username": "victim", "password": f"guess {n}"},
            HTTP_ORIGIN="https://evil.example",
            REMOTE_ADDR=VISITOR,
        )
        for n in range(6)
    ]

    assert [answer.status_code for answer in answers] == [403] * 6
    assert answers[0].json() == {"detail": "A page on another site cannot log in here."}
    assert not AccessAttempt.objects.exists()
    own = browser.post(LOGIN, {"username": "victim", "password": DEFAULT_PASSWORD}, REMOTE_ADDR=VISITOR)
    assert own.status_code == 200 and own.json()["token"]


def test_the_sites_own_pages_and_api_clients_still_log_in() -> None:
    UserFactory(username="ana")
    credentials = {"username": "ana", "password": DEFAULT_PASSWORD}

    same_origin = APIClient().post(LOGIN, credentials, format="json", HTTP_ORIGIN="http://testserver")
    no_origin = APIClient().post(LOGIN, credentials, format="json")

    assert same_origin.status_code == no_origin.status_code == 200


def test_another_origin_is_told_so_in_spanish() -> None:
    answer = APIClient().post(
        LOGIN, {"username": "ana", "password": "x"}, format="json", HTTP_ORIGIN="null", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert answer.status_code == 403
    assert answer.json() == {"detail": "Una página de otro sitio no puede iniciar sesión aquí."}
