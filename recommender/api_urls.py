"""Recommendations (/api/v1/me/recommendations/) and the staff registry endpoints."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from recommender import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/recommendations/", apis.MyRecommendationsApi.as_view(), name="api-my-recommendations"),
    path("model-versions/", apis.ModelVersionListApi.as_view(), name="api-model-version-list"),
    path("model-versions/<int:pk>/", apis.ModelVersionDetailApi.as_view(), name="api-model-version-detail"),
    path(
        "model-versions/<int:pk>/activate/",
        apis.ModelVersionActivateApi.as_view(),
        name="api-model-version-activate",
    ),
    path("retrain/", apis.RetrainApi.as_view(), name="api-retrain"),
    # Last route of /api/v1/ (this app is included last in moviesite/api_urls.py): any address
    # no endpoint matched, such as /films/abc/, answers a JSON 404 instead of the site's HTML page.
    re_path(r"^", apis.ApiNotFoundApi.as_view(), name="api-not-found"),
]
