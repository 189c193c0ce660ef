"""The duration panel groups titles by the unit of their duration, and says so.

Hulu's catalog gives some films' length in seasons ("Death Note", type Movie,
duration "1 Season"); counting those under a "TV shows" heading made the
duration table disagree with the titles-by-type table on the same page.
"""

from __future__ import annotations

import pytest

from catalog.insights.compute import insights_compute
from catalog.insights.panels import PANELS_BY_KEY
from catalog.models import StreamingTitle
from tests.factories import PlatformFactory, StreamingTitleFactory

pytestmark = pytest.mark.django_db
MOVIE, SHOW = StreamingTitle.Kind.MOVIE, StreamingTitle.Kind.TV_SHOW
MINUTES, SEASONS = StreamingTitle.DurationUnit.MINUTES, StreamingTitle.DurationUnit.SEASONS
# type, duration, unit: as Hulu's file has them.
HULU = [(MOVIE, 90, MINUTES), (MOVIE, 1, SEASONS), (SHOW, 2, SEASONS)]


def test_titles_measured_in_seasons_are_not_all_called_tv_shows() -> None:
    hulu = PlatformFactory(slug="hulu", name="Hulu")
    for kind, value, unit in HULU:
        StreamingTitleFactory(platform=hulu, kind=kind, duration_value=value, duration_unit=unit)

    data = insights_compute()
    duration = PANELS_BY_KEY["streaming_duration"].numbers(data).tables[0]
    kinds = PANELS_BY_KEY["streaming_kinds"].numbers(data).tables[0]

    hulu_duration = dict(zip(duration.columns, duration.rows[0], strict=True))
    hulu_kinds = dict(zip(kinds.columns, kinds.rows[0], strict=True))
    assert hulu_duration["Titles in seasons"] == str(sum(1 for _kind, _value, unit in HULU if unit == SEASONS))
    assert hulu_duration["Titles in minutes"] == str(sum(1 for _kind, _value, unit in HULU if unit == MINUTES))
    assert hulu_kinds["TV shows"] == str(sum(1 for kind, _value, _unit in HULU if kind == SHOW))
    # Only the table by type speaks of TV shows and films.
    assert not {"TV shows", "Films"} & set(duration.columns)
