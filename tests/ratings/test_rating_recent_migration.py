"""ratings 0009 builds `rating_recent` without locking rating writes on PostgreSQL (CREATE INDEX CONCURRENTLY)."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor

from ratings.models import Rating
from tests.factories import MovieFactory, RatingFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BEFORE = [("ratings", "0008_dataset_sources_per_release")]
AFTER = [("ratings", "0009_rating_recent")]
# How long the test waits for the migration to reach its lock wait, and how long a rating write may wait.
WAIT_SECONDS = 30
WRITE_LOCK_TIMEOUT = "3s"


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def latest_schema_afterwards() -> Iterator[None]:
    """Each test migrates back; the tests after it need every table the latest migrations make."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _index_is_valid(name: str) -> bool | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_index.indisvalid FROM pg_index JOIN pg_class ON pg_class.oid = pg_index.indexrelid"
            " WHERE pg_class.relname = %s",
            [name],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def test_the_index_is_built_concurrently_outside_a_transaction() -> None:
    assert connection.vendor == "postgresql"
    out = io.StringIO()
    call_command("sqlmigrate", "ratings", "0009_rating_recent", stdout=out)
    sql = out.getvalue()
    assert 'CREATE INDEX CONCURRENTLY "rating_recent"' in sql
    assert "BEGIN" not in sql


def test_ratings_are_written_while_the_index_is_being_built() -> None:
    migrate(BEFORE)
    assert _index_is_valid("rating_recent") is None
    existing = RatingFactory()
    open_transaction, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer_with_an_open_transaction() -> None:
        # A rating write in progress when the migration starts: any build waits for it to end.
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(f"UPDATE {Rating._meta.db_table} SET score = score WHERE id = %s", [existing.pk])  # noqa: S608
                open_transaction.set()
                release.wait(timeout=WAIT_SECONDS * 2)
                cursor.execute("COMMIT")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    def migrator() -> None:
        try:
            migrate(AFTER)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    holder = threading.Thread(target=writer_with_an_open_transaction)
    holder.start()
    assert open_transaction.wait(timeout=WAIT_SECONDS)
    migration = threading.Thread(target=migrator)
    migration.start()
    try:
        _wait_until_the_index_build_waits()
        film, user = MovieFactory(), UserFactory()
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{WRITE_LOCK_TIMEOUT}'")
        try:
            # A plain CREATE INDEX queues for a lock that every later write then queues behind.
            RatingFactory(movie=film, user=user, score=3.0)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
    finally:
        release.set()
        holder.join(timeout=WAIT_SECONDS)
        migration.join(timeout=WAIT_SECONDS * 2)
    assert errors == []
    assert _index_is_valid("rating_recent") is True
    assert Rating.objects.filter(movie=film, user=user).exists()


def _wait_until_the_index_build_waits() -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE query ILIKE 'CREATE INDEX%%' AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone():
                return
        time.sleep(0.05)
    pytest.fail(f"the migration's CREATE INDEX was not waiting after {WAIT_SECONDS}s")
