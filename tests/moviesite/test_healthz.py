from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_it_reports_the_database_and_cache_as_healthy(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["models"] == []
