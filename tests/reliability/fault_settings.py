"""Settings for the web and worker subprocesses of the fault tests.

The test settings, with two changes a fault test needs:
- tasks always go to the broker (the web process never trains in-process);
- a SIGKILLed task comes back in seconds, not hours: a short visibility
  timeout, checked every second. The time limits stay below it, as
  moviesite.settings requires, so a slow run is never handed out twice.
"""

from __future__ import annotations

import os

from tests.settings import *  # noqa: F403
from tests.settings import CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_TASK_ALWAYS_EAGER = False
# A test whose worker runs only short tasks shortens it further (FAULT_VISIBILITY_TIMEOUT):
# the redelivery it waits for comes that much sooner.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("FAULT_VISIBILITY_TIMEOUT", "30"))
CELERY_TASK_TIME_LIMIT = CELERY_VISIBILITY_TIMEOUT * 5 // 6
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_VISIBILITY_TIMEOUT * 2 // 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
