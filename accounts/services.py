"""Writes for accounts: creating users, their profile, and ending their access."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from accounts.models import Profile
from catalog.models import Platform
from ratings.models import Rating
from ratings.services import ratings_delete

logger = logging.getLogger(__name__)

SESSION_SCAN_BATCH = 2000


def email_is_taken(*, email: str, exclude_user_id: int | None = None) -> bool:
    users = get_user_model().objects.filter(email__iexact=email.strip())
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.exists()


@transaction.atomic
def user_create(*, username: str, email: str, password: str, language: str = "en") -> User:
    """A new site user with a usable password and a profile.

    The email must be unique regardless of case (also enforced by a unique
    index on lower(email)); the password goes through Django's validators.
    """
    user_model = get_user_model()
    email = user_model.objects.normalize_email(email.strip())
    if not email:
        raise ValidationError({"email": [_("An email address is required.")]})
    if email_is_taken(email=email):
        raise ValidationError({"email": [_("An account with this email address exists already.")]})
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    user = user_model(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Two sign-ups racing for the same username or email: the index decides.
        raise ValidationError(_("This username or email address is taken.")) from exc
    Profile.objects.create(user=user, language=language)
    return user


def user_signup(
    *, username: str, email: str, password: str, language: str, login_url: str, password_reset_url: str
) -> User | None:
    """The new user; or None when an account already uses the address, whose owner is mailed instead.

    The sign-up form does not say the address is taken: the owner hears of
    the attempt, with links to log in and to choose a new password. A
    deactivated owner is not mailed, as Django's password reset mails no
    inactive user: they can neither log in nor reset, and a deactivated
    account's address must not keep receiving the site's mail. The visitor
    sees the same page either way.

    Both branches cost alike where it is cheap: the password is hashed on
    both (a free address's new account takes a quarter of a second to hash
    its password, and the taken branch answered in 2 ms) and the owner's mail,
    decided and written by a task, holds no request (signup_attempt_notify_task).
    """
    owner = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if owner is None:
        return user_create(username=username, email=email, password=password, language=language)
    make_password(password)
    _task_run_elsewhere(
        "accounts.signup_attempt_notify",
        owner_id=owner.pk,
        login_url=login_url,
        password_reset_url=password_reset_url,
    )
    return None


def signup_attempt_notify_owner(*, owner: User, login_url: str, password_reset_url: str) -> bool:
    """Tell an active account's owner, in their language, that someone tried to sign up with their address.

    False, and no mail, for a deactivated account (see user_signup).
    """
    if not owner.is_active:
        return False
    context = {"user": owner, "login_url": login_url, "password_reset_url": password_reset_url}
    with translation.override(profile_get_or_create(user=owner).language):
        subject = render_to_string("accounts/signup_taken_subject.txt", context).strip()
        body = render_to_string("accounts/signup_taken_email.txt", context)
    send_mail(subject, body, None, [owner.email])
    return True


def password_reset_request(*, email: str, language: str, domain: str, use_https: bool) -> None:
    """Have a task mail a reset link to the accounts with this address, if any.

    The request that asks neither looks the address up nor sends anything, so
    it answers alike, and as fast, for any address: mailing in the request made
    a known address measurably slower than an unknown one (a probe for who has
    an account), and a slow mail server held a web worker. `language` is the
    asker's, for an account without one of its own; `domain` and `use_https`
    make the link, as the request would have.
    """
    _task_run_elsewhere(
        "accounts.password_reset_mail_send", email=email, language=language, domain=domain, use_https=use_https
    )


def password_reset_mail_send(*, email: str, language: str, domain: str, use_https: bool) -> None:
    """Mail a reset link to each account Django's reset form would: active, with a usable password.

    Each mail is in its account's language (LocalizedPasswordResetForm), else in `language`.
    """
    from accounts.forms import LocalizedPasswordResetForm

    form = LocalizedPasswordResetForm(data={"email": email})
    if not form.is_valid():
        logger.warning("password reset: not an email address, nothing sent")
        return
    with translation.override(language):
        form.save(domain_override=domain, use_https=use_https)


def _task_run_elsewhere(task_name: str, **kwargs: Any) -> None:
    """Send an accounts task to a worker, so the request does not wait for it nor depend on what it finds.

    Nothing to commit first: these tasks read rows that exist already. In the
    embedded mode (no broker) the task runs here and now, as every task does;
    so it does when the broker cannot be reached, since a mail is not worth
    losing to a Redis outage. Either way its failure is logged, never the
    request's: an error page for a known address would tell it apart again.
    """
    from accounts import tasks  # noqa: F401 - registers the tasks with the app
    from moviesite.celery import app

    task = app.tasks[task_name]
    if not app.conf.task_always_eager:
        try:
            task.apply_async(kwargs=kwargs, retry=True)
        except Exception as exc:  # noqa: BLE001 - whatever the broker says, the work still has to be done
            logger.warning("accounts: broker unavailable, %s runs in this process: %s", task_name, exc)
        else:
            return
    try:
        task.apply(kwargs=kwargs, throw=True)
    except Exception:
        logger.exception("accounts: task %s failed", task_name)


def profile_get_or_create(*, user: User, language: str | None = None) -> Profile:
    """The user's profile, created on first use for users made outside sign-up (admin, createsuperuser).

    A profile created here takes `language` when the site offers it (the one the
    user was reading at their first log-in), else the default.
    """
    defaults = {"language": language} if language in dict(settings.LANGUAGES) else {}
    profile, _created = Profile.objects.get_or_create(user=user, defaults=defaults)
    return profile


@transaction.atomic
def profile_update(
    *, profile: Profile, language: str | None = None, platform_slugs: Iterable[str] | None = None
) -> Profile:
    """Change the language and/or the set of streaming platforms; unknown slugs are refused."""
    if language is not None:
        supported = {code for code, _name in Profile._meta.get_field("language").choices or []}
        if language not in supported:
            raise ValidationError({"language": [_("Unsupported language: %(code)s") % {"code": language}]})
        profile.language = language
        profile.save(update_fields=["language"])
    if platform_slugs is not None:
        wanted = set(platform_slugs)
        platforms = list(Platform.objects.filter(slug__in=wanted))
        unknown = wanted - {platform.slug for platform in platforms}
        if unknown:
            raise ValidationError(
                {"platforms": [_("Unknown platform: %(slugs)s") % {"slugs": ", ".join(sorted(unknown))}]}
            )
        profile.platforms.set(platforms)
    return profile


def user_sessions_end(*, user: User) -> int:
    """Delete every stored session that belongs to the user; returns how many.

    Sessions are signed blobs keyed by a random id, so the user's ones are
    found by decoding the unexpired sessions in batches.
    """
    user_pk = str(user.pk)
    ended = 0
    to_delete: list[str] = []
    unexpired = Session.objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    for session in unexpired.iterator(chunk_size=SESSION_SCAN_BATCH):
        if str(session.get_decoded().get("_auth_user_id")) == user_pk:
            to_delete.append(session.session_key)
    if to_delete:
        ended, _details = Session.objects.filter(session_key__in=to_delete).delete()
    return ended


class TokenLimitError(Exception):
    """The user holds as many unexpired API tokens as REST_KNOX's TOKEN_LIMIT_PER_USER allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new expiring API token (the instance and the key, shown once), within the per-user limit.

    knox's own login view enforces TOKEN_LIMIT_PER_USER; creating tokens
    directly, as the login API does, has to do it here.
    """
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None:
        unexpired = AuthToken.objects.filter(user=user).filter(Q(expiry__gt=timezone.now()) | Q(expiry__isnull=True))
        if unexpired.count() >= limit:
            raise TokenLimitError(limit)
    instance, key = AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)
    return instance, key


def user_tokens_end(*, user: User) -> int:
    deleted, _details = AuthToken.objects.filter(user=user).delete()
    return deleted


def tokens_end_on_password_change(sender: object, instance: User, created: bool, **kwargs: object) -> None:
    """post_save receiver on the user model: a new password ends every API token of the account.

    A password change or reset ends the account's other browser sessions (Django checks
    the session's password hash); a knox token carries no such hash, and with
    AUTO_REFRESH a stolen one in use never expired, so the owner's new password did not
    shut the thief out. `_password` is set by `set_password` until the save that stores
    it (Django's own hook for password validators), whatever changed it: the site's
    change and reset forms, the admin's, `manage.py changepassword`; a hash upgraded at
    log-in is not a change (Django clears `_password` before that save).
    """
    if created or getattr(instance, "_password", None) is None:
        return
    ended = user_tokens_end(user=instance)
    if ended:
        logger.info("password of user %s changed: %d API token(s) ended", instance.pk, ended)


def expired_tokens_delete() -> int:
    """Delete every API token past its expiry (they are refused already; this keeps the table small)."""
    deleted, _details = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Switch the account off and end all its access: browser sessions and API tokens."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = user_sessions_end(user=user)
    tokens = user_tokens_end(user=user)
    logger.info("deactivated user %s: %d session(s) and %d token(s) ended", user.pk, sessions, tokens)
    return user


@transaction.atomic
def user_delete(*, user: User) -> int:
    """Delete the account and all it holds: profile, ratings, watchlist, dismissals, API tokens, browser sessions.

    Returns how many ratings went with it. They go through ratings_delete, so
    their films' count and average follow within the minute, as after any
    rating delete, rather than at the hourly recount a bare cascade waits for.
    """
    rated = ratings_delete(ratings=Rating.objects.filter(user=user))
    sessions = user_sessions_end(user=user)
    user_pk = user.pk
    user.delete()
    logger.info("deleted user %s with %d rating(s) and %d session(s)", user_pk, rated, sessions)
    return rated


CURATORS_GROUP = "Curators"
# What curators need to fix catalog data and users' ratings, and nothing about accounts:
# every catalog permission but writing import runs and adding or deleting platforms (the
# importers know them by code), ratings and dataset ratings, and read-only registry pages.
CURATOR_PERMISSIONS = (
    (
        Q(content_type__app_label="catalog")
        & ~Q(codename__in=["add_importrun", "change_importrun", "delete_importrun", "add_platform", "delete_platform"])
    )
    | Q(content_type__app_label="ratings", content_type__model__in=["rating", "datasetrating"])
    | Q(content_type__app_label="recommender", codename__startswith="view_")
)


@transaction.atomic
def curator_grant(*, user: User) -> User:
    """Make the user a curator: staff (the admin), in the Curators group, whose permissions are brought up to date."""
    group, _created = Group.objects.get_or_create(name=CURATORS_GROUP)
    group.permissions.set(Permission.objects.filter(CURATOR_PERMISSIONS))
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return user
