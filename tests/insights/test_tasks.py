"""The refresh task and the request that importers and retrains make."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from catalog.insights.selectors import insights_snapshot_current
from catalog.insights.services import LOCK_NAME, insights_refresh_request
from catalog.insights.storage import SNAPSHOTS_KEPT, snapshot_write
from catalog.tasks import refresh_insights
from recommender.locks import exclusive_lock
from recommender.services import collaborative_retrain
from tests.factories import MovieFactory, dataset_ratings_grid

pytestmark = pytest.mark.django_db


def test_the_task_replaces_the_snapshot_with_one_that_sees_new_films(
    fixture_catalog, insights_dir, django_capture_on_commit_callbacks, settings, charts_not_drawn
) -> None:
    # One language is enough here (drawing is the slow part); both are drawn in test_report_command.
    settings.LANGUAGES = [("en", "English")]
    first_id = refresh_insights.delay().get()
    first = insights_snapshot_current()
    assert first is not None and first.id == first_id
    MovieFactory(title="Arrived Later")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        insights_refresh_request()
    # Nothing runs before the import's transaction commits.
    assert insights_snapshot_current().id == first_id
    assert len(callbacks) == 1
    callbacks[0]()

    second = insights_snapshot_current()
    assert second.id != first_id
    assert second.data["catalog"]["films"] == first.data["catalog"]["films"] + 1
    assert second.chart_path(language="en", key="completeness") is not None


def test_a_refresh_waits_its_turn_while_another_one_runs(fixture_catalog, insights_dir) -> None:
    held, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        # Its own database connection, as another worker process would have.
        try:
            with exclusive_lock(LOCK_NAME) as taken:
                assert taken
                held.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert held.wait(timeout=30)
        # Eager (embedded mode): the second request gives way instead of looping.
        assert refresh_insights.delay().get() is None
    finally:
        release.set()
        worker.join()
    assert insights_snapshot_current() is None


def test_old_snapshots_are_pruned_and_the_current_one_kept(insights_dir) -> None:
    written = [
        snapshot_write(data={"generated_at": "2026-01-01T00:00:00+00:00", "n": n}, charts={("en", "x"): b"png"})
        for n in range(SNAPSHOTS_KEPT + 2)
    ]
    assert sorted(path.name for path in (insights_dir / "snapshots").iterdir()) == sorted(
        snapshot.id for snapshot in written[-SNAPSHOTS_KEPT:]
    )
    assert insights_snapshot_current().data["n"] == SNAPSHOTS_KEPT + 1


def test_a_retrain_that_puts_a_model_live_refreshes_the_report_and_one_that_trains_nothing_does_not(
    insights_dir, django_capture_on_commit_callbacks, settings, charts_not_drawn
) -> None:
    settings.LANGUAGES = [("en", "English")]
    dataset_ratings_grid(6, 12)
    with django_capture_on_commit_callbacks(execute=True):
        trained = collaborative_retrain()

    live = insights_snapshot_current()
    assert live is not None
    assert sorted(live.data["recommender"]["active"]) == sorted(version.pk for version in trained)

    with django_capture_on_commit_callbacks(execute=True):
        assert collaborative_retrain() == []  # the same ratings: nothing to train
    assert insights_snapshot_current().id == live.id
