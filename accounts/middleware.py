"""Activate a signed-in user's chosen language.

The choice is kept in the session (set at every login, whichever form it came
through, and when the profile is saved), so no query is needed per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers

from accounts.models import Profile
from accounts.selectors import user_language

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


def language_restore_at_login(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """user_logged_in receiver: the profile's language into the new session, whatever the log-in form.

    The site's log-in also writes the language cookie (SiteLoginView); the
    admin's log-in did neither, so a Spanish curator signing in to the admin
    from a browser asking for English got English.
    """
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(SESSION_KEY) != str(getattr(user, "pk", "")):
        return  # a log-in that opens no session (an API token): the caller's session stays anonymous
    language = user_language(user=user)  # type: ignore[arg-type]
    if language:
        request.session[SESSION_LANGUAGE_KEY] = language


def language_named_by_client(request: HttpRequest) -> bool:
    """Whether the request says which language it wants: an Accept-Language header or the language cookie."""
    return bool(request.headers.get("Accept-Language")) or settings.LANGUAGE_COOKIE_NAME in request.COOKIES


def api_language_from_profile(request: HttpRequest, *, user: Any) -> None:
    """An API call authenticated without a session (a token): the profile's language, unless the client named one.

    A session carries the profile's language from its log-in (UserLanguageMiddleware);
    a token carries none, so a Spanish user's client that sends no Accept-Language
    (curl, a script) got English. An explicit header or cookie still wins.
    """
    if language_named_by_client(request):
        return
    try:
        language = user.profile.language  # loaded with the token (accounts.authentication): no query
    except Profile.DoesNotExist:
        return  # a user made in the admin or the shell
    if language not in {code for code, _name in settings.LANGUAGES}:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
    request.language_from_profile = True  # type: ignore[attr-defined]


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
        if getattr(request, "language_from_profile", False):
            # The answer's language followed the token's user: a cache must not hand it to another caller.
            response.headers["Content-Language"] = request.LANGUAGE_CODE  # type: ignore[attr-defined]
            patch_vary_headers(response, ("Authorization",))
        return response
