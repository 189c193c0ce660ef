"""The health check of moviesite.postgresql: no round trip on a quiet connection, a dead one still caught.

Both sides are read off the real server: what a session last sent is its
`query` in pg_stat_activity (set when a statement starts), and a terminated
session is one pg_terminate_backend really ended.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


@pytest.fixture
def observer() -> Iterator[BaseDatabaseWrapper]:
    """A second session on the same database, to watch and to end the first."""
    other = connections.create_connection("default")
    try:
        yield other
    finally:
        other.close()


def _last_statement(observer: BaseDatabaseWrapper, pid: int) -> str | None:
    with observer.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else None


def _new_request() -> None:
    """What Django does between two requests on a kept connection."""
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_done is False


def _backend_pid(marker: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_backend_pid(), '{marker}'")
        return int(cursor.fetchone()[0])


def test_the_backend_is_django_s_with_health_checks_on() -> None:
    assert connection.vendor == "postgresql"
    assert type(connections["default"]).__module__ == "moviesite.postgresql.base"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_quiet_connection_is_reused_without_asking_the_server(observer: BaseDatabaseWrapper) -> None:
    marker = f"marker-{uuid.uuid4().hex}"
    pid = _backend_pid(marker)
    _new_request()

    connection.close_if_health_check_failed()

    assert connection.health_check_done is True
    assert connection.connection is not None
    assert marker in (_last_statement(observer, pid) or ""), "a statement reached the server"
    assert _backend_pid("after") == pid, "the connection was replaced"


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(observer: BaseDatabaseWrapper) -> None:
    pid = _backend_pid("before")
    _new_request()
    with observer.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    deadline = time.monotonic() + 10
    while _last_statement(observer, pid) is not None:
        assert time.monotonic() < deadline, "the terminated session did not end"
        time.sleep(0.02)

    connection.close_if_health_check_failed()

    assert connection.connection is None, "the dead connection was kept"
    new_pid = _backend_pid("after")
    assert new_pid != pid
