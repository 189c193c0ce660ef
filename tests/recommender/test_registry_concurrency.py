"""Two staff members activating different versions at the same moment (real PostgreSQL, threads)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from recommender import services
from recommender.models import ModelVersion
from tests.factories import ModelVersionFactory, verified_artifact

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_activations_leave_exactly_one_active_version() -> None:
    versions = [ModelVersionFactory(**verified_artifact(f"concurrent-{n}")) for n in range(2)]
    barrier = threading.Barrier(len(versions))
    errors: list[BaseException] = []

    def activate(version: ModelVersion) -> None:
        try:
            barrier.wait(timeout=10)
            services.model_version_activate(version=version)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    for _round in range(5):
        threads = [threading.Thread(target=activate, args=(version,)) for version in versions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        barrier.reset()
        assert errors == []
        assert ModelVersion.objects.filter(kind="collaborative", status="active").count() == 1
