"""Content-Security-Policy: every page may load and run only what this site serves.

The site's pages use no inline script, style or event handler (static/js/site.js
and static/css/*.css carry them), so the policy names no 'unsafe-inline': an
injected <script> or onerror= attribute that escaped the templates would not
run. The few pages that cannot do without inline code (the API docs, whose
bundles initialise inline, and the 500 page, drawn without static files) set
their own policy with `content_security_policy`, which the middleware keeps.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings

if TYPE_CHECKING:  # settings.py imports this module: no django.http at import time
    from django.http import HttpRequest, HttpResponse
    from django.http.response import HttpResponseBase

HEADER = "Content-Security-Policy"


def site_policy(*, image_origin: str = "") -> str:
    """The policy of the site's pages; `image_origin` is the poster host when one is configured."""
    images = " ".join(part for part in ("'self'", "data:", image_origin) if part)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def origin_of(url: str) -> str:
    """`https://image.tmdb.org` of `https://image.tmdb.org/t/p/w342`; empty for an empty or relative URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# The API docs (Swagger UI, ReDoc): their bundles are served by this site, but
# they start from an inline script, style inline and run ReDoc's worker from a blob.
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:; font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The 500 page: fixed text with its own inline style and no script at all.
ERROR_PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

View = Callable[..., "HttpResponseBase"]


def content_security_policy(policy: str) -> Callable[[View], View]:
    """A view whose responses carry this policy instead of the site's."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            response.headers[HEADER] = policy
            return response

        return wrapper

    return decorate


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(HEADER, self.policy)
        return response
