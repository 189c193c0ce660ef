from __future__ import annotations

from django.urls import path

from recommender import views

urlpatterns = [path("staff/models/", views.staff_status, name="staff-status")]
