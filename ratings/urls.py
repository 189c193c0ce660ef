from __future__ import annotations

from django.urls import path

from ratings import views

urlpatterns = [
    path("me/ratings/", views.my_ratings, name="my-ratings"),
    path("me/watchlist/", views.watchlist, name="watchlist"),
    path("welcome/", views.onboarding, name="onboarding"),
]
