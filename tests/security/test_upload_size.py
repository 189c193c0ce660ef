"""An oversized upload is refused before Django stores it, with a 413 that says why.

Found with curl: the ratings import checked its 5 MB limit only after Django
had streamed the whole body to a temporary file, so one signed-in request
could write gigabytes to the server's disk before its 400.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


@pytest.fixture
def small_limit(settings: Any) -> None:
    settings.DEBUG = False
    settings.UPLOAD_MAX_REQUEST_BYTES = LIMIT


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Bytes Django wrote to temporary upload files."""
    chunks: list[int] = []
    receive = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self: TemporaryFileUploadHandler, raw_data: bytes, start: int) -> Any:
        chunks.append(len(raw_data))
        return receive(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    monkeypatch.setattr("django.conf.settings.FILE_UPLOAD_MAX_MEMORY_SIZE", 1024)
    return chunks


@pytest.mark.usefixtures("small_limit")
def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(stored: list[int]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    big = SimpleUploadedFile("ratings.csv", b"title,year,rating\n" + b"x" * (2 * LIMIT))

    response = client.post(reverse("ratings-import"), {"file": big})

    assert response.status_code == 413
    assert b"larger than this site accepts" in response.content
    assert stored == []


@pytest.mark.usefixtures("small_limit")
def test_an_upload_within_the_limit_still_reaches_the_form(stored: list[int]) -> None:
    client = Client()
    client.force_login(UserFactory())
    small = SimpleUploadedFile("ratings.csv", b"title,year,rating\n" + b"Heat,1995,4\n" * 200)

    response = client.post(reverse("ratings-import"), {"file": small})

    assert response.status_code == 200
    assert sum(stored) > 0


@pytest.mark.usefixtures("small_limit")
def test_under_the_api_the_refusal_is_json() -> None:
    response = APIClient(raise_request_exception=False).post(
        "/api/v1/auth/login/",
        {"username": "x", "password": "y", "padding": SimpleUploadedFile("pad.bin", b"x" * (2 * LIMIT))},
        format="multipart",
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "The request is larger than this site accepts."}
