"""Activate a signed-in user's chosen language.

The choice is kept in the session (set at login and when the profile is
saved), so no query is needed per request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

SESSION_LANGUAGE_KEY = "profile_language"


def remember_language(request: HttpRequest, response: HttpResponseBase, language: str) -> None:
    """Keep the chosen language in the session (for the middleware) and in the language cookie, so it
    survives logging out."""
    request.session[SESSION_LANGUAGE_KEY] = language
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(SESSION_LANGUAGE_KEY) if hasattr(request, "session") else None
        if language in self.supported and request.user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        if language in self.supported:
            response.headers.setdefault("Content-Language", language)
        return response
