"""GET /api/v1/ping: the cheapest JSON answer the stack can give.

It touches neither the database nor Redis (unlike /healthz), so under load it
measures gunicorn + Django's middleware alone: the ceiling the load benchmark
compares every other endpoint with.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def ping(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
