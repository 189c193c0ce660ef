"""Staff status opens the staff pages; acting on what they show takes the admin's permission for it.

Found as a staff user who is not a superuser and holds no permission (the admin
shows such a user nothing to change): the staff page, the API and the admin's
actions let them activate a model version or queue a retrain, read the import
history, and, with only the right to view users, deactivate any account, a
superuser's included.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from recommender.models import ModelVersion
from tests.factories import ImportRunFactory, ModelVersionFactory, StaffUserFactory, UserFactory, verified_artifact

pytestmark = pytest.mark.django_db


def _staff_with(*codenames: str) -> Any:
    """A staff user who is not a superuser, holding only these permissions."""
    user: Any = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def _api_client(user: Any) -> APIClient:
    _instance, token = AuthToken.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _site_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ready_version() -> Any:
    return ModelVersionFactory(status=ModelVersion.Status.READY, **verified_artifact())


def test_staff_without_the_model_permission_cannot_activate_or_retrain_through_the_api() -> None:
    version = _ready_version()
    api = _api_client(_staff_with("view_modelversion"))

    activate = api.post(f"/api/v1/model-versions/{version.pk}/activate/")
    retrain = api.post("/api/v1/retrain/", {"kind": "content"}, format="json")

    assert activate.status_code == 403, activate.content
    assert retrain.status_code == 403, retrain.content
    assert activate.json()["detail"]
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.READY
    assert not ModelVersion.objects.exclude(pk=version.pk).exists()


def test_staff_with_the_model_permission_activate_through_the_api() -> None:
    version = _ready_version()

    response = _api_client(_staff_with("change_modelversion")).post(f"/api/v1/model-versions/{version.pk}/activate/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "active"


def test_staff_without_the_model_permission_cannot_act_from_the_staff_page() -> None:
    version = _ready_version()
    client = _site_client(_staff_with())

    page = client.get(reverse("staff-status"))
    activate = client.post(reverse("staff-activate", args=[version.pk]))
    retrain = client.post(reverse("staff-retrain"), {"kind": "content"})

    assert page.status_code == 200
    assert reverse("staff-activate", args=[version.pk]).encode() not in page.content
    assert reverse("staff-retrain").encode() not in page.content
    assert (activate.status_code, retrain.status_code) == (403, 403)
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.READY
    assert not ModelVersion.objects.exclude(pk=version.pk).exists()


def test_staff_with_the_model_permission_see_the_buttons_and_activate() -> None:
    version = _ready_version()
    client = _site_client(_staff_with("change_modelversion"))

    assert reverse("staff-activate", args=[version.pk]).encode() in client.get(reverse("staff-status")).content
    assert client.post(reverse("staff-activate", args=[version.pk])).status_code == 302
    version.refresh_from_db()
    assert version.status == ModelVersion.Status.ACTIVE


def test_the_admin_activate_action_needs_the_change_permission() -> None:
    version = _ready_version()
    client = _site_client(_staff_with("view_modelversion"))

    client.post(
        reverse("admin:recommender_modelversion_changelist"),
        {"action": "activate_selected", "_selected_action": [version.pk]},
    )

    version.refresh_from_db()
    assert version.status == ModelVersion.Status.READY


def test_the_import_history_needs_the_import_run_view_permission() -> None:
    run: Any = ImportRunFactory()

    without = _api_client(_staff_with())
    with_permission = _api_client(_staff_with("view_importrun"))

    assert without.get("/api/v1/import-runs/").status_code == 403
    assert without.get(f"/api/v1/import-runs/{run.pk}/").status_code == 403
    assert with_permission.get("/api/v1/import-runs/").status_code == 200
    assert with_permission.get(f"/api/v1/import-runs/{run.pk}/").status_code == 200


def test_staff_who_may_only_view_users_cannot_deactivate_anyone() -> None:
    superuser: Any = StaffUserFactory()
    client = _site_client(_staff_with("view_user"))

    client.post(
        reverse("admin:auth_user_changelist"), {"action": "deactivate_users", "_selected_action": [superuser.pk]}
    )

    superuser.refresh_from_db()
    assert superuser.is_active
