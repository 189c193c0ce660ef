"""Read paths of the recommender: the registry as the site and API see it."""

from __future__ import annotations

from typing import Any

from recommender.models import ModelVersion


def active_model_versions_served() -> list[tuple[ModelVersion, bool]]:
    """The active version of each kind, and whether this process serves it (it may have refused its file)."""
    from recommender.registry import registry

    registry.active()
    served = registry.served_version_ids()
    active = ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).order_by("kind")
    return [(version, served.get(version.kind) == version.pk) for version in active]


def active_model_versions_summary() -> list[dict[str, Any]]:
    """The active version of each kind: which one serves, since when.

    /healthz shows this to anyone, so it carries no figures: a version's
    data_size holds the site's rating and user counts and the moment of the
    latest rating. Staff read those on /staff/models/ and the model-versions API.
    """
    return [
        {
            "kind": version.kind,
            "id": version.pk,
            "activated_at": version.activated_at.isoformat() if version.activated_at else None,
        }
        for version in ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).order_by("kind")
    ]


def newest_model_version_id() -> int:
    """The id of the newest version (0 when there is none): what a training run is compared with."""
    newest = ModelVersion.objects.order_by("-id").values_list("id", flat=True).first()
    return newest or 0


def model_versions_after(*, version_id: int) -> list[ModelVersion]:
    """The versions created after `version_id`: what a training run that just ended made."""
    return list(ModelVersion.objects.filter(pk__gt=version_id).order_by("id"))


def registry_overview(*, history: int = 30) -> dict[str, Any]:
    """What the staff page shows: active versions, recent history, the latest evaluation and tuning."""
    from recommender.models import EvaluationRun, PendingTask, TuningRun
    from recommender.registry import registry

    # What this process serves now: an active version whose artifact it refused
    # (missing or corrupt) is not what visitors get, whatever the registry says.
    registry.refresh_now()
    served = registry.served_version_ids()
    active_versions = list(ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).order_by("kind"))
    evaluation = EvaluationRun.objects.order_by("-created_at", "-id").first()
    columns = ("precision@10", "recall@10", "ndcg@10", "hit_rate@10", "coverage")
    evaluation_rows = [
        (name, [row.get(column) for column in columns])
        for name, row in (evaluation.results.items() if evaluation else [])
        if isinstance(row, dict) and "ndcg@10" in row
    ]
    return {
        "evaluation_rows": evaluation_rows,
        "active_versions": active_versions,
        "not_served": [
            (version, served.get(version.kind)) for version in active_versions if served.get(version.kind) != version.pk
        ],
        "versions": list(ModelVersion.objects.order_by("-created_at", "-id")[:history]),
        "evaluation": evaluation,
        "tuning": TuningRun.objects.order_by("-created_at", "-id").first(),
        "pending_tasks": PendingTask.objects.filter(dispatched_at__isnull=True).count(),
        "served_here": served,
        "kinds": ModelVersion.Kind.choices,
        "activatable": [ModelVersion.Status.READY, ModelVersion.Status.REJECTED],
    }
