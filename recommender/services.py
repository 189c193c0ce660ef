"""Write paths of the recommender: the registry switch, training runs, and queueing them.

Training itself is pure (recommender.training); this module records what was
trained, decides whether it goes live, and asks Celery to do it in the
background, never losing a request when the broker is down (the PendingTask
outbox).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from recommender.models import ModelVersion, PendingTask

logger = logging.getLogger(__name__)

TASK_FOR_KIND = {
    ModelVersion.Kind.COLLABORATIVE: "recommender.tasks.retrain_collaborative",
    ModelVersion.Kind.ITEM_NEIGHBOURS: "recommender.tasks.retrain_collaborative",
    ModelVersion.Kind.CONTENT: "recommender.tasks.rebuild_content_index",
}


class RegistryError(Exception):
    """A registry change that is not allowed (e.g. activating a failed version)."""


@transaction.atomic
def model_version_activate(*, version: ModelVersion) -> ModelVersion:
    """Make `version` the active one of its kind in one transaction (rollback = activate an older one).

    The rows of this kind are locked first, so two activations at once run
    one after the other; the partial unique index makes a second active row
    impossible whatever happens.
    """
    locked = list(ModelVersion.objects.select_for_update().filter(kind=version.kind).order_by("pk"))
    current = next((row for row in locked if row.pk == version.pk), None)
    if current is None:
        raise RegistryError(f"model version {version.pk} does not exist")
    if current.status not in (ModelVersion.Status.READY, ModelVersion.Status.REJECTED, ModelVersion.Status.ACTIVE):
        raise RegistryError(f"model version {version.pk} is {current.status}: only a trained version can serve")
    if not current.checksum or not current.artifact_path:
        raise RegistryError(f"model version {version.pk} has no verified artifact")
    if current.status == ModelVersion.Status.ACTIVE:
        return current
    ModelVersion.objects.filter(kind=version.kind, status=ModelVersion.Status.ACTIVE).update(
        status=ModelVersion.Status.READY
    )
    current.status = ModelVersion.Status.ACTIVE
    current.activated_at = timezone.now()
    current.save(update_fields=["status", "activated_at"])
    logger.info("recommender: activated %s version %s", current.kind, current.pk)
    version.status, version.activated_at = current.status, current.activated_at
    return current


def task_publish(*, task_name: str, kwargs: dict[str, Any] | None = None, task_id: str | None = None) -> str | None:
    """Send a task to the broker within a bounded time; on failure keep it in the outbox.

    Returns the task id, or None when the broker could not be reached and the
    request was stored as a PendingTask for `dispatch_pending_tasks`.
    """
    task_id = task_id or str(uuid.uuid4())
    try:
        _celery_task(task_name).apply_async(kwargs=kwargs or {}, task_id=task_id, retry=True)
    except Exception as exc:  # noqa: BLE001 - whatever the broker says, the request must not be lost
        PendingTask.objects.create(task_name=task_name, kwargs=kwargs or {}, attempts=1, last_error=str(exc)[:2000])
        logger.warning("recommender: broker unavailable, %s kept in the outbox: %s", task_name, exc)
        return None
    return task_id


def _celery_task(task_name: str) -> Any:
    # Through the registered task (not app.send_task) so the embedded mode's
    # always-eager setting runs it in-process.
    from moviesite.celery import app
    from recommender import tasks  # noqa: F401 - registers the tasks with the app

    return app.tasks[task_name]


def _request_after_commit(task_name: str, kwargs: dict[str, Any]) -> str | None:
    task_id = str(uuid.uuid4())
    outcome: dict[str, str | None] = {}

    def publish() -> None:
        outcome["id"] = task_publish(task_name=task_name, kwargs=kwargs, task_id=task_id)

    transaction.on_commit(publish)
    # Outside a transaction on_commit ran already and we know what happened;
    # inside one, the id is the one the task will carry once it is sent.
    return outcome.get("id", task_id)


def retrain_request(*, kind: str = ModelVersion.Kind.COLLABORATIVE) -> str | None:
    """Queue a retrain of `kind` once the current transaction commits; the task id or None (outbox)."""
    if kind not in TASK_FOR_KIND:
        raise RegistryError(f"unknown model kind {kind!r}")
    return _request_after_commit(TASK_FOR_KIND[kind], {})


def content_index_rebuild_request() -> str | None:
    """Queue a rebuild of the content index after commit (called after a catalog import)."""
    return _request_after_commit(TASK_FOR_KIND[ModelVersion.Kind.CONTENT], {})


def pending_tasks_dispatch(*, limit: int = 100) -> int:
    """Publish what the outbox holds; returns how many went out."""
    sent = 0
    for pending in PendingTask.objects.filter(dispatched_at__isnull=True).order_by("created_at", "id")[:limit]:
        try:
            _celery_task(pending.task_name).apply_async(kwargs=pending.kwargs, retry=True)
        except Exception as exc:  # noqa: BLE001 - try again next time
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1, last_error=str(exc)[:2000])
            logger.warning("recommender: outbox still blocked: %s", exc)
            break
        PendingTask.objects.filter(pk=pending.pk).update(dispatched_at=timezone.now(), attempts=pending.attempts + 1)
        sent += 1
    return sent
