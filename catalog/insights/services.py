"""Write paths of the insights report: compute, draw and store a snapshot; queue that.

The page never computes anything: it reads the current snapshot. A snapshot
is made by `insights_refresh()`, run by the `catalog.tasks.refresh_insights`
Celery task, which importers and the recommender's retrain queue through
`insights_refresh_request()` once their transaction commits (in the embedded
mode the task runs eagerly, in-process).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import time
import zlib
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from catalog.insights.compute import insights_compute
from catalog.insights.panels import PANELS, render_png
from catalog.insights.storage import InsightsSnapshot, insights_root, snapshot_write

logger = logging.getLogger(__name__)

LOCK_NAME = "moviesite:insights-refresh"


def insights_refresh(
    *, languages: list[str] | None = None, progress: Callable[[str], None] | None = None
) -> InsightsSnapshot:
    """Compute every figure, draw every chart in every site language, store it as the current snapshot."""
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
    with _exclusive_lock() as taken:
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


@contextlib.contextmanager
def _exclusive_lock() -> Iterator[bool]:
    """A lock that dies with its holder: a PostgreSQL advisory lock, else a file lock."""
    if connection.vendor == "postgresql":
        key = zlib.crc32(LOCK_NAME.encode()) - (1 << 31)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            taken = bool(cursor.fetchone()[0])
        try:
            yield taken
        finally:
            if taken:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    root = insights_root()
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".refresh.lock").open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
