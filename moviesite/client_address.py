"""The address of the client a request came from, for lockouts and rate limits alike."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless DJANGO_BEHIND_PROXY says a trusted proxy sits in front.

    Then the last X-Forwarded-For entry, the one that proxy appended: earlier
    entries come from the client and can be forged.
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
