"""The recommender caches the catalog per process: each ratings test starts from its own rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from recommender.catalog_data import catalog_snapshot_clear
from recommender.registry import registry


@pytest.fixture(autouse=True)
def fresh_recommender_state() -> Iterator[None]:
    catalog_snapshot_clear()
    registry.reset()
    yield
    catalog_snapshot_clear()
    registry.reset()
