from __future__ import annotations

import pytest
from django.conf import settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = "/api/v1/me/profile/"


def test_anonymous_callers_get_401_or_403() -> None:
    assert APIClient().get(PROFILE).status_code in (401, 403)


def test_it_shows_the_callers_profile() -> None:
    profile = ProfileFactory(language="es")
    api = APIClient()
    api.force_authenticate(profile.user)

    body = api.get(PROFILE).json()

    assert body == {"username": profile.user.username, "email": profile.user.email, "language": "es", "platforms": []}


def test_patch_changes_language_and_platforms() -> None:
    profile = ProfileFactory()
    api = APIClient()
    api.force_authenticate(profile.user)

    response = api.patch(PROFILE, {"language": "es", "platforms": ["netflix", "disney_plus"]}, format="json")

    assert response.status_code == 200
    assert response.json()["platforms"] == ["disney_plus", "netflix"]
    profile.refresh_from_db()
    assert profile.language == "es"


def test_patch_cannot_change_the_user_or_make_them_staff() -> None:
    profile = ProfileFactory()
    victim = UserFactory()
    api = APIClient()
    api.force_authenticate(profile.user)

    response = api.patch(
        PROFILE, {"user": victim.pk, "is_staff": True, "is_superuser": True, "username": "root"}, format="json"
    )

    assert response.status_code == 200
    profile.user.refresh_from_db()
    assert not profile.user.is_staff
    assert not profile.user.is_superuser
    assert profile.user.username != "root"
    assert not hasattr(victim, "profile") or victim.profile.pk != profile.pk


def test_patch_refuses_an_unknown_platform_with_a_message() -> None:
    profile = ProfileFactory()
    api = APIClient()
    api.force_authenticate(profile.user)

    response = api.patch(PROFILE, {"platforms": ["betamax"]}, format="json")

    assert response.status_code == 400
    assert "betamax" in str(response.json()["platforms"])


def test_patch_refuses_a_huge_platform_list_before_validating_each_slug() -> None:
    profile = ProfileFactory()
    api = APIClient()
    api.force_authenticate(profile.user)

    response = api.patch(PROFILE, {"platforms": ["netflix"] * 100_000}, format="json")

    assert response.status_code == 400
    assert response.json() == {"platforms": ["Ensure this field has no more than 50 elements."]}


def test_a_session_write_without_csrf_is_refused() -> None:
    profile = ProfileFactory()
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(profile.user)

    response = api.patch(PROFILE, {"language": "es"}, format="json")

    assert response.status_code == 403
    profile.refresh_from_db()
    assert profile.language == "en"


def test_a_language_changed_with_a_session_applies_to_the_site_at_once() -> None:
    profile = ProfileFactory(language="en")
    api = APIClient()
    api.force_login(profile.user)  # CSRF is not what this is about

    assert api.patch(PROFILE, {"language": "es"}, format="json").status_code == 200

    assert api.get("/").headers["Content-Language"] == "es"
    assert api.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_a_language_changed_with_a_token_leaves_sessions_and_cookies_alone() -> None:
    profile = ProfileFactory(language="en")
    api = APIClient()
    _instance, token = AuthToken.objects.create(user=profile.user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.patch(PROFILE, {"language": "es"}, format="json")

    assert response.status_code == 200
    assert response.cookies == {}
