"""The outlier lists show an unknown budget, revenue or return as unknown, not as $0 or 0.00x.

The sample's "The Last Time I Saw Paris" (budget 0, revenue $105) was listed
among the revenue outliers with a budget of $0 and a return of 0.00x.
"""

from __future__ import annotations

import pytest

from catalog.insights.compute import insights_compute
from catalog.insights.panels import PANELS_BY_KEY
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db
TYPICAL_REVENUES = [20_000_000, 30_000_000, 40_000_000, 50_000_000, 60_000_000, 70_000_000]


def test_an_outlier_with_an_unknown_budget_shows_no_budget_and_no_return() -> None:
    for revenue in TYPICAL_REVENUES:
        MovieFactory(budget=10_000_000, revenue=revenue, return_ratio=revenue / 10_000_000)
    MovieFactory(title="The Last Time I Saw Paris", release_year=1954, budget=0, revenue=105, return_ratio=0)

    numbers = PANELS_BY_KEY["revenue"].numbers(insights_compute())

    outliers = numbers.tables[1]
    assert outliers.rows == [["The Last Time I Saw Paris", "1954", "—", "$105", "—"]]
