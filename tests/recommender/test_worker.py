"""With a real Celery worker on Redis and PostgreSQL: retrains reach the web process.

A worker SIGKILLed mid-retrain is tested once, in
tests/reliability/test_worker_killed_mid_retrain.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from recommender import services
from recommender.models import ModelVersion
from recommender.registry import registry
from recommender.serving import recommendations_for_user
from recommender.tasks import retrain_collaborative
from tests.celery_worker import CeleryWorkerProcess, celery_worker_process, make_celery_worker  # noqa: F401
from tests.factories import dataset_ratings_grid

# The report refresh each model put live queues would hold the worker for seconds between the retrains.
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("insights_refreshes_covered"),
]


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def active_id(kind: str = ModelVersion.Kind.COLLABORATIVE) -> int | None:
    return (
        ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.ACTIVE).values_list("pk", flat=True).first()
    )


def test_a_worker_retrains_and_this_process_serves_the_new_version(
    celery_worker_process: CeleryWorkerProcess,  # noqa: F811
) -> None:
    dataset_ratings_grid(20, 40)
    task_id = services.retrain_request()
    assert task_id is not None
    wait_for(active_id, 60, "the worker's collaborative version")
    assert registry.active().svd is not None
    assert registry.active().svd.version_id == active_id()  # type: ignore[union-attr]

    first = active_id()
    retrain_collaborative.delay(force=True).get(timeout=60)
    assert active_id() != first
    assert registry.active().svd.version_id == active_id()  # type: ignore[union-attr]
    assert recommendations_for_user(user=None, limit=3)
