"""The release-year panel counts films dated 1 January.

TMDB dates a film known only by its year on 1 January: 20 of the sample's 44
January releases. The report says how many, so that a count by month or
weekday can be read with that in mind.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from catalog.insights.compute import insights_compute
from catalog.insights.panels import PANELS_BY_KEY
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db
D = dt.date
DATES = [D(1995, 1, 1), D(1997, 1, 1), D(1995, 1, 15), D(1996, 3, 1), None]


def test_the_release_year_panel_counts_the_films_dated_first_of_january() -> None:
    for released in DATES:
        MovieFactory(release_date=released, release_year=released.year if released else None)
    dates = pd.to_datetime(pd.Series(DATES))

    stats = dict(PANELS_BY_KEY["release_year"].numbers(insights_compute()).stats)

    assert stats["Dated 1 January (often a film known only by its year)"] == str(
        int(((dates.dt.month == 1) & (dates.dt.day == 1)).sum())
    )
