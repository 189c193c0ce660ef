"""What a locked-out client sees (a page on the site and the admin, JSON on the API); per-address form limits."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from moviesite.client_address import client_ip_address
from moviesite.throttling import form_posts_wait_seconds

ViewFunction = Callable[..., HttpResponseBase]

LOCKED_OUT_STATUS = 429


def lockout_seconds_left(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """Seconds until this username may log in again from this address (at least 1).

    Axes keeps the lockout until AXES_COOLOFF_TIME after the last failure it
    recorded for the pair; without a record, the whole cool-off.
    """
    cooloff = settings.AXES_COOLOFF_TIME
    last_failure = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials), ip_address=client_ip_address(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    if last_failure is None:
        return int(cooloff.total_seconds())
    return max(math.ceil((last_failure + cooloff - timezone.now()).total_seconds()), 1)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    seconds_left = lockout_seconds_left(request, credentials)
    minutes_left = math.ceil(seconds_left / 60)
    response: HttpResponse
    if request.path.startswith("/api/") or request.headers.get("x-requested-with") == "XMLHttpRequest":
        message = ngettext(
            "Too many failed log-in attempts for this account from your address. Try again in %(minutes)d minute.",
            "Too many failed log-in attempts for this account from your address. Try again in %(minutes)d minutes.",
            minutes_left,
        ) % {"minutes": minutes_left}
        response = JsonResponse(
            {
                "detail": message,
                "code": "locked_out",
                "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
                "retry_after": seconds_left,
            },
            status=LOCKED_OUT_STATUS,
        )
    else:
        context = {"cooloff_minutes": minutes_left, "failure_limit": settings.AXES_FAILURE_LIMIT}
        response = render(request, settings.AXES_LOCKOUT_TEMPLATE, context, status=LOCKED_OUT_STATUS)
    response["Retry-After"] = str(seconds_left)
    return response


def too_many_posts_response(request: HttpRequest, seconds_left: int) -> HttpResponse:
    """A form sent too often from one address (log in, sign up, password reset): 429 with Retry-After."""
    context = {"minutes_left": math.ceil(seconds_left / 60)}
    response = render(request, "registration/too_many_attempts.html", context, status=LOCKED_OUT_STATUS)
    response["Retry-After"] = str(seconds_left)
    return response


def posts_limited_per_address(scope: str) -> Callable[[ViewFunction], ViewFunction]:
    """Limit a form's POSTs per client address to DEFAULT_THROTTLE_RATES[scope], counted before the form is read.

    Django-axes locks one username out from one address; this bounds what one
    address tries across usernames (the API login's throttle, shared), and how
    many accounts or reset mails it asks for.
    """

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                seconds_left = form_posts_wait_seconds(request, scope=scope)
                if seconds_left is not None:
                    return too_many_posts_response(request, seconds_left)
            return view(request, *args, **kwargs)

        return limited

    return decorator
