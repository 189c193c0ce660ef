"""With the real services: a refresh requested after a commit is run by a Celery worker."""

from __future__ import annotations

import time

import pytest

from catalog.insights.selectors import insights_snapshot_current
from catalog.insights.services import insights_refresh_request
from catalog.models import Movie
from tests.celery_worker import CeleryWorkerProcess, celery_worker_process, make_celery_worker  # noqa: F401
from tests.insights.conftest import build_fixture_catalog

pytestmark = [pytest.mark.services, pytest.mark.slow]

# Drawing 60 charts on a busy 2-core machine takes tens of seconds.
WAIT_SECONDS = 240


def test_a_worker_refreshes_the_snapshot_the_web_process_then_serves(
    celery_worker_process: CeleryWorkerProcess,  # noqa: F811
) -> None:
    before = insights_snapshot_current()
    build_fixture_catalog()
    # Outside a transaction the request is published at once (to Redis: a worker is running).
    insights_refresh_request()

    deadline = time.monotonic() + WAIT_SECONDS
    snapshot = before
    while time.monotonic() < deadline:
        snapshot = insights_snapshot_current()
        if snapshot is not None and (before is None or snapshot.id != before.id):
            break
        assert celery_worker_process.alive, celery_worker_process.log()
        time.sleep(1)
    else:
        pytest.fail(f"no new snapshot after {WAIT_SECONDS}s; worker log:\n{celery_worker_process.log()[-3000:]}")

    assert snapshot.data["catalog"]["films"] == Movie.objects.count()
    assert snapshot.data["database"] == "postgresql"
    assert sorted(snapshot.languages) == ["en", "es"]
    assert "catalog.tasks.refresh_insights" in celery_worker_process.log()
