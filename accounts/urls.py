from __future__ import annotations

from django.urls import include, path

from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("login/", views.SiteLoginView.as_view(), name="login"),
    # logout (POST only), password change and the password reset flow.
    path("", include("django.contrib.auth.urls")),
]
