"""With a real Celery worker on Redis and PostgreSQL: retrains reach the web process, kills lose nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from ratings.models import DatasetRating
from recommender import services
from recommender.models import ModelVersion, TuningRun
from recommender.registry import registry
from recommender.serving import recommendations_for_user
from recommender.tasks import retrain_collaborative
from tests.celery_worker import CeleryWorkerProcess, celery_worker_process, make_celery_worker  # noqa: F401
from tests.factories import MovieFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def ratings_for(n_films: int, n_raters: int) -> None:
    films = [MovieFactory() for _ in range(n_films)]
    DatasetRating.objects.bulk_create(
        DatasetRating(
            source=DatasetRating.Source.MOVIELENS,
            rater_id=rater,
            movie=film,
            score=float(1 + (rater * 7 + index * 3) % 9) / 2,
            rated_at=1_000_000_000,
        )
        for rater in range(1, n_raters + 1)
        for index, film in enumerate(films)
        if (rater + index) % 3
    )


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
    ratings_for(20, 40)
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


@pytest.mark.slow
def test_a_worker_killed_mid_training_leaves_the_old_model_serving_and_the_retrain_completes_once(
    make_celery_worker: Callable[..., CeleryWorkerProcess],  # noqa: F811
) -> None:
    ratings_for(30, 400)
    services.collaborative_retrain()
    old = active_id()
    assert old is not None
    # Slow the next training down enough to kill it in the middle.
    TuningRun.objects.create(best_params={"n_epochs": 1500}, best_rmse=1.0)
    # New data, so the retrain is not a no-op.
    DatasetRating.objects.create(
        source=DatasetRating.Source.MOVIELENS, rater_id=10_000, movie=MovieFactory(), score=4.0, rated_at=1
    )
    short_redelivery = {
        "CELERY_VISIBILITY_TIMEOUT": 60,
        "CELERY_TASK_TIME_LIMIT": 55,
        "CELERY_TASK_SOFT_TIME_LIMIT": 50,
    }
    worker = make_celery_worker(**short_redelivery)
    services.retrain_request(kind=ModelVersion.Kind.COLLABORATIVE)
    wait_for(
        lambda: ModelVersion.objects.filter(kind="collaborative", status=ModelVersion.Status.TRAINING).exists(),
        60,
        "training to start",
    )
    worker.kill()

    assert active_id() == old
    assert registry.active().svd.version_id == old  # type: ignore[union-attr]
    assert recommendations_for_user(user=None, limit=3)

    worker.start()  # Redis hands the unacknowledged task back after the visibility timeout
    wait_for(lambda: active_id() != old, 180, "the redelivered retrain to complete")
    killed_run = ModelVersion.objects.filter(kind="collaborative").exclude(pk__in=[old, active_id()])
    assert [version.status for version in killed_run] == [ModelVersion.Status.FAILED]
    assert ModelVersion.objects.filter(kind="collaborative", status=ModelVersion.Status.ACTIVE).count() == 1
    assert ModelVersion.objects.filter(kind="collaborative").count() == 3
