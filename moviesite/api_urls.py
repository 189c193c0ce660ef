"""/api/v1/: every app contributes its routes from its own api module."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("catalog.api_urls")),
    path("", include("ratings.api_urls")),
    path("", include("recommender.api_urls")),
]
