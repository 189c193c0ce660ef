"""API rate limits counted per fixed window: one cache round trip per request.

DRF's throttles keep every request's timestamp in a list that is read and
written back whole on each request: two round trips, and a payload that grows
with the allowed rate. These count requests in the current window with one
atomic increment instead (a burst of up to twice the rate can straddle two
windows, the usual price of fixed windows). As before, a request is let
through when the cache cannot count (Redis down): the site keeps serving.

Anonymous callers are counted by the address the lockout uses
(moviesite.client_address), never by DRF's default, which takes the whole
X-Forwarded-For header as sent: any client could name itself anew on each
request and never be limited.
"""

from __future__ import annotations

import math
from typing import Any

from rest_framework import throttling

from moviesite.cache import count_in_window
from moviesite.client_address import client_ip_address


class FixedWindowRateThrottle(throttling.SimpleRateThrottle):
    # Set by SimpleRateThrottle.__init__ from the rate ("600/minute").
    num_requests: int
    duration: int
    window_ends: float = 0.0

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        window = int(self.timer() // self.duration)
        self.window_ends = (window + 1) * self.duration
        count = count_in_window(self.cache, f"{self.key}:{window}", int(self.duration))
        return count is None or count <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends - self.timer())

    def get_ident(self, request: Any) -> str:
        return client_ip_address(request) or ""


class AnonRateThrottle(throttling.AnonRateThrottle, FixedWindowRateThrottle):
    pass


class UserRateThrottle(throttling.UserRateThrottle, FixedWindowRateThrottle):
    pass


class ScopedRateThrottle(throttling.ScopedRateThrottle, FixedWindowRateThrottle):
    pass


class _FormScope:
    """Stands in for an API view: ScopedRateThrottle reads only its `throttle_scope`."""

    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def form_posts_wait_seconds(request: Any, *, scope: str) -> int | None:
    """Count one HTML form post against the address's budget for `scope`; the seconds to wait when over it.

    The same counter and rate (DEFAULT_THROTTLE_RATES[scope]) as the API's
    ScopedRateThrottle, so the site login and the API login share one budget.
    """
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, _FormScope(scope)):
        return None
    return max(1, math.ceil(throttle.wait()))
