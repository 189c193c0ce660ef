"""The insights' numbers are grouped as the reader's language groups digits; years are not."""

from __future__ import annotations

import pytest
from django.utils import translation

from catalog.insights.compute import insights_compute
from catalog.insights.panels import PANELS_BY_KEY, catalog_summary
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db
NBSP = "\xa0"  # Django's Spanish thousands separator


@pytest.mark.parametrize(("language", "expected"), [("en", "14,075"), ("es", f"14{NBSP}075")])
def test_the_headline_counts_are_grouped_in_the_readers_language(language: str, expected: str) -> None:
    data = insights_compute()
    data["catalog"]["films"] = 14075  # the snapshot's language-neutral JSON keeps it raw

    with translation.override(language):
        summary = dict(catalog_summary(data))

    assert summary["Películas" if language == "es" else "Films"] == expected


@pytest.mark.parametrize("language", ["en", "es"])
def test_release_years_stay_years_while_their_counts_are_grouped(language: str) -> None:
    for year in (1986, 1986, 2001):
        MovieFactory(release_year=year)
    data = insights_compute()
    data["distributions"]["release_year"]["missing"] = 12000

    with translation.override(language):
        numbers = PANELS_BY_KEY["release_year"].numbers(data)
    stats = dict(numbers.stats)
    bins = [row[0] for row in numbers.tables[0].rows]

    assert stats["Mínimo" if language == "es" else "Minimum"] == "1986"
    assert stats["Máximo" if language == "es" else "Maximum"] == "2001"
    assert all("," not in label and NBSP not in label for label in bins)
    assert ("12,000" if language == "en" else f"12{NBSP}000") in stats.values()  # films without a year
