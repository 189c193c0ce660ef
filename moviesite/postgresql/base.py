"""Django's PostgreSQL backend: a health check that costs no round trip while the server is quiet,
and statements the server prepares.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of
every request that reuses a connection: one more round trip on every page and
API call. A backend PostgreSQL ends (pg_terminate_backend, a restart, a
failover, idle timeouts) writes an error to the socket and closes it, so the
socket of a dead connection turns readable, while an idle healthy one has
nothing to read. The check below looks at the socket without waiting and
sends `SELECT 1` only when it shows something (or psycopg knows the
connection is broken or mid-transaction); the answer then decides, exactly
as Django's own check does. The end-of-request check after an error
(`close_if_unusable_or_obsolete`) still always asks the server.

Within `server_side_binding()` (moviesite.sql.prepared_statements, around the
few fixed statements every request runs) the connection's cursors bind
parameters on the server, so psycopg prepares a statement there once it has
run `prepare_threshold` times on the connection (settings:
DATABASE_PREPARED_STATEMENTS) and the server stops parsing and planning it on
every request. Everywhere else Django's client-side binding stays: no
prepared statements, and no 65,535-parameter limit for the importers' long IN
lists.
"""

from __future__ import annotations

import contextlib
import select
from collections.abc import Iterator
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled  # type: ignore[attr-defined]
            and not self.health_check_done  # type: ignore[has-type]
            and not self.pool
            and _quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    @contextlib.contextmanager
    def server_side_binding(self) -> Iterator[None]:
        """Within: this connection's cursors bind parameters on the server (module docstring)."""
        # As cursor() does before it uses the connection.
        self.close_if_health_check_failed()
        self.ensure_connection()
        raw = self.connection
        previous = raw.cursor_factory
        raw.cursor_factory = base.ServerBindingCursor
        try:
            yield
        finally:
            raw.cursor_factory = previous


def _quiet(connection: psycopg.Connection[Any]) -> bool:
    """True when the connection is open, idle, and the server has sent nothing since its last answer."""
    if connection.closed or connection.broken:
        return False
    if connection.info.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)
    except (OSError, ValueError):
        return False
