"""Beat for the embedded mode: CELERY_BEAT_SCHEDULE run by a thread of the development server.

In the services mode `celery beat` (the Procfile's beat line) sends the
schedule's tasks to the worker. The embedded mode has neither broker nor
worker: every task runs eagerly where it is called. Without this, nothing in
the schedule ran there: no retrain once enough new ratings arrived, no nightly
index or retrain, no sweep of expired tokens. `manage.py serve_embedded`
(`make run`) starts Celery's own beat service (`celery.beat.Service`)
in a daemon thread of the serving process; each due task is applied eagerly in
that thread, exactly as a view's `.delay()` runs in its request's thread. The
tasks' locks (recommender.locks: file locks on SQLite) keep a scheduled
retrain and a staff "Retrain" from running at once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from celery import Celery
from celery.beat import Service
from django.db import connections


class EmbeddedBeat(threading.Thread):
    """Celery's beat service in a daemon thread; `stop()` ends it after the task in hand, if any.

    Celery's own threaded service (`celery.beat.EmbeddedService(thread=True)`)
    but closing the thread's database connections when it ends: a connection
    left open would keep a test database (or a migration's lock) busy.
    """

    def __init__(self, app: Celery, *, schedule_filename: Path) -> None:
        super().__init__(name="embedded-beat", daemon=True)
        # max_interval: how long a stop waits at most for the sleeping loop to notice it.
        self.service = Service(app, max_interval=1, schedule_filename=str(schedule_filename), remote_control=False)

    def run(self) -> None:
        try:
            self.service.start()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.service.stop(wait=True)
        self.join()


def embedded_beat_start(
    app: Celery, *, schedule_filename: Path, schedule: dict[str, Any] | None = None
) -> EmbeddedBeat:
    """Start beat in a daemon thread of this process.

    `schedule` replaces the app's CELERY_BEAT_SCHEDULE (tests use a fast one).
    The task modules are imported first: beat applies a task it finds in the
    registry, and *sends* one it does not know to the broker, which in the
    embedded mode is an in-memory queue that nobody reads.
    """
    if not app.conf.task_always_eager:
        raise RuntimeError("the embedded beat runs tasks eagerly: it is for the embedded mode only")
    if schedule is not None:
        app.conf.beat_schedule = schedule
    app.loader.import_default_modules()
    unknown = sorted(entry["task"] for entry in app.conf.beat_schedule.values() if entry["task"] not in app.tasks)
    if unknown:
        raise RuntimeError(f"the beat schedule names tasks that are not registered: {', '.join(unknown)}")
    schedule_filename.parent.mkdir(parents=True, exist_ok=True)
    beat = EmbeddedBeat(app, schedule_filename=schedule_filename)
    beat.start()
    return beat
