"""The one settings module. Every value comes from the environment.

Modes (see README "Configuration"):
- embedded default, nothing set: SQLite under var/, Celery tasks run eagerly
  in-process, local-memory cache;
- services: DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker, result
  backend and Django cache) set;
- debug is its own switch (DJANGO_DEBUG=1); with it off, a secret key is
  required and the deploy checks pass.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from moviesite.csp import origin_of, site_policy
from moviesite.env import (
    env_bool,
    env_database_url,
    env_directory_create,
    env_float,
    env_int,
    env_list,
    env_log_level,
    env_rate,
    env_redis_url,
    env_secret_key,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MOVIESITE_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DJANGO_DEBUG", False)
if DEBUG:
    # The generated development key is kept there.
    env_directory_create("MOVIESITE_VAR_DIR", VAR_DIR)
SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY", debug=DEBUG, dev_key_file=VAR_DIR / "dev-secret-key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "moviesite.api.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "catalog",
    "ratings",
    "recommender",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "moviesite.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "moviesite.request_limits.FieldLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "moviesite.urls"
WSGI_APPLICATION = "moviesite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalog.context_processors.catalog_fragments",
            ],
            "libraries": {"page_title": "moviesite.page_title"},
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_database_url("DATABASE_URL")
# psycopg's own default: executions of one statement on a connection before it is prepared.
PREPARE_THRESHOLD = 5
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            # A connection killed under us (restart, pg_terminate_backend) is
            # detected before the next request uses it.
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that asks the server only when
        # the socket shows it said something (moviesite/postgresql/base.py).
        DATABASES["default"]["ENGINE"] = "moviesite.postgresql"
    # A database that does not answer fails the request (and /healthz) in
    # seconds instead of hanging a worker.
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DATABASE_CONNECT_TIMEOUT", 5, minimum=1
        )
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            # The few fixed statements of every request (moviesite.sql.prepared_statements)
            # are prepared by the server after PREPARE_THRESHOLD runs on a connection,
            # so it stops parsing and planning them each time. Everything else keeps
            # Django's client-side binding (no prepared statements, no 65,535-parameter
            # limit). Turn off behind a pooler that cannot keep prepared statements
            # (PgBouncer in transaction mode before 1.21).
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = PREPARE_THRESHOLD
else:
    env_directory_create("MOVIESITE_VAR_DIR", VAR_DIR)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "moviesite.sqlite3"),
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

# --- Cache and broker -----------------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Tolerates Redis being down: reads miss, writes are dropped, the
            # site keeps serving (README "Guarantees").
            "BACKEND": "moviesite.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "moviesite"}}
# Rendered fragments that are the same for every visitor (a film's facts, its
# similar row): kept in each web process's memory, so serving one costs no
# round trip and works with Redis down. Django's {% cache %} tag uses this
# alias by name. Bounded: the oldest third goes when it is full. Kept as built,
# not pickled (moviesite.local_cache).
CACHES["template_fragments"] = {
    "BACKEND": "moviesite.local_cache.InProcessCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": env_int("TEMPLATE_FRAGMENT_CACHE_ENTRIES", 3000, minimum=1)},
}
# The totals of catalog searches (catalog.pagination), per process: counting
# a popular title word reads thousands of rows, the page itself twenty.
CATALOG_COUNT_TTL = env_float("CATALOG_COUNT_TTL", 60.0)
CACHES["catalog_counts"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "catalog-counts",
    "OPTIONS": {"MAX_ENTRIES": env_int("CATALOG_COUNT_CACHE_ENTRIES", 2000, minimum=1)},
}

# How long each process reuses its last /healthz answer (moviesite.health); 0 checks every time.
HEALTHZ_CACHE_SECONDS = env_float("HEALTHZ_CACHE_SECONDS", 2.0)

# --- Auth -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the failure that locked the account, as documented: attempts
# while locked out (refused without checking the password) do not start it again, so a
# client that waits the Retry-After it was given gets in.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Behind a proxy every request comes from the proxy's address: lock out by the
# client address the proxy appended to X-Forwarded-For instead.
AXES_CLIENT_IP_CALLABLE = "moviesite.client_address.client_ip_address"

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
# locale/: the project's own strings (makemessages writes it); locale_overrides/: Django's and DRF's
# messages in the site's "tú" (edited by hand; makemessages would drop them from locale/ as obsolete).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Posters come from TMDB's image host when a film has a poster path; an empty
# value keeps every page on local assets (the placeholder).
TMDB_IMAGE_BASE_URL = env_str("TMDB_IMAGE_BASE_URL", "")

# --- Uploads --------------------------------------------------------------
# The largest request body a form with a file may send (the ratings import takes
# 5 MB files): a larger one is refused before Django stores any of it.
UPLOAD_MAX_REQUEST_BYTES = 6 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "moviesite.uploads.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- Mail -----------------------------------------------------------------
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "moviesite <noreply@localhost>")

# --- Security (production defaults; DEBUG relaxes the HTTPS-only ones) ------
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts, styles, fonts and images from this site only (posters also from the
# TMDB image host when one is set); see moviesite/csp.py for the pages that relax it.
CONTENT_SECURITY_POLICY = site_policy(image_origin=origin_of(TMDB_IMAGE_BASE_URL))
SESSION_COOKIE_HTTPONLY = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST framework -------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": [
        "moviesite.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "moviesite.throttling.AnonRateThrottle",
        "moviesite.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_THROTTLE_ANON", "120/minute"),
        "user": env_rate("API_THROTTLE_USER", "600/minute"),
        # Also the site's and the admin's login forms (accounts.lockout.posts_limited_per_address).
        "login": env_rate("API_THROTTLE_LOGIN", "10/minute"),
        "signup": env_rate("SIGNUP_THROTTLE", "10/hour"),
        "password_reset": env_rate("PASSWORD_RESET_THROTTLE", "5/hour"),
        # The ratings import's POSTs per account: one file of 50,000 rows holds a web worker for seconds.
        "ratings_import": env_rate("RATINGS_IMPORT_THROTTLE", "20/hour"),
    },
    "EXCEPTION_HANDLER": "moviesite.api.exception_handler",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 7, minimum=1)),
    "AUTO_REFRESH": True,
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "moviesite API",
    "DESCRIPTION": "Films, people, your ratings and recommendations, and the catalog analytics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # PATCH bodies are validated as declared (a rating's PATCH needs its score; the profile's fields
    # are optional by declaration), not as DRF's partial updates, so no "Patched" copies with
    # every field optional.
    "COMPONENT_SPLIT_PATCH": False,
    # Every operation that takes a body also documents DRF's 415 for a Content-Type it cannot read.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "moviesite.schema.document_unreadable_bodies",
    ],
}

# --- Celery ---------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker, tasks run in-process: the embedded mode needs no worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600, minimum=60)
# Both limits stay below the visibility timeout, so Redis never hands a task
# that is still running to a second worker.
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", CELERY_VISIBILITY_TIMEOUT - 600, minimum=30)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", CELERY_TASK_TIME_LIMIT - 300, minimum=10)
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "Celery limits must satisfy CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT "
        f"(got {CELERY_TASK_SOFT_TIME_LIMIT} < {CELERY_TASK_TIME_LIMIT} < {CELERY_VISIBILITY_TIMEOUT} seconds)."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 1,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    # .delay() subscribes to the task's result channel first; Celery's default
    # (20 reconnects a second apart) would hold a web request for 20 s with Redis down.
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Site ratings reach the films' figures (count and average in moviesite)
# through beat this often (the films rated since the last run); a rating
# write itself never updates the film.
RATING_FIGURES_REFRESH_SECONDS = env_int("RATING_FIGURES_REFRESH_SECONDS", 60, minimum=5)
CELERY_BEAT_SCHEDULE = {
    "delete-expired-api-tokens": {
        "task": "accounts.expired_tokens_delete",
        "schedule": timedelta(hours=1),
    },
    # Catalog fixes made in the admin (genres, keywords, credits, overview) reach
    # the content index here; imports queue their own rebuild. Skipped when no film
    # changed (content_fingerprint).
    "nightly-content-index": {
        "task": "recommender.tasks.rebuild_content_index",
        "schedule": crontab(hour=2, minute=45),
    },
    "nightly-retrain": {
        "task": "recommender.tasks.retrain_collaborative",
        "schedule": crontab(hour=3, minute=15),
    },
    "retrain-when-enough-new-ratings": {
        "task": "recommender.tasks.retrain_if_enough_new_ratings",
        "schedule": timedelta(minutes=10),
    },
    "dispatch-pending-tasks": {
        "task": "recommender.tasks.dispatch_pending_tasks",
        "schedule": timedelta(minutes=1),
    },
    "refresh-rating-figures": {
        "task": "catalog.tasks.refresh_rating_figures",
        "schedule": timedelta(seconds=RATING_FIGURES_REFRESH_SECONDS),
    },
    # The safety net: ratings gone without a RatingChange (a user deleted outside
    # accounts.services.user_delete, by the bare cascade) and
    # any change a crash lost reach the figures within the hour.
    "recount-rating-figures": {
        "task": "catalog.tasks.recount_rating_figures",
        "schedule": crontab(minute=35),
    },
}

# --- Recommender ----------------------------------------------------------
MODEL_ARTIFACTS_DIR = Path(env_str("MODEL_ARTIFACTS_DIR") or VAR_DIR / "models")
IMPORTS_DIR = Path(env_str("IMPORTS_DIR") or VAR_DIR / "imports")
DEMO_CACHE_DIR = Path(env_str("DEMO_CACHE_DIR") or VAR_DIR / "demo")
INSIGHTS_DIR = Path(env_str("INSIGHTS_DIR") or VAR_DIR / "insights")
# Retrain once this many ratings arrived since the active model was trained.
RECOMMENDER_RETRAIN_AFTER_NEW_RATINGS = env_int("RECOMMENDER_RETRAIN_AFTER_NEW_RATINGS", 1000, minimum=1)
# A candidate model whose holdout RMSE is worse than the active one by more
# than this is kept as rejected instead of activated.
RECOMMENDER_RMSE_TOLERANCE = env_float("RECOMMENDER_RMSE_TOLERANCE", 0.02)
RECOMMENDER_NEIGHBOURS = env_int("RECOMMENDER_NEIGHBOURS", 50, minimum=1)
# How often a process checks which model versions are active (a switch is noticed within this).
RECOMMENDER_REGISTRY_CHECK_SECONDS = env_float("RECOMMENDER_REGISTRY_CHECK_SECONDS", 5.0)
# How long a process keeps its snapshot of the catalog (titles, genres, popularity) before rebuilding it.
RECOMMENDER_CATALOG_TTL = env_float("RECOMMENDER_CATALOG_TTL", 300.0)

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_log_level("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
