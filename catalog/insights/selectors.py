"""Read paths of the insights report: the current snapshot, its charts, its numbers."""

from __future__ import annotations

import base64
from pathlib import Path

from catalog.insights.panels import SectionView, build_sections
from catalog.insights.storage import InsightsSnapshot, current_snapshot_id, snapshot_load


def insights_snapshot_current() -> InsightsSnapshot | None:
    """The snapshot being served, or None when none was computed yet (a file read, no query)."""
    snapshot_id = current_snapshot_id()
    return snapshot_load(snapshot_id) if snapshot_id else None


def insights_chart_file(*, snapshot_id: str, language: str, key: str) -> Path | None:
    snapshot = snapshot_load(snapshot_id)
    return snapshot.chart_path(language=language, key=key) if snapshot else None


def insights_sections(*, snapshot: InsightsSnapshot) -> list[SectionView]:
    """The snapshot's sections and numbers in the active language."""
    return build_sections(snapshot.data)


def insights_chart_data_uri(*, snapshot: InsightsSnapshot, language: str, key: str) -> str:
    path = snapshot.chart_path(language=language, key=key)
    if path is None:
        raise LookupError(f"{snapshot.directory}: no chart {key!r} in language {language!r}")
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
