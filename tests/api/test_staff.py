"""Staff endpoints: the registry and the import history are closed to everyone else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from recommender.models import ModelVersion
from tests.celery_worker import queued_task_ids
from tests.factories import ImportRunFactory, ModelVersionFactory, verified_artifact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/model-versions/"),
        ("get", "/api/v1/model-versions/1/"),
        ("post", "/api/v1/model-versions/1/activate/"),
        ("post", "/api/v1/retrain/"),
        ("get", "/api/v1/import-runs/"),
        ("get", "/api/v1/import-runs/1/"),
    ],
)
def test_staff_endpoints_refuse_anonymous_and_ordinary_users(
    anon_client: APIClient, alice_client: APIClient, method: str, path: str
) -> None:
    assert getattr(anon_client, method)(path, {}, format="json").status_code == 401
    assert getattr(alice_client, method)(path, {}, format="json").status_code == 403
    assert ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).count() == 0


def test_staff_see_model_versions_with_their_metrics(staff_client: APIClient) -> None:
    version = ModelVersionFactory(metrics={"rmse": 0.91}, params={"n_factors": 50})
    body = staff_client.get("/api/v1/model-versions/").json()
    assert [(v["id"], v["metrics"]) for v in body["results"]] == [(version.pk, {"rmse": 0.91})]
    assert staff_client.get(f"/api/v1/model-versions/{version.pk}/").json()["params"] == {"n_factors": 50}


def test_staff_activate_a_ready_version_and_the_previous_one_steps_down(staff_client: APIClient) -> None:
    old = ModelVersionFactory(status=ModelVersion.Status.ACTIVE, artifact_path="old.npz", checksum="a" * 64)
    new = ModelVersionFactory(status=ModelVersion.Status.READY, **verified_artifact())
    response = staff_client.post(f"/api/v1/model-versions/{new.pk}/activate/")
    assert response.status_code == 200
    assert response.json()["status"] == "active"
    old.refresh_from_db()
    assert old.status == ModelVersion.Status.READY
    assert ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).get() == new


def test_a_version_that_cannot_serve_is_not_activated(staff_client: APIClient) -> None:
    failed = ModelVersionFactory(status=ModelVersion.Status.FAILED)
    response = staff_client.post(f"/api/v1/model-versions/{failed.pk}/activate/")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert staff_client.post("/api/v1/model-versions/999999/activate/").status_code == 404


def test_staff_queue_a_retrain_and_get_202_with_how_it_was_queued(
    staff_client: APIClient, eager: Callable[[bool], None], django_capture_on_commit_callbacks
) -> None:
    eager(False)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/api/v1/retrain/", {"kind": "collaborative"}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == "collaborative"
    assert body["queued"] == "broker"
    assert queued_task_ids() == [body["task_id"]]
    assert not ModelVersion.objects.exists()  # queued for a worker, not run here
    assert staff_client.post("/api/v1/retrain/", {"kind": "everything"}, format="json").status_code == 400


def test_in_the_embedded_mode_a_retrain_says_it_ran(staff_client: APIClient, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True

    body = staff_client.post("/api/v1/retrain/", {"kind": "content"}, format="json").json()

    assert body["queued"] == "ran" and body["task_id"]


def test_staff_see_import_runs(staff_client: APIClient, staff: Any) -> None:
    run = ImportRunFactory(rows_read=10, rows_rejected=2, rejects_by_reason={"bad date": 2})
    body = staff_client.get("/api/v1/import-runs/").json()
    assert [(r["id"], r["rows_rejected"]) for r in body["results"]] == [(run.pk, 2)]
    assert staff_client.get(f"/api/v1/import-runs/{run.pk}/").json()["rejects_by_reason"] == {"bad date": 2}
