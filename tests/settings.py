"""Test settings: the product's settings plus the test speed-ups, in one place.

Everything else (database, broker) still comes from the environment, so the
same suite runs on SQLite or, with DATABASE_URL/REDIS_URL, on the real services.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
os.environ.setdefault("MOVIESITE_VAR_DIR", tempfile.mkdtemp(prefix="moviesite-test-var-"))

from moviesite.settings import *  # noqa: F403
from moviesite.settings import CACHES, CELERY_BROKER_TRANSPORT_OPTIONS, REST_FRAMEWORK, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests that are about the worker switch this off themselves.
CELERY_TASK_ALWAYS_EAGER = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files straight from the app and project directories (no collectstatic
# in tests); production keeps whitenoise's warning when STATIC_ROOT is missing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Through the environment, so a Celery worker started by the tests shares the prefix (and its locks).
CACHES["default"]["KEY_PREFIX"] = os.environ.setdefault("MOVIESITE_TEST_CACHE_PREFIX", f"test-{secrets.token_hex(4)}")
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {
        scope: "100000/minute" for scope in ["anon", "user", "login", "signup", "password_reset", "ratings_import"]
    },
}
VAR_DIR = Path(VAR_DIR)
MODEL_ARTIFACTS_DIR = VAR_DIR / "models"
IMPORTS_DIR = VAR_DIR / "imports"
INSIGHTS_DIR = VAR_DIR / "insights"
# The demo wheel is real data from PyPI: share one download across test runs.
DEMO_CACHE_DIR = Path(os.environ.get("DEMO_CACHE_DIR", Path(__file__).resolve().parent.parent / "var" / "demo"))
# Catalog search totals are cached per process (catalog.pagination): tests see
# exact counts unless they turn the cache on (tests/catalog/test_pagination.py).
CATALOG_COUNT_TTL = 0
# Every /healthz request checks afresh unless a test turns the reuse on (tests/moviesite/test_healthz.py).
HEALTHZ_CACHE_SECONDS = 0
# A worker's broker poll (Redis BRPOP) returns every 0.1 s instead of every second: a worker
# only notices the SIGTERM of tests.celery_worker's stop() when its poll returns, so each of
# the many worker stops in the suite waited about a second for nothing.
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "polling_interval": 0.1}
