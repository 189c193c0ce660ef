from __future__ import annotations

from django.urls import include, path

from catalog import views

urlpatterns = [
    path("", views.home, name="home"),
    path("films/", views.movie_list, name="movie-list"),
    path("films/<int:pk>/", views.movie_detail, name="movie-detail"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("", include("catalog.insights.urls")),
]
