"""Every panel of the report, in page order, and the two things done with them:
render the chart to PNG, and list the numbers for the page.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.insights.panels import catalog, operations, ratings, streaming
from catalog.insights.panels.base import Data, Numbers, Panel, Section, fmt

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SECTIONS = [
    Section("catalog", gettext_lazy("Catalog size and completeness")),
    Section("distributions", gettext_lazy("Distributions")),
    Section("categories", gettext_lazy("Genres, languages, countries and collections")),
    Section("ratings", gettext_lazy("Ratings")),
    Section("streaming", gettext_lazy("Streaming catalogs")),
    Section("imports", gettext_lazy("Import history")),
    Section("recommender", gettext_lazy("The recommender")),
]
PANELS: list[Panel] = [*catalog.PANELS, *ratings.PANELS, *streaming.PANELS, *operations.PANELS]
PANELS_BY_KEY = {panel.key: panel for panel in PANELS}
CHART_DPI = 96
# Text from the data (genre, country and platform names, rejects' reasons) is drawn as written:
# with math on, matplotlib read anything between two `$` as TeX, and one name such as
# "Drama $\\foo$" failed every refresh. The setting is read as each text is made, from
# matplotlib's process-wide rcParams, so drawing holds a lock while it is switched off; log
# scales get plain-text tick labels (base.log_scale), their default ones being TeX.
_DRAWING = threading.Lock()


@contextlib.contextmanager
def panel_figure(panel: Panel, data: Data) -> Iterator[Figure]:
    """The panel drawn on a new Figure, with every text plain; what is done with it must happen within.

    A bare Figure (no pyplot) keeps no other global state, so this is safe in a
    Celery worker or a threaded web process. matplotlib is imported here, not
    at the top: pages list the panels' numbers and never draw.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with _DRAWING, matplotlib.rc_context({"text.parse_math": False}):
        figure = Figure(figsize=panel.size, dpi=CHART_DPI, layout="constrained")
        panel.draw(figure, data)
        yield figure


def render_png(panel: Panel, data: Data) -> bytes:
    """The panel's chart as PNG bytes, labelled in the active language."""
    buffer = io.BytesIO()
    with panel_figure(panel, data) as figure:
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return buffer.getvalue()


@dataclass
class PanelView:
    key: str
    title: str
    numbers: Numbers
    # Filled by the caller: a URL on the page, a data: URI in the report.
    image_src: str = ""


@dataclass
class SectionView:
    key: str
    title: str
    panels: list[PanelView]


def build_sections(data: Data) -> list[SectionView]:
    """Sections with their panels' numbers, in the active language (cheap: no drawing)."""
    return [
        SectionView(
            key=section.key,
            title=str(section.title),
            panels=[
                PanelView(key=panel.key, title=str(panel.title), numbers=panel.numbers(data))
                for panel in PANELS
                if panel.section == section.key
            ],
        )
        for section in SECTIONS
    ]


def catalog_summary(data: Data) -> list[tuple[str, str]]:
    """The headline counts shown above the sections."""
    counts = data["catalog"]
    labels = [
        ("films", _("Films")),
        ("people", _("People")),
        ("credits", _("Credits")),
        ("knowledge_facts", _("Knowledge-graph facts")),
        ("genres", _("Genres")),
        ("keywords", _("Keywords")),
        ("collections", _("Collections")),
        ("companies", _("Companies")),
        ("countries", _("Countries")),
        ("platforms", _("Streaming platforms")),
        ("streaming_titles", _("Streaming titles")),
        ("streaming_unmatched", _("Streaming titles without a film")),
        ("site_ratings", _("Ratings by site users")),
        ("site_raters", _("Site users who rated")),
        ("dataset_ratings", _("Ratings by dataset raters")),
        ("dataset_raters", _("Dataset raters")),
        ("import_runs", _("Import runs")),
        ("model_versions", _("Model versions")),
    ]
    return [(label, fmt(counts[key])) for key, label in labels]
