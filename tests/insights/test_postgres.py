"""On the real PostgreSQL: the vendor-specific SQL (UTC years, counts of counts) gives the same figures."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import pytest
from django.db import connection

from catalog.insights.compute import insights_compute
from ratings.models import DatasetRating

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_dataset_years_are_utc_years_on_postgresql(fixture_catalog) -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # A session in another time zone must not move 2016-01-01 00:30 UTC into 2015.
        cursor.execute("SET TIME ZONE 'America/Los_Angeles'")
    data = insights_compute()
    stamps = DatasetRating.objects.values_list("rated_at", flat=True)
    expected = Counter(dt.datetime.fromtimestamp(stamp, dt.UTC).year for stamp in stamps)
    assert {year: dataset for year, _site, dataset in data["ratings"]["years"] if dataset} == dict(expected)


def test_ratings_per_rater_are_aggregated_in_sql_on_postgresql(fixture_catalog) -> None:
    data = insights_compute()
    per_rater = Counter(DatasetRating.objects.values_list("rater_id", flat=True))
    summary = data["ratings"]["per_rater"]["dataset"]["summary"]
    assert summary["holders"] == len(per_rater)
    assert summary["median"] == statistics.median(per_rater.values())
    assert data["database"] == "postgresql"
