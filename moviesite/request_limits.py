"""Too many query fields: the site's own 400, in debug mode too."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse

from moviesite.api import bad_request


class FieldLimitMiddleware:
    """Parse the query string before anything else reads it.

    Past DATA_UPLOAD_MAX_NUMBER_FIELDS Django raises TooManyFieldsSent, which it
    answers with handler400, except in debug mode (`make run`): its technical
    page reads request.GET again, fails the same way, and the client gets a
    bare 500. (A form body is parsed once: a second read finds it empty.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.GET  # noqa: B018 - parsed for its exception
        except TooManyFieldsSent as error:
            return bad_request(request, error)
        return self.get_response(request)
