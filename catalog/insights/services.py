"""Write paths of the insights report: compute, draw and store a snapshot; queue that.

The page never computes anything: it reads the current snapshot. A snapshot
is made by `insights_refresh()`, run by the `catalog.tasks.refresh_insights`
Celery task, which importers and the recommender's retrain queue through
`insights_refresh_request()` once their transaction commits (in the embedded
mode the task runs eagerly, in-process).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from catalog.insights.panels import PANELS
from catalog.insights.storage import InsightsSnapshot, snapshot_write
from recommender.locks import exclusive_lock

logger = logging.getLogger(__name__)

LOCK_NAME = "insights-refresh"


def insights_refresh(
    *, languages: list[str] | None = None, progress: Callable[[str], None] | None = None
) -> InsightsSnapshot:
    """Compute every figure, draw every chart in every site language, store it as the current snapshot."""
    # Imported here: computing needs pandas and SciPy, drawing matplotlib (about a second of
    # imports in all), and every web process imports this module only to queue a refresh.
    from catalog.insights.compute import insights_compute
    from catalog.insights.panels import render_png

    languages = languages or [code for code, _name in settings.LANGUAGES]
    data = insights_compute(progress=progress)
    started = time.monotonic()
    charts: dict[tuple[str, str], bytes] = {}
    for language in languages:
        with translation.override(language):
            for panel in PANELS:
                charts[(language, panel.key)] = render_png(panel, data)
        if progress:
            progress(f"charts ({language})")
    data["charts"] = {
        "languages": languages,
        "keys": [panel.key for panel in PANELS],
        "render_seconds": round(time.monotonic() - started, 3),
    }
    snapshot = snapshot_write(data=data, charts=charts)
    logger.info(
        "insights: snapshot %s written (%d charts, computed in %.1fs, drawn in %.1fs)",
        snapshot.id,
        len(charts),
        data["compute_seconds"],
        data["charts"]["render_seconds"],
    )
    return snapshot


def insights_refresh_exclusive() -> InsightsSnapshot | None:
    """`insights_refresh()` unless another refresh holds the lock (then None: the caller retries later)."""
    with exclusive_lock(LOCK_NAME) as taken:
        if not taken:
            logger.info("insights: a refresh is already running")
            return None
        return insights_refresh()


def insights_refresh_request() -> None:
    """Queue a refresh once the current transaction commits (after an import or a retrain).

    A broker that cannot be reached is logged, not raised: the import or
    retrain that asked has succeeded, and the report only lags until the
    next request or a staff member presses "Refresh".
    """
    transaction.on_commit(_publish_refresh)


def _publish_refresh() -> None:
    from catalog.tasks import refresh_insights

    try:
        refresh_insights.delay()
    except Exception:
        logger.warning("insights: could not queue a refresh", exc_info=True)
