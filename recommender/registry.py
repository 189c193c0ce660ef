"""The models this process serves: the active versions, loaded lazily and cached by version id.

Every `RECOMMENDER_REGISTRY_CHECK_SECONDS` a process looks up the active
version ids (one small indexed query). A new id is loaded (checksum first);
an artifact that is missing or corrupt is refused, logged, and the model
loaded before keeps serving (or none, and the hybrid falls back on what it
has, popularity at least). A refused version is tried again every
`REFUSED_RETRY_SECONDS`: a file that was only late (a volume still syncing, a
copy restored by hand) is served once it is right, without a restart.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from recommender.artifacts import ArtifactError, artifact_read
from recommender.catalog_data import CatalogSnapshot, catalog_snapshot
from recommender.models import ModelVersion
from recommender.recommenders import BlendWeights
from recommender.scoring import NeighbourModel, SvdModel

logger = logging.getLogger(__name__)

LoadedModel = SvdModel | NeighbourModel

# Reading a large artifact to refuse it again costs seconds: not on every check.
REFUSED_RETRY_SECONDS = 300.0


@dataclass(frozen=True)
class ActiveModels:
    snapshot: CatalogSnapshot
    svd: SvdModel | None
    content: NeighbourModel | None
    item_neighbours: NeighbourModel | None
    blend: BlendWeights
    # Changes whenever this process loads or drops a model: part of the key of
    # anything computed from these models (recommender.serving's cache).
    generation: int


def model_load(version: ModelVersion) -> LoadedModel:
    """Read and verify one version's artifact; ArtifactError if it cannot be trusted."""
    arrays = artifact_read(path=version.artifact_path, checksum=version.checksum)
    try:
        if version.kind == ModelVersion.Kind.COLLABORATIVE:
            return SvdModel.from_arrays(version_id=version.pk, arrays=arrays, params=version.params)
        return NeighbourModel.from_arrays(version_id=version.pk, kind=version.kind, arrays=arrays)
    except (KeyError, ValueError) as exc:
        raise ArtifactError(f"{version.artifact_path}: missing or malformed array ({exc})") from exc


class _Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: dict[str, LoadedModel] = {}
        self._refused: dict[int, float] = {}  # version id -> when it was last refused
        self._blend = BlendWeights()
        self._checked_at = float("-inf")
        self._generation = 0

    def _refresh(self) -> None:
        versions = {
            version.kind: version
            for version in ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).only(
                "id", "kind", "artifact_path", "checksum", "params"
            )
        }
        for kind in ModelVersion.Kind.values:
            version = versions.get(kind)
            current = self._loaded.get(kind)
            if version is None:
                if self._loaded.pop(kind, None) is not None:
                    self._generation += 1
                continue
            if current is not None and current.version_id == version.pk:
                continue
            refused_at = self._refused.get(version.pk)
            if refused_at is not None and time.monotonic() - refused_at < REFUSED_RETRY_SECONDS:
                continue
            try:
                self._loaded[kind] = model_load(version)
                self._generation += 1
                self._refused.pop(version.pk, None)
                logger.info("recommender: now serving %s version %s", kind, version.pk)
            except ArtifactError as exc:
                self._refused[version.pk] = time.monotonic()
                kept = f"version {current.version_id}" if current else "no model of this kind"
                logger.error(
                    "recommender: refused %s version %s: %s; keeping %s (next try in %.0f s)",
                    kind,
                    version.pk,
                    exc,
                    kept,
                    REFUSED_RETRY_SECONDS,
                )
        collaborative = versions.get(ModelVersion.Kind.COLLABORATIVE)
        blend: dict[str, Any] = (collaborative.params.get("blend_weights") if collaborative else None) or {}
        weights = BlendWeights.from_dict(blend) if blend else BlendWeights()
        if weights != self._blend:
            self._blend = weights
            self._generation += 1

    def active(self) -> ActiveModels:
        interval = settings.RECOMMENDER_REGISTRY_CHECK_SECONDS
        if time.monotonic() - self._checked_at >= interval:
            with self._lock:
                if time.monotonic() - self._checked_at >= interval:
                    self._refresh()
                    self._checked_at = time.monotonic()
        loaded = self._loaded
        return ActiveModels(
            snapshot=catalog_snapshot(),
            svd=loaded.get(ModelVersion.Kind.COLLABORATIVE),  # type: ignore[arg-type]
            content=loaded.get(ModelVersion.Kind.CONTENT),  # type: ignore[arg-type]
            item_neighbours=loaded.get(ModelVersion.Kind.ITEM_NEIGHBOURS),  # type: ignore[arg-type]
            blend=self._blend,
            generation=self._generation,
        )

    def refresh_now(self) -> None:
        """Look the active versions up now instead of at the next interval (the staff page)."""
        with self._lock:
            self._refresh()
            self._checked_at = time.monotonic()

    def served_version_ids(self) -> dict[str, int]:
        return {kind: model.version_id for kind, model in self._loaded.items()}

    def forget(self) -> None:
        """Check the registry again on the next request (after an activation, in tests)."""
        with self._lock:
            self._checked_at = float("-inf")
            self._refused.clear()

    def reset(self) -> None:
        with self._lock:
            self._loaded.clear()
            self._refused.clear()
            self._checked_at = float("-inf")
            self._generation += 1


registry = _Registry()


def active_models() -> ActiveModels:
    return registry.active()
