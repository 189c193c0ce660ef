"""Django's PostgreSQL backend: a health check that costs no round trip while the server is quiet,
and a cursor whose statements the server prepares.

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

`prepared_cursor()` gives the few fixed SQL statements every request runs
(moviesite.sql.prepared_cursor) server-side binding, so psycopg prepares each
on the server once it has run `prepare_threshold` times on the connection
(settings: DATABASE_PREPARED_STATEMENTS) and the server stops parsing and
planning it on every request. Django's own cursors keep client-side binding:
no prepared statements, and no 65,535-parameter limit for the importers' long
IN lists.
"""

from __future__ import annotations

import select
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.db.backends.utils import CursorWrapper
from django.utils.asyncio import async_unsafe
from psycopg import pq
from psycopg.pq import Format

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid


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

    @async_unsafe
    def prepared_cursor(self) -> CursorWrapper:
        """A cursor like `cursor()`, binding parameters on the server (module docstring)."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = base.ServerBindingCursor(self.connection)  # type: ignore[call-arg]
            # As Django's create_cursor: the time zone of timestamps read, when the connection's differs.
            loader = self.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if self.timezone != loader.timezone:  # type: ignore[union-attr]
                register_tzloader(self.timezone, cursor)
            # Django's own wrapping (query logging, error translation), as cursor() does.
            return self._prepare_cursor(cursor)  # type: ignore[attr-defined,no-any-return]


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
