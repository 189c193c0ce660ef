from __future__ import annotations

from django.urls import path

from accounts.lockout import posts_limited_per_address
from ratings import views

urlpatterns = [
    path("me/ratings/", views.my_ratings, name="my-ratings"),
    path("me/ratings/export.csv", views.ratings_export, name="ratings-export"),
    # Limited per account (RATINGS_IMPORT_THROTTLE): a 5 MB file of 50,000 rows takes a worker for seconds.
    path(
        "me/ratings/import/",
        posts_limited_per_address("ratings_import")(views.ratings_import_view),
        name="ratings-import",
    ),
    path("me/watchlist/", views.watchlist, name="watchlist"),
    path("welcome/", views.onboarding, name="onboarding"),
    path("films/<int:pk>/rating/", views.film_rate, name="film-rate"),
    path("films/<int:pk>/watchlist/", views.film_watchlist, name="film-watchlist"),
    path("films/<int:pk>/not-interested/", views.film_not_interested, name="film-not-interested"),
]
