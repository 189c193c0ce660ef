"""Write paths of the recommender: the registry switch, training runs, and queueing them.

Training itself is pure (recommender.training); this module records what was
trained, decides whether it goes live, and asks Celery to do it in the
background, never losing a request when the broker is down (the PendingTask
outbox).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from catalog.insights.services import insights_refresh_request
from catalog.models import Credit, KnowledgeFact, Movie
from ratings.models import Rating
from recommender.artifacts import artifact_write, file_sha256
from recommender.collaborative import DEFAULT_SVD_PARAMS
from recommender.content import DEFAULT_FIELD_WEIGHTS, content_documents, content_index_build
from recommender.locks import exclusive_lock
from recommender.models import EvaluationRun, ModelVersion, PendingTask, TuningRun
from recommender.ratings_data import ratings_fingerprint, ratings_load
from recommender.registry import registry
from recommender.training import collaborative_build, item_neighbours_build

logger = logging.getLogger(__name__)

TASK_FOR_KIND: dict[str, str] = {
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
    # The file may have changed since training: never switch to one that no process could load.
    try:
        actual = file_sha256(Path(current.artifact_path))
    except OSError as exc:
        raise RegistryError(f"model version {version.pk}: cannot read {current.artifact_path} ({exc})") from exc
    if actual != current.checksum:
        raise RegistryError(
            f"model version {version.pk}: {current.artifact_path} sha256 {actual[:12]}… "
            f"does not match the recorded {current.checksum[:12]}…"
        )
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
    task = _celery_task(task_name)
    if task.app.conf.task_always_eager:
        return _task_run_here(task, kwargs=kwargs or {}, task_id=task_id)
    try:
        task.apply_async(kwargs=kwargs or {}, task_id=task_id, retry=True)
    except Exception as exc:  # noqa: BLE001 - whatever the broker says, the request must not be lost
        PendingTask.objects.create(task_name=task_name, kwargs=kwargs or {}, attempts=1, last_error=str(exc)[:2000])
        logger.warning("recommender: broker unavailable, %s kept in the outbox: %s", task_name, exc)
        return None
    # The broker answers again: send what waited while it was away.
    if PendingTask.objects.filter(dispatched_at__isnull=True).exists():
        pending_tasks_dispatch()
    return task_id


def _task_run_here(task: Any, *, kwargs: dict[str, Any], task_id: str) -> str:
    """Run an eager task now. Nothing is published, so a failure is the task's own, never a lost request.

    A training run that fails has already marked its version failed and left
    the active one serving; filing it in the outbox would report the broker
    as down and replay the failure on every later publish.
    """
    try:
        task.apply_async(kwargs=kwargs, task_id=task_id)
    except Exception:
        logger.exception("recommender: task %s (%s) failed", task.name, task_id)
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


def tasks_run_in_process() -> bool:
    """Embedded mode (no broker): a queued task runs inside the request that queued it, once it commits."""
    return bool(settings.CELERY_TASK_ALWAYS_EAGER)


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


# --- Training runs ----------------------------------------------------------

Progress = Callable[[str], None]


def _say(progress: Progress | None, message: str) -> None:
    if progress:
        progress(message)
    else:
        logger.info("recommender: %s", message)


def _stale_training_fail(kind: str) -> None:
    """Rows left in `training` by a run that died (we hold the lock, so none is alive)."""
    ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.TRAINING).update(
        status=ModelVersion.Status.FAILED, error="The training run stopped before finishing (worker lost)."
    )


def _same_data_version(kind: str, fingerprint: dict[str, Any]) -> ModelVersion | None:
    """The newest trained version of `kind` if it saw exactly this data."""
    newest = (
        ModelVersion.objects.filter(kind=kind, status__in=[ModelVersion.Status.READY, ModelVersion.Status.ACTIVE])
        .order_by("-created_at", "-id")
        .first()
    )
    if newest and (newest.data_size or {}).get("fingerprint") == fingerprint:
        return newest
    return None


def _rmse_worse_than_active(version: ModelVersion) -> str | None:
    active = ModelVersion.objects.filter(kind=version.kind, status=ModelVersion.Status.ACTIVE).first()
    new_rmse = version.metrics.get("holdout_rmse")
    old_rmse = active.metrics.get("holdout_rmse") if active else None
    if new_rmse is None or old_rmse is None:
        return None
    if new_rmse > old_rmse + settings.RECOMMENDER_RMSE_TOLERANCE:
        return (
            f"holdout RMSE {new_rmse:.4f} is worse than active version {active.pk}'s {old_rmse:.4f} "  # type: ignore[union-attr]
            f"by more than {settings.RECOMMENDER_RMSE_TOLERANCE}"
        )
    return None


def artifact_name(version: ModelVersion) -> str:
    """Kind and version id, for people, plus a random token: two databases (a services-mode site and
    an embedded one, a restored backup) pointed at one models directory have versions with the same
    ids, and must not overwrite each other's files."""
    return f"{version.kind}-v{version.pk}-{uuid.uuid4().hex[:12]}"


