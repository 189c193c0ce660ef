"""The site's WSGI application plus three diagnostic API endpoints, for `bench.bench_layers` only.

Each endpoint answers the same constant JSON through DRF and adds one more of the layers
every signed-in API call pays, so their requests/s under load show what each layer costs:

    /bench/layers/drf/                      DRF alone: no authentication, no throttle
    /bench/layers/drf-token/                + the site's token check (accounts.authentication)
    /bench/layers/drf-token-throttle/       + the per-user rate limit (moviesite.throttling)

The product never serves these: `moviesite.wsgi` (the Procfile's web process) does not import
this module.
"""

from __future__ import annotations

from typing import Any

import django

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after django.setup()
from django.urls import clear_url_caches, path  # noqa: E402
from rest_framework.permissions import AllowAny, IsAuthenticated  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

import moviesite.urls  # noqa: E402
from accounts.authentication import TokenAuthentication  # noqa: E402
from bench.bench_layers import LAYER_PATHS  # noqa: E402
from moviesite.throttling import UserRateThrottle  # noqa: E402


class DrfOnly(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class DrfWithToken(DrfOnly):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]


class DrfWithTokenAndThrottle(DrfWithToken):
    throttle_classes = [UserRateThrottle]


LAYER_VIEWS = {"drf": DrfOnly, "drf_token": DrfWithToken, "drf_token_throttle": DrfWithTokenAndThrottle}
moviesite.urls.urlpatterns[:0] = [
    path(LAYER_PATHS[name].lstrip("/"), view.as_view()) for name, view in LAYER_VIEWS.items()
]
clear_url_caches()

application = get_wsgi_application()
