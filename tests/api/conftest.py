"""Clients for the API tests.

alice and bob are ordinary users (bob exists to prove alice never sees his
rows); staff is an administrator. `alice_client` authenticates with a real
knox token, `session_client` with a real session cookie and CSRF enforced.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from recommender.catalog_data import catalog_snapshot_clear
from recommender.registry import registry
from tests.factories import StaffUserFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_recommender_state(settings: Any) -> Iterator[None]:
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 0
    settings.RECOMMENDER_CATALOG_TTL = 0
    catalog_snapshot_clear()
    registry.reset()
    yield
    catalog_snapshot_clear()
    registry.reset()


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
