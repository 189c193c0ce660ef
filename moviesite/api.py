"""API-wide wiring: the exception handler that keeps every error a clear 4xx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus Django's ValidationError turned into a 400 with its messages."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = exceptions.ValidationError(detail=detail)
    response = drf_exception_handler(exc, context)
    is_bad_request = response is not None and response.status_code == status.HTTP_400_BAD_REQUEST
    if is_bad_request and isinstance(response.data, list):  # type: ignore[union-attr]
        response.data = {"detail": response.data}  # type: ignore[union-attr]
    return response
