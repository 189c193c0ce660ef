from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Profile
from accounts.services import profile_get_or_create, profile_update, user_create
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_create_makes_a_profile_in_the_chosen_language() -> None:
    user = user_create(username="bo", email="Bo@Example.com", password="a fine passphrase 1", language="es")

    assert Profile.objects.get(user=user).language == "es"
    assert user.email == "Bo@example.com"


def test_user_create_refuses_a_weak_password_under_the_password_key() -> None:
    with pytest.raises(ValidationError) as caught:
        user_create(username="bo", email="bo@example.com", password="password123")

    assert "password" in caught.value.message_dict


def test_the_database_refuses_two_accounts_with_one_email_in_different_cases() -> None:
    UserFactory(username="one", email="same@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(username="two", email="SAME@example.com")


def test_accounts_without_email_do_not_collide() -> None:
    """The unique address constraint leaves empty addresses out: creating the second must not raise."""
    UserFactory(username="one", email="")
    UserFactory(username="two", email="")

    assert sorted(get_user_model().objects.filter(email="").values_list("username", flat=True)) == ["one", "two"]


def test_profile_get_or_create_returns_the_existing_profile() -> None:
    profile = ProfileFactory()

    assert profile_get_or_create(user=profile.user) == profile


def test_profile_update_refuses_unknown_platforms_and_changes_nothing() -> None:
    profile = ProfileFactory()

    with pytest.raises(ValidationError):
        profile_update(profile=profile, language="es", platform_slugs=["netflix", "betamax"])

    profile.refresh_from_db()
    assert profile.platforms.count() == 0
