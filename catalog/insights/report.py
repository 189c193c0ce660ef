"""The self-contained HTML report: the page's content with the charts inlined as data: URIs."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from catalog.insights.panels import build_sections, catalog_summary
from catalog.insights.selectors import insights_chart_data_uri
from catalog.insights.storage import InsightsSnapshot


class ReportLanguageError(ValueError):
    pass


# The insights page links this stylesheet; the report, one file with no external reference, inlines it.
INSIGHTS_CSS = "css/insights.css"


def _insights_css() -> str:
    found = finders.find(INSIGHTS_CSS)
    if not isinstance(found, str):
        raise LookupError(f"static file {INSIGHTS_CSS} not found")
    return Path(found).read_text(encoding="utf-8")


def insights_report_html(*, snapshot: InsightsSnapshot, language: str) -> str:
    """One HTML document, no external reference: styles inline, one <img> per chart."""
    if language not in snapshot.languages:
        raise ReportLanguageError(
            f"{snapshot.directory}: charts were drawn in {', '.join(snapshot.languages)}, not {language!r}"
        )
    with translation.override(language):
        sections = build_sections(snapshot.data)
        for section in sections:
            for panel in section.panels:
                panel.image_src = insights_chart_data_uri(snapshot=snapshot, language=language, key=panel.key)
        return render_to_string(
            "insights/report.html",
            {
                "snapshot": snapshot,
                "sections": sections,
                "summary": catalog_summary(snapshot.data),
                "language": language,
                "insights_css": _insights_css(),
            },
        )
