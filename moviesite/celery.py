"""The Celery application. Settings come from Django's, under the CELERY_ namespace.

In the embedded mode (no REDIS_URL) tasks run eagerly in the calling process;
with REDIS_URL they go through Redis to `celery -A moviesite worker`.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

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