def _version_complete(
    version: ModelVersion,
    *,
    arrays: dict[str, np.ndarray],
    metrics: dict[str, Any],
    data_size: dict[str, Any],
    started: float,
    progress: Progress | None,
) -> ModelVersion:
    """Write and verify the artifact, record it, and activate it unless it is worse."""
    path, checksum = artifact_write(name=artifact_name(version), arrays=arrays)
    version.artifact_path = str(path)
    version.checksum = checksum
    version.metrics = {**version.metrics, **metrics}
    version.data_size = {**version.data_size, **data_size}
    version.training_seconds = round(time.perf_counter() - started, 3)
    version.status = ModelVersion.Status.READY
    version.save()
    reason = _rmse_worse_than_active(version)
    if reason:
        version.status = ModelVersion.Status.REJECTED
        version.error = reason
        version.save(update_fields=["status", "error"])
        _say(progress, f"{version.kind} version {version.pk} rejected: {reason}")
        return version
    model_version_activate(version=version)
    registry.forget()
    _say(progress, f"{version.kind} version {version.pk} active ({version.training_seconds:.1f} s)")
    return version


def _train_guarded(
    kind: str,
    *,
    fingerprint: dict[str, Any],
    force: bool,
    params: dict[str, Any],
    build: Callable[[ModelVersion], tuple[dict[str, np.ndarray], dict[str, Any], dict[str, Any]]],
    progress: Progress | None,
) -> ModelVersion | None:
    """One training run of `kind`: skipped if the data is what the newest version saw."""
    _stale_training_fail(kind)
    if not force and (existing := _same_data_version(kind, fingerprint)):
        _say(progress, f"{kind}: data unchanged since version {existing.pk}, nothing to do")
        return None
    started = time.perf_counter()
    version = ModelVersion.objects.create(kind=kind, params=params, data_size={"fingerprint": fingerprint})
    try:
        arrays, metrics, data_size = build(version)
        return _version_complete(
            version, arrays=arrays, metrics=metrics, data_size=data_size, started=started, progress=progress
        )
    except Exception as exc:
        ModelVersion.objects.filter(pk=version.pk).update(status=ModelVersion.Status.FAILED, error=repr(exc)[:4000])
        logger.exception("recommender: training %s version %s failed", kind, version.pk)
        raise


def _insights_refresh_if_activated(versions: list[ModelVersion]) -> None:
    """The insights report shows the active models' figures: refresh it when they change."""
    if any(version.status == ModelVersion.Status.ACTIVE for version in versions):
        insights_refresh_request()


def svd_params_current() -> dict[str, Any]:
    """Surprise's defaults overridden by the newest tuning run's best parameters."""
    tuned = TuningRun.objects.order_by("-created_at", "-id").first()
    return {**DEFAULT_SVD_PARAMS, **(tuned.best_params if tuned else {})}


def blend_weights_current() -> dict[str, Any]:
    """The blend weights the newest evaluation tuned on its validation split, if any."""
    for run in EvaluationRun.objects.order_by("-created_at", "-id")[:5]:
        weights = (run.results.get("hybrid") or {}).get("blend_weights")
        if weights:
            return weights
    return {}


