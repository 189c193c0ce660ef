"""Celery tasks: thin wrappers that call the services (ids and flags in, nothing pickled).

Each is acks_late with reject_on_worker_lost (settings), so a worker killed
mid-run hands the task back to the broker; the service's lock and fingerprint
make the re-run safe and make a duplicate request a no-op.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from recommender import services

_RETRY = {
    "autoretry_for": (OSError, ConnectionError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 3,
}


@shared_task(name="recommender.tasks.retrain_collaborative", acks_late=True, reject_on_worker_lost=True, **_RETRY)
def retrain_collaborative(force: bool = False) -> list[dict[str, Any]]:
    versions = services.collaborative_retrain(force=force)
    return [{"id": version.pk, "kind": version.kind, "status": version.status} for version in versions]


@shared_task(name="recommender.tasks.rebuild_content_index", acks_late=True, reject_on_worker_lost=True, **_RETRY)
def rebuild_content_index(force: bool = False) -> dict[str, Any] | None:
    version = services.content_index_rebuild(force=force)
    return {"id": version.pk, "kind": version.kind, "status": version.status} if version else None


@shared_task(name="recommender.tasks.retrain_if_enough_new_ratings", soft_time_limit=60, time_limit=90)
def retrain_if_enough_new_ratings() -> str | None:
    return services.retrain_if_enough_new_ratings()


@shared_task(name="recommender.tasks.dispatch_pending_tasks", soft_time_limit=60, time_limit=90)
def dispatch_pending_tasks() -> int:
    return services.pending_tasks_dispatch()


__all__ = ["dispatch_pending_tasks", "rebuild_content_index", "retrain_collaborative", "retrain_if_enough_new_ratings"]
