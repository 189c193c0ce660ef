"""Settings are read at import, so each mode is resolved in a fresh interpreter with a controlled environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = secrets.token_urlsafe(64)

REPORT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST", ""),
    "OPTIONS": {k: v for k, v in db.get("OPTIONS", {}).items() if isinstance(v, (int, str))},
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "BROKER": settings.CELERY_BROKER_URL,
    "RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
    "EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "STATICFILES_STORAGE": settings.STORAGES["staticfiles"]["BACKEND"],
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
}))
"""


def _run(code: str, env: dict[str, str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "moviesite.settings",
        "MOVIESITE_VAR_DIR": str(tmp_path / "var"),
        **env,
    }
    command = [sys.executable, *args] if args else [sys.executable, "-c", code]
    return subprocess.run(command, env=clean_env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def _settings(env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    result = _run(REPORT_SETTINGS, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_mode_uses_sqlite_under_var_eager_tasks_and_a_local_cache(tmp_path: Path) -> None:
    resolved = _settings({"DJANGO_DEBUG": "1"}, tmp_path)

    assert resolved["DEBUG"] is True
    assert resolved["ENGINE"] == "django.db.backends.sqlite3"
    assert resolved["NAME"] == str(tmp_path / "var" / "moviesite.sqlite3")
    assert resolved["EAGER"] is True
    assert resolved["BROKER"] == "memory://localhost/"
    assert resolved["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert resolved["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_an_embedded_task_runs_without_kombu_warning_of_a_missing_broker_hostname(tmp_path: Path) -> None:
    result = _run(
        "import django; django.setup(); from moviesite.celery import ping; print(ping.apply_async().get()['pong'])",
        {"DJANGO_DEBUG": "1"},
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")
    assert "No hostname was supplied" not in result.stderr


def test_debug_without_a_key_generates_one_under_var_and_keeps_it(tmp_path: Path) -> None:
    first = _settings({"DJANGO_DEBUG": "1"}, tmp_path)["SECRET_KEY"]
    second = _settings({"DJANGO_DEBUG": "1"}, tmp_path)["SECRET_KEY"]

    assert len(first) >= 50
    assert first == second == (tmp_path / "var" / "dev-secret-key").read_text().strip()


def test_the_services_mode_uses_postgresql_and_redis_for_broker_results_and_cache(tmp_path: Path) -> None:
    resolved = _settings(
        {
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgres://moviesite@db.internal:5432/moviesite",
            "REDIS_URL": "redis://cache.internal:6379/3",
        },
        tmp_path,
    )

    assert resolved["ENGINE"] == "moviesite.postgresql"
    assert (resolved["NAME"], resolved["HOST"]) == ("moviesite", "db.internal")
    assert resolved["OPTIONS"]["connect_timeout"] == 5
    assert resolved["BROKER"] == resolved["RESULT_BACKEND"] == "redis://cache.internal:6379/3"
    assert resolved["EAGER"] is False
    assert resolved["CACHE_BACKEND"] == "moviesite.cache.ResilientRedisCache"
    assert resolved["CACHE_LOCATION"] == "redis://cache.internal:6379/3"


def test_production_with_a_strong_key_is_locked_down(tmp_path: Path) -> None:
    resolved = _settings(
        {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "example.com,www.example.com"}, tmp_path
    )

    assert resolved["DEBUG"] is False
    assert resolved["ALLOWED_HOSTS"] == ["example.com", "www.example.com"]
    assert resolved["SSL_REDIRECT"] is True
    assert resolved["SESSION_COOKIE_SECURE"] is True
    assert resolved["HSTS"] >= 31536000
    assert resolved["STATICFILES_STORAGE"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_a_variable_set_to_nothing_keeps_its_default_as_an_empty_number_does(tmp_path: Path) -> None:
    # An env file that lists DJANGO_SECURE_COOKIES= without a value must not turn the HTTPS-only
    # protections off in production, nor empty the allowed hosts or the mail backend: empty means
    # "not set" for every variable, as it already did for numbers.
    resolved = _settings(
        {
            "DJANGO_SECRET_KEY": STRONG_KEY,
            "DJANGO_DEBUG": "",
            "DJANGO_SECURE_SSL_REDIRECT": "",
            "DJANGO_SECURE_COOKIES": " ",
            "DJANGO_MANIFEST_STATIC": "",
            "DJANGO_HSTS_SECONDS": "",
            "DJANGO_ALLOWED_HOSTS": "",
            "DJANGO_EMAIL_BACKEND": "",
            "DJANGO_LOG_LEVEL": "",
            "API_THROTTLE_ANON": "",
        },
        tmp_path,
    )

    assert resolved["DEBUG"] is False
    assert resolved["SSL_REDIRECT"] is True
    assert resolved["SESSION_COOKIE_SECURE"] is True
    assert resolved["STATICFILES_STORAGE"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert resolved["HSTS"] == 31536000
    assert resolved["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert resolved["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_production_without_a_secret_key_refuses_to_start_and_says_what_to_do(tmp_path: Path) -> None:
    result = _run(REPORT_SETTINGS, {}, tmp_path)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    assert "DJANGO_DEBUG=1" in result.stderr


@pytest.mark.parametrize("weak_key", ["short", "django-insecure-" + "x" * 60, "a" * 60])
def test_production_refuses_a_weak_secret_key(tmp_path: Path, weak_key: str) -> None:
    result = _run(REPORT_SETTINGS, {"DJANGO_SECRET_KEY": weak_key}, tmp_path)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is weak" in result.stderr


def test_a_value_that_is_not_a_boolean_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    result = _run(REPORT_SETTINGS, {"DJANGO_DEBUG": "maybe"}, tmp_path)

    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "postgres//moviesite@db/moviesite", "is not a PostgreSQL URL"),
        ("DATABASE_URL", "mysql://moviesite@db/moviesite", "is not a PostgreSQL URL"),
        ("DATABASE_URL", "postgres://moviesite@db:port/moviesite", "is not a PostgreSQL URL"),
        ("REDIS_URL", "127.0.0.1:6379", "is not a Redis URL"),
        ("REDIS_URL", "redis://127.0.0.1:6379/twelve", "is not a Redis URL"),
        ("DJANGO_LOG_LEVEL", "verbose", "is not a log level"),
        ("API_THROTTLE_ANON", "lots", "is not a rate"),
        ("API_THROTTLE_USER", "600/fortnight", "is not a rate"),
    ],
)
def test_a_malformed_service_url_log_level_or_rate_stops_start_up_naming_the_variable(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = _run(REPORT_SETTINGS, {"DJANGO_DEBUG": "1", variable: value}, tmp_path)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable}={value!r} {message}" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "shown"),
    [
        (
            "DATABASE_URL",
            "postgres://moviesite:secret@db:port/moviesite",
            "postgres://moviesite:***@db:port/moviesite",
        ),
        ("REDIS_URL", "redis://:secret@cache:6379/twelve", "redis://:***@cache:6379/twelve"),
    ],
)
def test_a_malformed_url_is_named_without_its_password(tmp_path: Path, variable: str, value: str, shown: str) -> None:
    result = _run(REPORT_SETTINGS, {"DJANGO_DEBUG": "1", variable: value}, tmp_path)

    assert result.returncode != 0
    assert f"{variable}={shown!r} is not a" in result.stderr
    assert ":secret@" not in result.stderr


def test_well_formed_urls_a_lower_case_log_level_and_rates_are_accepted(tmp_path: Path) -> None:
    resolved = _settings(
        {
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": "postgresql:///moviesite",
            "REDIS_URL": "rediss://:pass@cache.internal:6380",
            "API_THROTTLE_ANON": "5/second",
            "API_THROTTLE_LOGIN": "100/d",
        },
        tmp_path,
    )

    assert resolved["NAME"] == "moviesite"
    assert resolved["BROKER"] == "rediss://:pass@cache.internal:6380"


def test_a_lower_case_log_level_is_read_as_that_level(tmp_path: Path) -> None:
    result = _run("", {"DJANGO_DEBUG": "1", "DJANGO_LOG_LEVEL": "debug"}, tmp_path, "manage.py", "check")

    assert result.returncode == 0, result.stderr


def test_a_var_directory_that_cannot_be_created_stops_start_up_naming_the_variable(tmp_path: Path) -> None:
    not_a_directory = tmp_path / "a-file"
    not_a_directory.write_text("")

    result = _run(REPORT_SETTINGS, {"DJANGO_DEBUG": "1", "MOVIESITE_VAR_DIR": str(not_a_directory / "var")}, tmp_path)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: MOVIESITE_VAR_DIR: {not_a_directory / 'var'} cannot be created" in result.stderr


def test_celery_time_limits_above_the_visibility_timeout_are_refused(tmp_path: Path) -> None:
    result = _run(
        REPORT_SETTINGS,
        {"DJANGO_DEBUG": "1", "CELERY_VISIBILITY_TIMEOUT": "600", "CELERY_TASK_TIME_LIMIT": "900"},
        tmp_path,
    )

    assert result.returncode != 0
    assert "CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT" in result.stderr


def test_the_deploy_checks_pass_with_production_settings(tmp_path: Path) -> None:
    result = _run(
        "",
        {"DJANGO_SECRET_KEY": STRONG_KEY, "DJANGO_ALLOWED_HOSTS": "example.com"},
        tmp_path,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
