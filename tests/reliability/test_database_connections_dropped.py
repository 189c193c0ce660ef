"""Issue 9, item 15: PostgreSQL connections killed under the site; the next requests just work.

gunicorn keeps persistent connections (DATABASE_CONN_MAX_AGE); the test kills
every one of them with pg_terminate_backend, as a database restart or failover
would, and checks the same web processes answer the next requests.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from knox.models import AuthToken

from ratings.models import Rating
from tests.factories import MovieFactory, UserFactory
from tests.reliability.conftest import WebServer

pytestmark = pytest.mark.services


def _site_backends() -> list[int]:
    """Server pids of every other session on the test database (the site's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return sorted(row[0] for row in cursor.fetchall())


def _terminate(pids: list[int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) pid) t", [pids])
        return int(cursor.fetchone()[0])


def test_requests_after_the_site_s_database_connections_are_terminated_succeed_without_a_restart(
    make_web_server: Callable[..., WebServer],
) -> None:
    films = [MovieFactory(title=f"Connection film {index}") for index in range(3)]
    user = UserFactory()
    _instance, token = AuthToken.objects.create(user=user)
    headers = {"Authorization": f"Token {token}"}
    server = make_web_server()
    paths = ["/films/", f"/films/{films[0].pk}/", "/api/v1/films/?q=Connection", "/api/v1/me/ratings/"]
    for path in paths:
        assert server.request("GET", path, headers=headers, timeout=60).status_code == 200, path
    web_pids = server.pids
    before = _site_backends()
    assert before, "the site holds no persistent connection: nothing to terminate"

    assert _terminate(before) == len(before)

    for path in paths * 2:
        response = server.request("GET", path, headers=headers)
        assert response.status_code == 200, f"{path}: {response.status_code}\n{server.log()[-3000:]}"
    written = server.request("POST", "/api/v1/me/ratings/", json={"film": films[1].pk, "score": 3.5}, headers=headers)
    assert written.status_code == 201, written.text
    assert Rating.objects.get(user=user, movie=films[1]).score == 3.5
    assert server.pids == web_pids
    assert not set(_site_backends()) & set(before)
