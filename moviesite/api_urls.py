"""/api/v1/: every app contributes its routes from its own api module."""

from __future__ import annotations

from django.urls import include, path, re_path

from moviesite.api import ApiNotFoundApi

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("catalog.api_urls")),
    path("", include("ratings.api_urls")),
    path("", include("recommender.api_urls")),
    # Last: any /api/v1/ address no endpoint matched answers a JSON 404, not the site's HTML page.
    re_path(r"^", ApiNotFoundApi.as_view(), name="api-not-found"),
]
