"""Reads about accounts."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from accounts.models import Profile


def user_language(*, user: AbstractBaseUser) -> str | None:
    """The language on the user's profile, or None for a user without one (made in the admin or the shell)."""
    return Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
