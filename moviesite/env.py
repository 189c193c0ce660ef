"""Typed readers for environment variables.

Every setting that comes from the environment goes through one of these, so a
bad value stops the process at start-up with a message naming the variable,
instead of surfacing later as a confusing error.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """The value, stripped; set to nothing (an env file's `NAME=`) counts as not set."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    # Set to nothing (an env file's `NAME=`) means not set, as for numbers: an empty
    # DJANGO_SECURE_COOKIES must not switch a production protection off.
    if raw is None or not raw.strip():
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} is below the minimum of {minimum}.")
    return value


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_directory_create(name: str, path: Path) -> None:
    """Create the writable directory the variable `name` chose, or stop naming the variable."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(f"{name}: {path} cannot be created ({error.strerror}).") from error
    if not os.access(path, os.W_OK):
        raise ImproperlyConfigured(f"{name}: {path} is not writable.")


def _url_is_valid(value: str, *, schemes: tuple[str, ...], path: str, needs_host: bool) -> bool:
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    has_host = bool(parts.hostname) or not needs_host
    return parts.scheme in schemes and has_host and re.fullmatch(path, parts.path) is not None


def _without_password(value: str) -> str:
    """A URL as an error message may show it: a password in it replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", value)


def env_database_url(name: str) -> str:
    """A PostgreSQL URL, or empty (SQLite). A typo stops start-up naming the variable."""
    value = env_str(name)
    if value and not _url_is_valid(
        value, schemes=("postgres", "postgresql", "pgsql"), path=r"/[^/]+", needs_host=False
    ):
        raise ImproperlyConfigured(
            f"{name}={_without_password(value)!r} is not a PostgreSQL URL; use postgres://user:password@host:5432/name."
        )
    return value


def env_redis_url(name: str) -> str:
    """A Redis URL, or empty (eager tasks, local cache). A typo stops start-up naming the variable."""
    value = env_str(name)
    if value and not _url_is_valid(value, schemes=("redis", "rediss"), path=r"(/[0-9]*)?", needs_host=True):
        raise ImproperlyConfigured(f"{name}={_without_password(value)!r} is not a Redis URL; use redis://host:6379/0.")
    return value


def env_log_level(name: str, default: str) -> str:
    """A logging level name in any case (debug, INFO, warning...)."""
    value = env_str(name, default).upper()
    if value not in logging.getLevelNamesMapping():
        raise ImproperlyConfigured(
            f"{name}={os.environ.get(name)!r} is not a log level; use DEBUG, INFO, WARNING, ERROR or CRITICAL."
        )
    return value


# What Django REST framework's throttles read: a count, then a period whose first letter it keeps.
_RATE = re.compile(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    """An API rate such as 120/minute."""
    value = env_str(name, default)
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(f"{name}={value!r} is not a rate; use a count per second, minute, hour or day.")
    return value


WEAK_SECRET_MARKERS = ("django-insecure", "changeme", "change-me", "secret", "password")


def env_secret_key(name: str, *, debug: bool, dev_key_file: os.PathLike[str] | str) -> str:
    """The Django secret key: required and strong in production.

    With debug on and no key set, a random key is generated once and kept in
    `dev_key_file` (under the git-ignored var/), so no key ever lives in the
    repository and development sessions survive restarts.
    """
    value = env_str(name)
    if value:
        weak = len(value) < 50 or len(set(value)) < 5 or any(m in value.lower() for m in WEAK_SECRET_MARKERS)
        if weak and not debug:
            raise ImproperlyConfigured(
                f"{name} is weak: use at least 50 random characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
            )
        return value
    if not debug:
        raise ImproperlyConfigured(
            f"{name} is not set. In production set it to at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))'); "
            "for local development set DJANGO_DEBUG=1 (make run does) and a key is generated under var/."
        )
    import secrets

    path = Path(dev_key_file)
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    path.write_text(key)
    return key
