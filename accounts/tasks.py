"""Background work for accounts: thin wrappers that load rows by id and call a service."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from accounts.services import expired_tokens_delete, user_deactivate


@shared_task(name="accounts.user_deactivate")
def user_deactivate_task(user_id: int) -> bool:
    """Deactivate a user (ending sessions and tokens); False when the user no longer exists."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    user_deactivate(user=user)
    return True


@shared_task(name="accounts.expired_tokens_delete")
def expired_tokens_delete_task() -> int:
    """Delete every expired API token (hourly, from beat); returns how many."""
    return expired_tokens_delete()
