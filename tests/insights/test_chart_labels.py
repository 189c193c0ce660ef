"""Every chart's texts read as plain text: no TeX markup shown as written.

Charts are drawn with matplotlib's math off (names from the data may hold `$`),
which made log scales' default tick labels show as `$\\mathdefault{10^{3}}$`.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from matplotlib.text import Text

from catalog.insights.compute import insights_compute
from catalog.insights.panels import PANELS, panel_figure
from tests.insights.conftest import FixtureCatalog


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_chart_shows_tex_markup_as_text(fixture_catalog: FixtureCatalog, language: str) -> None:
    data = insights_compute()
    shown: dict[str, list[str]] = {}
    with translation.override(language):
        for panel in PANELS:
            with panel_figure(panel, data) as figure:
                figure.draw_without_rendering()  # tick labels are made as the figure is drawn
                shown[panel.key] = [text.get_text() for text in figure.findobj(Text) if text.get_visible()]

    with_tex = {
        key: [text for text in texts if "\\mathdefault" in text or "^{" in text] for key, texts in shown.items()
    }
    assert {key: found for key, found in with_tex.items() if found} == {}
    # The log scales are labelled: the ratings-per-rater chart's y axis counts raters in plain numbers.
    assert any(text in {"1", "10", "100"} for text in shown["ratings_per_rater"])
