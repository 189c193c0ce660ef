"""Recommendations (/api/v1/me/recommendations/) and the staff registry endpoints."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

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
]
