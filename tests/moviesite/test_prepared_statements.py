"""moviesite.sql.prepared_statements on the real PostgreSQL: within it the server prepares, outside it never.

What a session has prepared is read off the server (pg_prepared_statements).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Movie
from moviesite.sql import prepared_statements
from tests.factories import MovieFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]

STATEMENT = "SELECT id, title FROM catalog_movie WHERE id = %s"
RUNS = settings.PREPARE_THRESHOLD + 2


def _prepared_on_server() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_sql_run_often_within_is_prepared_and_still_answers_right() -> None:
    film = MovieFactory(title="Prepared")
    answers = []
    for _ in range(RUNS):
        with prepared_statements(), connection.cursor() as cursor:
            cursor.execute(STATEMENT, [film.pk])
            answers.append(cursor.fetchall())
    assert answers == [[(film.pk, "Prepared")]] * RUNS
    assert any("catalog_movie" in statement and "$1" in statement for statement in _prepared_on_server())


def test_an_orm_query_within_is_prepared_and_loads_the_same_row() -> None:
    film = MovieFactory(title="Through the ORM")
    loaded = []
    for _ in range(RUNS):
        with prepared_statements():
            loaded.append(Movie.objects.select_related("collection").get(pk=film.pk))
    assert {(movie.pk, movie.title, movie.updated_at) for movie in loaded} == {(film.pk, film.title, film.updated_at)}
    assert any('"catalog_movie"."title"' in statement for statement in _prepared_on_server())


def test_outside_it_statements_keep_client_side_binding_and_are_never_prepared() -> None:
    film = MovieFactory()
    with prepared_statements():
        pass
    for _ in range(RUNS):
        with connection.cursor() as cursor:
            cursor.execute(STATEMENT, [film.pk])
        Movie.objects.get(pk=film.pk)
    assert not any("catalog_movie" in statement for statement in _prepared_on_server())


def test_its_statements_are_counted_like_any_other() -> None:
    """assertNumQueries and the debug toolbar still see them: the cursor is Django's wrapper."""
    film = MovieFactory()
    with CaptureQueriesContext(connection) as captured, prepared_statements(), connection.cursor() as cursor:
        cursor.execute(STATEMENT, [film.pk])
    assert len(captured.captured_queries) == 1
