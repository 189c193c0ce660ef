"""API-wide wiring: the exception handler that keeps every error a clear 4xx, and JSON error pages under /api/."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from moviesite import csp

API_PREFIX = "/api/"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError turned into a 400 with its messages.

    Django's 404s become DRF's translated "Not found." rather than DRF's copy of
    Django's English message naming the model ("No Rating matches the given query.").
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    is_bad_request = response is not None and response.status_code == status.HTTP_400_BAD_REQUEST
    if is_bad_request and isinstance(response.data, list):  # type: ignore[union-attr]
        response.data = {"detail": response.data}  # type: ignore[union-attr]
    return response


def _address_with_slash(request: HttpRequest) -> str | None:
    """This address with a trailing slash, query kept, when an endpoint answers there.

    Django's APPEND_SLASH cannot tell: the catch-all below matches every address.
    """
    if request.path_info.endswith("/"):
        return None
    try:
        match = resolve(f"{request.path_info}/", getattr(request, "urlconf", None))
    except Resolver404:
        return None
    if match.url_name == "api-not-found":
        return None
    return request.get_full_path(force_append_slash=True)


@extend_schema(exclude=True)
class ApiNotFoundApi(APIView):
    """Any /api/v1/ address that no endpoint serves: a JSON 404 whatever the method.

    Without its trailing slash an endpoint's address redirects there (GET, HEAD),
    or for the other methods, whose body a redirect would lose, the 404 names it.
    """

    permission_classes = [permissions.AllowAny]

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with_slash = _address_with_slash(request._request)
        if with_slash is None:
            return Response({"detail": _("No API endpoint at this address.")}, status=status.HTTP_404_NOT_FOUND)
        if request.method in ("GET", "HEAD"):
            return Response(status=status.HTTP_301_MOVED_PERMANENTLY, headers={"Location": with_slash})
        return Response(
            {
                "detail": _("No API endpoint at this address; the endpoint is at %(url)s, with a trailing slash.")
                % {"url": with_slash}
            },
            status=status.HTTP_404_NOT_FOUND,
        )

    get = post = put = patch = delete = head = options = _not_found


# Django's own error views (moviesite.urls' handler400/404/500), for errors no DRF view
# turned into a response: too many query parameters, an address outside /api/v1/, a crash.
# Under /api/ they answer JSON like the rest of the API; elsewhere the site's pages.
def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(detail: str, status_code: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status_code, json_dumps_params={"ensure_ascii": False})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _too_large(request)
    if _is_api(request):
        return _api_error(str(exceptions.ParseError.default_detail), status.HTTP_400_BAD_REQUEST)
    response = defaults.bad_request(request, exception)
    # templates/400.html styles itself inline, as 500.html: Django draws it without a request.
    response.headers[csp.HEADER] = csp.ERROR_PAGE_POLICY
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the site's own page in the reader's language, JSON under /api/.

    Django's page is a developer's (unstyled under the CSP, 'More information is
    available with DEBUG=True', <html lang="en"> on a Spanish one), and a
    visitor meets it after leaving a form open for a long while.
    """
    message = _("This form has expired: reload the page and send it again.")
    if _is_api(request):
        return _api_error(message, status.HTTP_403_FORBIDDEN)
    return render(request, "403_csrf.html", status=status.HTTP_403_FORBIDDEN)


def _too_large(request: HttpRequest) -> HttpResponse:
    # The file limits themselves are on the forms (the ratings import says 5 MB).
    message = _("The request is larger than this site accepts.")
    if _is_api(request):
        return _api_error(message, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    return render(request, "413.html", {"message": message}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(_("No API endpoint at this address."), status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(str(exceptions.APIException.default_detail), status.HTTP_500_INTERNAL_SERVER_ERROR)
    response = defaults.server_error(request)
    # templates/500.html styles itself inline: it is drawn without static files.
    response.headers[csp.HEADER] = csp.ERROR_PAGE_POLICY
    return response
