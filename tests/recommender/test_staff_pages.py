from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from recommender.models import ModelVersion
from tests.factories import ModelVersionFactory, StaffUserFactory, UserFactory, verified_artifact

pytestmark = pytest.mark.django_db


def staff_client() -> Client:
    client = Client()
    client.force_login(StaffUserFactory())
    return client


def test_the_staff_page_lists_versions_with_their_metrics() -> None:
    ModelVersionFactory(status=ModelVersion.Status.READY, metrics={"holdout_rmse": 0.9123})
    response = staff_client().get(reverse("staff-status"))
    assert response.status_code == 200
    assert b"0.9123" in response.content


def test_a_visitor_who_is_not_staff_cannot_see_or_use_it() -> None:
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("staff-status")).status_code == 302
    version = ModelVersionFactory(artifact_path="/x.npz", checksum="a" * 64)
    assert client.post(reverse("staff-activate", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.READY


def test_staff_can_activate_a_version_from_the_page() -> None:
    version = ModelVersionFactory(**verified_artifact())
    response = staff_client().post(reverse("staff-activate", args=[version.pk]))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.ACTIVE


def test_staff_can_queue_a_retrain_from_the_page() -> None:
    response = staff_client().post(reverse("staff-retrain"), {"kind": "content"}, follow=True)
    assert response.status_code == 200
    assert b"Retrain queued" in response.content


def test_the_admin_lists_model_versions() -> None:
    ModelVersionFactory(metrics={"holdout_rmse": 0.95})
    response = staff_client().get(reverse("admin:recommender_modelversion_changelist"))
    assert response.status_code == 200
    assert b"0.9500" in response.content
