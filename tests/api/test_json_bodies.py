"""Every JSON endpoint answers a body nested too deeply with a 400, never a RecursionError (500)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

# Far deeper than Python's recursion limit (1000).
TOO_DEEP = "[" * 3000 + "]" * 3000


def _post_too_deep(client: APIClient, method: str, path: str) -> Any:
    return getattr(client, method)(path, TOO_DEEP, content_type="application/json")


def test_the_anonymous_login_answers_400_to_a_body_nested_too_deeply(anon_client: APIClient) -> None:
    response = _post_too_deep(anon_client, "post", "/api/v1/auth/login/")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("patch", "/api/v1/me/profile/"),
        ("post", "/api/v1/me/ratings/"),
        ("post", "/api/v1/me/watchlist/"),
    ],
)
def test_signed_in_endpoints_answer_400_to_a_body_nested_too_deeply(
    alice_client: APIClient, method: str, path: str
) -> None:
    response = _post_too_deep(alice_client, method, path)
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_staff_endpoints_answer_400_to_a_body_nested_too_deeply() -> None:
    client = APIClient()
    client.force_authenticate(StaffUserFactory())
    response = _post_too_deep(client, "post", "/api/v1/retrain/")
    assert response.status_code == 400
