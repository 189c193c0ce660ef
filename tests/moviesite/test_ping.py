from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_it_answers_ok_in_json_at_api_v1_ping(client) -> None:
    response = client.get("/api/v1/ping")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert reverse("api-ping") == "/api/v1/ping"


@pytest.mark.django_db
def test_it_never_touches_the_database(client) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/ping")

    assert len(queries) == 0


def test_it_refuses_anything_but_get(client) -> None:
    assert client.post("/api/v1/ping").status_code == 405


def test_it_is_never_cached(client) -> None:
    assert "no-cache" in client.get("/api/v1/ping")["Cache-Control"]
