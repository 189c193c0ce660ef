"""What a locked-out client sees: a page on the site and the admin, JSON on the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_OUT_STATUS = 429


def client_ip_address(request: HttpRequest) -> str | None:
    """The address lockouts are counted against.

    REMOTE_ADDR, unless DJANGO_BEHIND_PROXY says a trusted proxy sits in front:
    then the last X-Forwarded-For entry, the one that proxy appended (earlier
    entries come from the client and can be forged).
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    cooloff_minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed log-in attempts for this account from your address. Try again in %(minutes)d minutes."
    ) % {"minutes": cooloff_minutes}
    if request.path.startswith("/api/") or request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse(
            {"detail": message, "code": "locked_out", "cooloff_minutes": cooloff_minutes}, status=LOCKED_OUT_STATUS
        )
    context = {"cooloff_minutes": cooloff_minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=LOCKED_OUT_STATUS)
