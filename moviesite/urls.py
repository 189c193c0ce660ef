"""Top-level URLs: each app owns its own urls.py; the API lives under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

from accounts.lockout import posts_limited_per_address
from accounts.views import set_language
from moviesite.csp import DOCS_POLICY, content_security_policy
from moviesite.health import healthz
from moviesite.ping import ping
from moviesite.schema import SchemaApi

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    # The header's language switch also saves a signed-in user's choice on the profile.
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SchemaApi.as_view(), name="api-schema"),
    path(
        "api/docs/",
        content_security_policy(DOCS_POLICY)(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        content_security_policy(DOCS_POLICY)(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
    path("api/v1/ping", ping, name="api-ping"),
    path("api/v1/", include("moviesite.api_urls")),
    # The admin's login form shares the site login's attempts per address (accounts.lockout).
    path("admin/login/", posts_limited_per_address("login")(admin.site.login)),
    # So does its password change form, which checks the current password (still behind admin_view).
    path(
        "admin/password_change/",
        posts_limited_per_address("login")(admin.site.admin_view(admin.site.password_change, cacheable=True)),
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("ratings.urls")),
    path("", include("recommender.urls")),
    path("", include("catalog.urls")),
]

# JSON {"detail": ...} for addresses under /api/, the site's pages (templates/404.html, 500.html) elsewhere.
handler400 = "moviesite.api.bad_request"
handler404 = "moviesite.api.page_not_found"
handler500 = "moviesite.api.server_error"
