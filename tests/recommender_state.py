"""The recommender's per-process caches, emptied around each test that imports this fixture.

The recommender keeps the catalog snapshot and the loaded models per process, so
each test must start from its own rows. Importing `fresh_recommender_state` into a
conftest (or a test module) applies it to every test there: it is autouse, and so is
`recommender_ttls_off`, for tests that change ratings or models between requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from recommender.catalog_data import catalog_snapshot_clear
from recommender.registry import registry


def recommender_caches_clear() -> None:
    """What a freshly started process has: no catalog snapshot, no model loaded."""
    catalog_snapshot_clear()
    registry.reset()


@pytest.fixture(autouse=True)
def fresh_recommender_state() -> Iterator[None]:
    recommender_caches_clear()
    yield
    recommender_caches_clear()


@pytest.fixture(autouse=True)
def recommender_ttls_off(settings: Any) -> None:
    """Every request looks for a newer model version and reloads the catalog snapshot."""
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 0
    settings.RECOMMENDER_CATALOG_TTL = 0
