"""Issue 9, items 2, 4 and 17, swept over every operation the OpenAPI schema declares.

tests/api checks each endpoint's own rules (other users' rows → 404, lists
show only the caller's, `user`/`is_staff` in a body ignored). Here the
guarantee is checked for the whole API at once, so a write endpoint added
later without the guards fails here: anonymous writes get 401/403, and a
session-authenticated write without the CSRF token gets 403, whoever the user;
every operation the schema says needs authentication refuses an anonymous caller
(the ignored_auth check that tests/api/test_schemathesis.py leaves out).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

UNSAFE_METHODS = ("post", "put", "patch", "delete")
# Logging in is the one write an anonymous caller is meant to make.
ANONYMOUS_WRITES = {("post", "/api/v1/auth/login/")}
# Ending tokens takes the token itself: a session cookie is not accepted there at all.
TOKEN_ONLY_WRITES = {("post", "/api/v1/auth/logout/"), ("post", "/api/v1/auth/logoutall/")}


def _write_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, item in schema["paths"].items()
        for method in item
        if method in UNSAFE_METHODS
    ]
    assert len(operations) >= 8, operations  # the sweep must see the API, not an empty schema
    return sorted(operations)


WRITE_OPERATIONS = _write_operations()


def _operations_requiring_authentication() -> list[tuple[str, str]]:
    """Every operation, reads included, whose schema offers no anonymous access (no `{}` in its security)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = [
        (method, re.sub(r"\{[^}]+\}", "1", path))
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", *UNSAFE_METHODS) and {} not in (operation.get("security") or [{}])
    ]
    assert any(method == "get" for method, _path in operations), operations
    return sorted(operations)


AUTHENTICATED_OPERATIONS = _operations_requiring_authentication()


def _call(client: APIClient, method: str, path: str) -> Any:
    return getattr(client, method)(path, {}, format="json")


@pytest.mark.parametrize(("method", "path"), WRITE_OPERATIONS)
def test_an_anonymous_write_is_refused(method: str, path: str) -> None:
    response = _call(APIClient(), method, path)

    if (method, path) in ANONYMOUS_WRITES:
        assert response.status_code == 400
    else:
        assert response.status_code in (401, 403), response.content


@pytest.mark.parametrize(("method", "path"), AUTHENTICATED_OPERATIONS)
def test_an_operation_the_schema_says_needs_authentication_refuses_an_anonymous_caller(method: str, path: str) -> None:
    """Schemathesis' ignored_auth check, for every operation (tests/api's run always sends a token)."""
    response = _call(APIClient(), method, path) if method != "get" else APIClient().get(path)

    assert response.status_code in (401, 403), response.content


@pytest.mark.parametrize(("method", "path"), WRITE_OPERATIONS)
def test_a_session_write_without_the_csrf_token_is_refused(method: str, path: str) -> None:
    client = APIClient(enforce_csrf_checks=True)
    # Staff, so that nothing but the missing token can be the reason for a 403.
    client.force_login(StaffUserFactory())

    response = _call(client, method, path)

    if (method, path) in ANONYMOUS_WRITES:
        # Answers in the body only: a forged cross-site login cannot plant a session.
        assert response.status_code == 400
        assert "sessionid" not in response.cookies
    elif (method, path) in TOKEN_ONLY_WRITES:
        assert response.status_code == 401, response.content
    else:
        assert response.status_code == 403, response.content
        assert "CSRF" in response.json()["detail"]
