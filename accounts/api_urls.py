from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accounts import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/login/", apis.LoginApi.as_view(), name="api-auth-login"),
    path("auth/logout/", apis.LogoutApi.as_view(), name="api-auth-logout"),
    path("auth/logoutall/", apis.LogoutAllApi.as_view(), name="api-auth-logoutall"),
    path("me/profile/", apis.ProfileApi.as_view(), name="api-me-profile"),
    path("me/account/delete/", apis.AccountDeleteApi.as_view(), name="api-me-account-delete"),
]
