"""Refuse an oversized request body before any of it is read or written to disk."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class RequestSizeLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: a multipart body over UPLOAD_MAX_REQUEST_BYTES is refused whole.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, and a form's own size
    check (the ratings import's 5 MB) runs only after Django has streamed the
    whole upload to a temporary file, however large. Django answers the
    exception with a 400 (moviesite.api.bad_request turns it into a 413 that says why).
    """

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: str | None = None
    ) -> None:
        if content_length > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise RequestDataTooBig("Upload larger than UPLOAD_MAX_REQUEST_BYTES.")

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
