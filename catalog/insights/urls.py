from __future__ import annotations

from django.urls import path

from catalog.insights import views

urlpatterns = [
    path("insights/", views.insights_page, name="insights"),
    path("insights/refresh/", views.insights_refresh_view, name="insights-refresh"),
    path(
        "insights/charts/<str:snapshot_id>/<str:language>/<slug:key>.png",
        views.insights_chart,
        name="insights-chart",
    ),
]
