from __future__ import annotations

from django.urls import path

from recommender import views

urlpatterns = [
    path("staff/models/", views.staff_status, name="staff-status"),
    path("staff/models/retrain/", views.staff_retrain, name="staff-retrain"),
    path("staff/models/<int:pk>/activate/", views.staff_activate, name="staff-activate"),
]
