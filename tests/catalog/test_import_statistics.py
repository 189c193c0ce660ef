"""After an import, PostgreSQL's planner knows the new data (ANALYZE), so pages do not wait for autovacuum."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from catalog.models import Credit, Movie
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_an_import_leaves_planner_statistics_of_what_it_loaded(tmp_path: Path) -> None:
    assert connection.vendor == "postgresql"
    directory = fx.write_movies_dataset(tmp_path / "tmd")

    catalog_import(paths=[directory])

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Movie._meta.db_table])
        estimated_films = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Credit._meta.db_table])
        estimated_credits = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [Credit._meta.db_table])
        credit_columns_with_statistics = cursor.fetchone()[0]
    assert Movie.objects.count() > 0
    assert estimated_films == Movie.objects.count()
    assert estimated_credits == Credit.objects.count()
    assert credit_columns_with_statistics > 0
