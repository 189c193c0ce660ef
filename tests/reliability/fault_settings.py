"""Settings for the web and worker subprocesses of the fault tests.

The test settings, with two changes a fault test needs:
- tasks always go to the broker (the web process never trains in-process);
- a SIGKILLed task comes back in seconds, not hours: a short visibility
  timeout, checked every second. The time limits stay below it, as
  moviesite.settings requires, so a slow run is never handed out twice.
"""

from __future__ import annotations

from tests.settings import *  # noqa: F403
from tests.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_TASK_ALWAYS_EAGER = False
CELERY_VISIBILITY_TIMEOUT = 30
CELERY_TASK_TIME_LIMIT = 25
CELERY_TASK_SOFT_TIME_LIMIT = 20
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
