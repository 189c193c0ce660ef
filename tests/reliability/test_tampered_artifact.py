"""Issue 9, item 13: a corrupt or tampered artifact is refused before it is loaded.

Two ways an artifact goes bad: on disk between training and activation, and
under a process that is about to switch to it. In both the previous version
keeps serving and exactly one version of the kind is active.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rest_framework.test import APIClient

from recommender.models import ModelVersion
from recommender.registry import registry
from recommender.services import RegistryError, collaborative_retrain, model_version_activate
from recommender.serving import recommendations_for_user
from tests.factories import RatingFactory, StaffUserFactory, UserFactory
from tests.reliability.conftest import ratings_world

pytestmark = pytest.mark.django_db

COLLABORATIVE = ModelVersion.Kind.COLLABORATIVE


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _swap_arrays(path: Path) -> None:
    """A well-formed archive with other numbers in it: only the checksum can tell."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    arrays["item_factors"] = arrays["item_factors"] * -1
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


DAMAGE = pytest.mark.parametrize("damage", [_truncate, _swap_arrays], ids=["corrupt", "tampered"])


def _two_trained_versions() -> tuple[ModelVersion, ModelVersion, Any]:
    """The old version active and served; a newer one trained and ready but not yet active."""
    movies = ratings_world(films=60, raters=60, per_rater=25)
    user = UserFactory()
    RatingFactory(user=user, movie=movies[0], score=5.0)
    collaborative_retrain(params={"n_epochs": 5})
    old = ModelVersion.objects.get(kind=COLLABORATIVE, status=ModelVersion.Status.ACTIVE)
    recommendations_for_user(user=user, limit=5)
    assert registry.served_version_ids()[COLLABORATIVE] == old.pk
    RatingFactory(user=user, movie=movies[1], score=1.0)
    collaborative_retrain(params={"n_epochs": 5})
    new = ModelVersion.objects.filter(kind=COLLABORATIVE).latest("pk")
    assert new.pk != old.pk
    # Step back to the old one, as a rollback would: the new one is a trained candidate.
    model_version_activate(version=old)
    registry.forget()
    recommendations_for_user(user=user, limit=5)
    assert registry.served_version_ids()[COLLABORATIVE] == old.pk
    new.refresh_from_db()
    assert new.status == ModelVersion.Status.READY
    return old, new, user


def _numpy_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every archive numpy is asked to parse (the real np.load still does the work)."""
    seen: list[str] = []
    real_load = np.load

    def recording_load(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(str(file))
        return real_load(file, *args, **kwargs)

    monkeypatch.setattr(np, "load", recording_load)
    return seen


def _active_ids() -> list[int]:
    active = ModelVersion.objects.filter(kind=COLLABORATIVE, status=ModelVersion.Status.ACTIVE)
    return list(active.values_list("pk", flat=True))


@DAMAGE
def test_activating_a_damaged_artifact_is_refused_and_the_previous_version_stays_active(
    damage: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, _user = _two_trained_versions()
    damage(Path(new.artifact_path))
    loads = _numpy_loads(monkeypatch)

    with pytest.raises(RegistryError, match=r"does not match the recorded"):
        model_version_activate(version=new)

    assert _active_ids() == [old.pk]
    assert new.artifact_path not in loads


@DAMAGE
def test_staff_activation_of_a_damaged_artifact_answers_409_and_changes_nothing(damage: Callable[[Path], None]) -> None:
    old, new, _user = _two_trained_versions()
    damage(Path(new.artifact_path))
    staff = APIClient()
    staff.force_authenticate(StaffUserFactory())

    response = staff.post(f"/api/v1/model-versions/{new.pk}/activate/")

    assert response.status_code == 409, response.content
    assert "does not match the recorded" in response.json()["detail"]
    assert _active_ids() == [old.pk]


@DAMAGE
def test_a_process_refuses_an_active_artifact_damaged_under_it_and_keeps_serving_the_previous_one(
    damage: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    old, new, user = _two_trained_versions()
    before = [item.movie_id for item in recommendations_for_user(user=user, limit=5)]
    # Activated while the file was sound; the disk then damages it before this process loads it.
    model_version_activate(version=new)
    damage(Path(new.artifact_path))
    loads = _numpy_loads(monkeypatch)
    registry.forget()

    after = [item.movie_id for item in recommendations_for_user(user=user, limit=5)]

    assert registry.served_version_ids()[COLLABORATIVE] == old.pk
    assert after == before
    assert new.artifact_path not in loads
    assert f"refused collaborative version {new.pk}" in caplog.text
    assert _active_ids() == [new.pk]
