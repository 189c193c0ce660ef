"""Read paths of the recommender: the registry as the site and API see it."""

from __future__ import annotations

from typing import Any

from recommender.models import ModelVersion


def active_model_versions_summary() -> list[dict[str, Any]]:
    """The active version of each kind, with the figures staff look at."""
    return [
        {
            "kind": version.kind,
            "id": version.pk,
            "activated_at": version.activated_at.isoformat() if version.activated_at else None,
            "metrics": version.metrics,
            "data_size": version.data_size,
        }
        for version in ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).order_by("kind")
    ]
