"""Write paths of the insights report: compute, draw and store a snapshot; queue that.

The page never computes anything: it reads the current snapshot. A snapshot
is made by `insights_refresh()`, run by the `catalog.tasks.refresh_insights`
Celery task, which importers and the recommender's retrain queue through
`insights_refresh_request()` once their transaction commits (in the embedded
mode the task runs eagerly, in-process).

Requests coalesce: each one takes the next generation number
(catalog.models.InsightsGeneration) and a queued task skips when a run that
started after its request has finished, so an import followed by two models
put live costs one or two full refreshes, not three.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import translation

from catalog.insights.panels import PANELS
from catalog.insights.storage import InsightsSnapshot, snapshot_write
from catalog.models import InsightsGeneration
from recommender.locks import exclusive_lock

logger = logging.getLogger(__name__)

LOCK_NAME = "insights-refresh"
GENERATION_ROW = 1


class InsightsRefreshBusy(Exception):
    """Another refresh holds the lock: the request is not covered yet, try again later."""


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


def insights_refresh_if_needed(*, generation: int | None = None) -> InsightsSnapshot | None:
    """`insights_refresh()` for the request numbered `generation`, unless a finished run covered it (None).

    Raises InsightsRefreshBusy while another refresh runs. Without a number
    (a task queued before numbers existed) it always refreshes.
    """
    if _covered(generation):
        logger.info("insights: refresh %s already covered by a later run", generation)
        return None
    with exclusive_lock(LOCK_NAME) as taken:
        if not taken:
            logger.info("insights: a refresh is already running")
            raise InsightsRefreshBusy
        if _covered(generation):
            logger.info("insights: refresh %s covered by the run that just finished", generation)
            return None
        # Read before the catalog: every request numbered up to here committed its data first.
        starting_from = _generations().values_list("requested", flat=True).first() or 0
        snapshot = insights_refresh()
        _generations().filter(computed__lt=starting_from).update(computed=starting_from)
        return snapshot


def insights_generation_request() -> int:
    """Number one more refresh request (the next generation), atomically.

    The UPDATE locks the row until this transaction ends, so concurrent
    requests each get their own number.
    """
    with transaction.atomic():
        if not _generations().update(requested=F("requested") + 1):
            InsightsGeneration.objects.get_or_create(pk=GENERATION_ROW)
            _generations().update(requested=F("requested") + 1)
        return _generations().values_list("requested", flat=True).get()


def _generations() -> QuerySet[InsightsGeneration]:
    return InsightsGeneration.objects.filter(pk=GENERATION_ROW)


def _covered(generation: int | None) -> bool:
    if generation is None:
        return False
    computed = _generations().values_list("computed", flat=True).first() or 0
    return computed >= generation


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
        refresh_insights.delay(generation=insights_generation_request())
    except Exception:
        logger.warning("insights: could not queue a refresh", exc_info=True)