def collaborative_retrain(
    *, force: bool = False, params: dict[str, Any] | None = None, progress: Progress | None = None
) -> list[ModelVersion]:
    """Retrain the co-rating neighbours and the SVD on every rating (one at a time, lock-guarded)."""
    with exclusive_lock("retrain-collaborative") as taken:
        if not taken:
            _say(progress, "collaborative retrain already running elsewhere; skipped")
            return []
        fingerprint = ratings_fingerprint()
        needed = [
            kind
            for kind in (ModelVersion.Kind.ITEM_NEIGHBOURS, ModelVersion.Kind.COLLABORATIVE)
            if force or not _same_data_version(kind, fingerprint)
        ]
        if not needed:
            _say(progress, f"ratings unchanged since the active models ({fingerprint}); nothing to do")
            return []
        if fingerprint["site_ratings"] == 0 and fingerprint["dataset_ratings"] == 0:
            _say(progress, "no ratings yet; nothing to train")
            return []
        started = time.perf_counter()
        data = ratings_load(progress=lambda message: _say(progress, message))
        load_seconds = round(time.perf_counter() - started, 3)
        data_size = {"n_ratings": len(data), "n_users": data.n_users, "n_items": data.n_items}
        trained = []
        k = settings.RECOMMENDER_NEIGHBOURS

        def build_neighbours(version: ModelVersion) -> tuple[dict[str, np.ndarray], dict[str, Any], dict[str, Any]]:
            arrays = item_neighbours_build(data, k=k)
            return arrays, {"load_seconds": load_seconds}, data_size

        svd_params = {**svd_params_current(), **(params or {})}

        def build_svd(version: ModelVersion) -> tuple[dict[str, np.ndarray], dict[str, Any], dict[str, Any]]:
            n_epochs = int(svd_params.get("n_epochs", 20))
            arrays, metrics = collaborative_build(
                data,
                params=svd_params,
                on_epoch=(lambda epoch: progress(f"SVD epoch {epoch}/{n_epochs}")) if progress else None,
            )
            return arrays, {**metrics, "load_seconds": load_seconds}, data_size

        if ModelVersion.Kind.ITEM_NEIGHBOURS in needed:
            version = _train_guarded(
                ModelVersion.Kind.ITEM_NEIGHBOURS,
                fingerprint=fingerprint,
                force=force,
                params={"k": k},
                build=build_neighbours,
                progress=progress,
            )
            trained += [version] if version else []
        if ModelVersion.Kind.COLLABORATIVE in needed:
            blend = blend_weights_current()
            version = _train_guarded(
                ModelVersion.Kind.COLLABORATIVE,
                fingerprint=fingerprint,
                force=force,
                params={**svd_params, **({"blend_weights": blend} if blend else {})},
                build=build_svd,
                progress=progress,
            )
            trained += [version] if version else []
        _insights_refresh_if_activated(trained)
        return trained


def content_fingerprint() -> dict[str, Any]:
    movies = Movie.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    return {
        "films": movies["count"],
        "films_latest": movies["latest"].isoformat() if movies["latest"] else None,
        "credits": Credit.objects.count(),
        "keywords": Movie.keywords.through.objects.count(),
        "facts": KnowledgeFact.objects.count(),
    }


def content_index_rebuild(
    *, force: bool = False, weights: dict[str, float] | None = None, progress: Progress | None = None
) -> ModelVersion | None:
    """Rebuild the content neighbours of every film (lock-guarded, skipped if the catalog is unchanged)."""
    with exclusive_lock("rebuild-content-index") as taken:
        if not taken:
            _say(progress, "content index rebuild already running elsewhere; skipped")
            return None
        fingerprint = content_fingerprint()
        if fingerprint["films"] == 0:
            _say(progress, "no films yet; nothing to index")
            return None
        field_weights = {**DEFAULT_FIELD_WEIGHTS, **(weights or {})}
        k = settings.RECOMMENDER_NEIGHBOURS

        def build(version: ModelVersion) -> tuple[dict[str, np.ndarray], dict[str, Any], dict[str, Any]]:
            documents = content_documents()
            _say(progress, f"content index: {len(documents):,} film documents")
            last_reported = [0.0]

            def on_block(done: int, total: int) -> None:
                if done == total or time.perf_counter() - last_reported[0] > 5:
                    last_reported[0] = time.perf_counter()
                    _say(progress, f"content neighbours: {done:,}/{total:,} films")

            arrays = content_index_build(documents, k=k, weights=field_weights, on_block=on_block)
            return arrays, {}, {"n_items": len(documents)}

        version = _train_guarded(
            ModelVersion.Kind.CONTENT,
            fingerprint=fingerprint,
            force=force,
            params={"k": k, "field_weights": field_weights},
            build=build,
            progress=progress,
        )
        _insights_refresh_if_activated([version] if version else [])
        return version


def retrain_if_enough_new_ratings() -> str | None:
    """Queue a collaborative retrain once RECOMMENDER_RETRAIN_AFTER_NEW_RATINGS ratings arrived."""
    active = ModelVersion.objects.filter(
        kind=ModelVersion.Kind.COLLABORATIVE, status=ModelVersion.Status.ACTIVE
    ).first()
    now = ratings_fingerprint()
    if active is None:
        return retrain_request() if (now["site_ratings"] or now["dataset_ratings"]) else None
    then = active.data_size.get("fingerprint") or {}
    new_site = Rating.objects.filter(updated_at__gt=active.created_at).count()
    new_dataset = max(0, int(str(now["dataset_ratings"] or 0)) - int(then.get("dataset_ratings") or 0))
    if new_site + new_dataset >= settings.RECOMMENDER_RETRAIN_AFTER_NEW_RATINGS:
        return retrain_request()
    return None
