"""moviesite.sql.prepared_cursor on the real PostgreSQL: the server prepares the statement, Django's cursors do not.

What a session has prepared is read off the server (pg_prepared_statements).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from moviesite.sql import prepared_cursor
from tests.factories import MovieFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]

STATEMENT = "SELECT id, title FROM catalog_movie WHERE id = %s"


def _prepared_on_server() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_statement_run_often_is_prepared_and_still_answers_right() -> None:
    film = MovieFactory(title="Prepared")
    answers = []
    for _ in range(settings.PREPARE_THRESHOLD + 2):
        with prepared_cursor() as cursor:
            cursor.execute(STATEMENT, [film.pk])
            answers.append(cursor.fetchall())
    assert answers == [[(film.pk, "Prepared")]] * len(answers)
    assert any("catalog_movie" in statement and "$1" in statement for statement in _prepared_on_server())


def test_django_cursors_keep_client_side_binding_and_are_never_prepared() -> None:
    film = MovieFactory()
    for _ in range(settings.PREPARE_THRESHOLD + 2):
        with connection.cursor() as cursor:
            cursor.execute(STATEMENT, [film.pk])
    assert not any("catalog_movie" in statement for statement in _prepared_on_server())


def test_its_statements_are_counted_like_any_other() -> None:
    """assertNumQueries and the debug toolbar see them: the cursor is Django's wrapper."""
    film = MovieFactory()
    with CaptureQueriesContext(connection) as captured, prepared_cursor() as cursor:
        cursor.execute(STATEMENT, [film.pk])
    assert len(captured.captured_queries) == 1
