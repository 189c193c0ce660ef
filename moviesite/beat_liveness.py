"""When beat last showed that it is alive, for /healthz.

A beat that died stops everything scheduled (retrains, rating-figure refreshes,
the outbox, the token sweep) without a single error anywhere. So beat is
marked seen when it starts (Celery's `beat_init`, in the beat process or the
embedded beat's thread) and whenever a task it sent starts (`task_prerun`:
beat adds the `celery_beat_task` header to what it sends); moviesite.celery
connects both. The mark is a timestamp in the default cache: Redis in the
services mode, so the web processes read what the beat and worker processes
wrote; the process's memory in the embedded mode, where beat is a thread of
the web process. A task seen starting shows the whole path working (beat, the
broker and a worker); the health answer's `worker` tells a dead worker apart.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache

BEAT_SEEN_KEY = "beat:seen-at"
# At least this long between two marks before beat counts as late, however short its shortest interval.
MIN_LATE_AFTER_SECONDS = 60.0


def beat_seen() -> None:
    cache.set(BEAT_SEEN_KEY, time.time(), timeout=None)


def beat_seen_at() -> float | None:
    """The wall-clock time beat was last seen; None if never (or the cache cannot say)."""
    value = cache.get(BEAT_SEEN_KEY)
    return float(value) if isinstance(value, int | float) else None


def sent_by_beat(request: Any) -> bool:
    """Whether a task's request came from beat (its header, in a worker and when run eagerly alike)."""
    headers = getattr(request, "headers", None) or {}
    return bool(headers.get("celery_beat_task"))


def beat_late_after_seconds() -> float:
    """Three of the schedule's shortest fixed intervals: beat has then missed two runs in a row."""
    intervals = [
        entry["schedule"].total_seconds()
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if isinstance(entry["schedule"], timedelta)
    ]
    return max(MIN_LATE_AFTER_SECONDS, 3 * min(intervals)) if intervals else float("inf")


def beat_state(*, cache_ok: bool = True) -> dict[str, Any]:
    """`{"ok": True, "seen_seconds_ago": n}`, or `{"ok": False, "error": ...}` (BeatNotSeen, BeatLate, CacheDown).

    `cache_ok=False` when the caller knows the cache is down: the mark cannot be read then.
    """
    if not cache_ok:
        return {"ok": False, "error": "CacheDown"}
    seen_at = beat_seen_at()
    if seen_at is None:
        return {"ok": False, "error": "BeatNotSeen"}
    seen_seconds_ago = max(0, round(time.time() - seen_at))
    if seen_seconds_ago > beat_late_after_seconds():
        return {"ok": False, "error": "BeatLate", "seen_seconds_ago": seen_seconds_ago}
    return {"ok": True, "seen_seconds_ago": seen_seconds_ago}
