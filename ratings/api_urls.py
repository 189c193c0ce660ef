"""The current user's ratings and watchlist under /api/v1/me/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from ratings import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/ratings/", apis.MyRatingListApi.as_view(), name="api-my-rating-list"),
    path("me/ratings/<int:pk>/", apis.MyRatingDetailApi.as_view(), name="api-my-rating-detail"),
    path("me/watchlist/", apis.MyWatchlistApi.as_view(), name="api-my-watchlist"),
    path("me/watchlist/<int:pk>/", apis.MyWatchlistEntryApi.as_view(), name="api-my-watchlist-entry"),
]
