from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views
from accounts.lockout import posts_limited_per_address

urlpatterns = [
    # Each form's POSTs are limited per client address (DEFAULT_THROTTLE_RATES).
    path("signup/", posts_limited_per_address("signup")(views.signup), name="signup"),
    path("signup/address-taken/", views.signup_address_taken, name="signup-address-taken"),
    path("profile/", views.profile, name="profile"),
    # The password typed again here is limited like a login's.
    path("delete/", posts_limited_per_address("login")(views.account_delete), name="account-delete"),
    path("login/", posts_limited_per_address("login")(views.SiteLoginView.as_view()), name="login"),
    path(
        "password_reset/",
        posts_limited_per_address("password_reset")(views.QueuedPasswordResetView.as_view()),
        name="password_reset",
    ),
    # The current password typed here is limited like a login's: a session taken over must not
    # become a way to try passwords until one fits (and then change it, locking the owner out).
    path(
        "password_change/",
        posts_limited_per_address("login")(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    # logout (POST only), password change done and the password reset flow.
    path("", include("django.contrib.auth.urls")),
]
