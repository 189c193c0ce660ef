"""The Celery application. Settings come from Django's, under the CELERY_ namespace.

In the embedded mode (no REDIS_URL) tasks run eagerly in the calling process;
with REDIS_URL they go through Redis to `celery -A moviesite worker`.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import beat_init, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moviesite.settings")

app = Celery("moviesite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="moviesite.ping")
def ping() -> dict[str, Any]:
    """A round trip through the broker: which worker answered, on which database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"pong": True, "database": str(connection.settings_dict["NAME"]), "pid": os.getpid()}


@beat_init.connect
def _beat_started(**kwargs: Any) -> None:
    from moviesite.beat_liveness import beat_seen

    beat_seen()


@task_prerun.connect
def _task_started(task: Any = None, **kwargs: Any) -> None:
    """A task beat sent is starting: beat is alive (moviesite.beat_liveness)."""
    from moviesite.beat_liveness import beat_seen, sent_by_beat

    if task is not None and sent_by_beat(task.request):
        beat_seen()
