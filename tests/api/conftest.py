"""Clients for the API tests.

alice and bob are ordinary users (bob exists to prove alice never sees his
rows); staff is an administrator. `alice_client` authenticates with a real
knox token, `session_client` with a real session cookie and CSRF enforced.
"""

from __future__ import annotations

from typing import Any

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import StaffUserFactory, UserFactory
from tests.recommender_state import fresh_recommender_state, recommender_ttls_off  # noqa: F401 - autouse


def token_client(user: Any) -> APIClient:
    _instance, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def alice(db: None) -> Any:
    return UserFactory(username="alice")


@pytest.fixture
def bob(db: None) -> Any:
    return UserFactory(username="bob")


@pytest.fixture
def staff(db: None) -> Any:
    return StaffUserFactory(username="staff")


@pytest.fixture
def alice_client(alice: Any) -> APIClient:
    return token_client(alice)


@pytest.fixture
def bob_client(bob: Any) -> APIClient:
    return token_client(bob)


@pytest.fixture
def staff_client(staff: Any) -> APIClient:
    return token_client(staff)


@pytest.fixture
def session_client(alice: Any) -> APIClient:
    """Alice with a real session cookie, as after logging in on the site, with CSRF checks on."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    return client
