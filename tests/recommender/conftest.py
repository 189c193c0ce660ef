"""Every recommender test starts from a process with nothing loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from recommender.catalog_data import catalog_snapshot_clear
from recommender.registry import registry


@pytest.fixture(autouse=True)
def fresh_recommender_state(settings: pytest.FixtureRequest) -> Iterator[None]:
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 0
    settings.RECOMMENDER_CATALOG_TTL = 0
    catalog_snapshot_clear()
    registry.reset()
    yield
    catalog_snapshot_clear()
    registry.reset()
