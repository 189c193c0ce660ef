"""Background work for accounts: thin wrappers that load rows by id and call a service."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from accounts.services import (
    expired_tokens_delete,
    password_reset_mail_send,
    signup_attempt_notify_owner,
    user_deactivate,
)


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


@shared_task(name="accounts.password_reset_mail_send")
def password_reset_mail_send_task(*, email: str, language: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to the accounts with this address, if any (accounts.services.password_reset_request)."""
    password_reset_mail_send(email=email, language=language, domain=domain, use_https=use_https)


@shared_task(name="accounts.signup_attempt_notify")
def signup_attempt_notify_task(*, owner_id: int, login_url: str, password_reset_url: str) -> bool:
    """Tell an account's owner someone tried to sign up with their address; False when no mail went out."""
    owner = get_user_model().objects.filter(pk=owner_id).first()
    if owner is None:
        return False
    return signup_attempt_notify_owner(owner=owner, login_url=login_url, password_reset_url=password_reset_url)
