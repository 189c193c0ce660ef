"""Names from the data are drawn on the insights charts as written: a `$` never starts matplotlib's math markup.

Found by reading the panels: genre, country and platform names and import
rejects' reasons become chart labels, and matplotlib reads text between two
`$` as TeX math. A name a curator may type in the admin, or a dataset carry
("Ke$ha: ... $$"), such as `Drama $\\foo$` made the whole refresh fail with a
ParseException: no new snapshot for anyone, on every refresh after it, until
the name was found and changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import override_settings

from catalog.insights.services import insights_refresh
from tests.factories import (
    CountryFactory,
    GenreFactory,
    ImportRunFactory,
    MovieFactory,
    PlatformFactory,
    StreamingTitleFactory,
)

pytestmark = pytest.mark.django_db

MATH = r"Drama $\nosuchcommand{x}$ and $$"


def test_a_refresh_draws_names_holding_math_markup_as_text(tmp_path: Path) -> None:
    genre = GenreFactory(name=MATH)
    country = CountryFactory(code="XX", name=f"Country {MATH}")
    platform = PlatformFactory(slug="math", name=f"Platform {MATH}")
    StreamingTitleFactory(platform=platform)
    StreamingTitleFactory(platform=PlatformFactory(slug="netflix"))
    for _ in range(3):
        film = MovieFactory()
        film.genres.add(genre)
        film.countries.add(country)
    ImportRunFactory(rows_rejected=2, rejects_by_reason={f"title: {MATH}": 2})

    with override_settings(INSIGHTS_DIR=tmp_path / "insights"):
        snapshot = insights_refresh(languages=["en"])

        assert snapshot.chart_keys
        for key in snapshot.chart_keys:
            path = snapshot.chart_path(language="en", key=key)
            assert path is not None and path.read_bytes().startswith(b"\x89PNG")
