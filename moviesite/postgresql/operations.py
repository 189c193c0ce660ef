"""Migration operations that build an index without locking writes on PostgreSQL.

A plain CREATE INDEX holds a lock that blocks every INSERT, UPDATE and
DELETE on the table until the index is built: on a table of millions of
ratings, minutes of refused writes. CREATE INDEX CONCURRENTLY lets them go
on; it cannot run in a transaction, so a migration using these operations
sets `atomic = False` (and holds nothing else, so a failure leaves no
half-applied migration behind). Other databases (SQLite, the embedded mode)
build the index as AddIndex does.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations import AddIndex


class AddIndexConcurrentlyOnPostgreSQL(AddIndexConcurrently):
    """AddIndex, built with CREATE INDEX CONCURRENTLY on PostgreSQL (the migration must not be atomic).

    A concurrent build that failed (cancelled, a deadlock) leaves an invalid
    index of that name behind, which the next attempt drops first instead of
    failing on "already exists".
    """

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)
            return
        self._ensure_not_in_transaction(schema_editor)
        _drop_invalid_index(schema_editor, self.index.name)
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


def _drop_invalid_index(schema_editor: Any, name: str) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid "
            "WHERE pg_class.relname = %s AND pg_class.relnamespace = current_schema()::regnamespace "
            "AND NOT pg_index.indisvalid",
            [name],
        )
        invalid = cursor.fetchone() is not None
    if invalid:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")
