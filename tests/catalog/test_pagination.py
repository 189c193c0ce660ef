"""Catalog search totals are cached per process; the films on a page never are."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Movie
from catalog.pagination import CatalogPaginator
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def count_cache(settings: Any) -> None:
    settings.CATALOG_COUNT_TTL = 60
    caches["catalog_counts"].clear()


def _search(word: str) -> CatalogPaginator:
    return CatalogPaginator(Movie.objects.filter(title__icontains=word).order_by("title"), 2)


def test_a_repeated_search_counts_once_and_still_reads_its_page_fresh(count_cache: None) -> None:
    for index in range(3):
        MovieFactory(title=f"Winter tale {index}")
    assert _search("winter").count == 3

    MovieFactory(title="Winter tale 3")
    again = _search("winter")
    with CaptureQueriesContext(connection) as queries:
        total = again.count
        titles = [movie.title for movie in again.page(1)]
    assert total == 3  # the cached total, up to CATALOG_COUNT_TTL old
    assert len(queries) == 1  # the page's own query; no count
    assert titles == ["Winter tale 0", "Winter tale 1"]


def test_different_searches_have_their_own_totals(count_cache: None) -> None:
    MovieFactory(title="Summer")
    MovieFactory(title="Autumn")
    MovieFactory(title="Autumn leaves")
    assert (_search("summer").count, _search("autumn").count) == (1, 2)


def test_without_the_cache_the_total_is_exact(settings: Any) -> None:
    settings.CATALOG_COUNT_TTL = 0
    MovieFactory(title="Spring")
    assert _search("spring").count == 1
    MovieFactory(title="Spring again")
    assert _search("spring").count == 2
