"""Pagination of catalog searches, with the total count cached briefly in each process."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CatalogPaginator(Paginator):
    """A Paginator whose total is cached per process for CATALOG_COUNT_TTL seconds.

    Counting a title search reads every film that matches (46 ms for a word in
    7% of 45,000 titles on PostgreSQL), while the page itself reads twenty rows
    in under a millisecond. The catalog changes only on import and curation, so
    a total may trail those by the TTL; the films listed are always read fresh.
    Only for catalog queries: a user's own lists must count exactly.
    """

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if query is None:
            return super().count
        sql, params = query.sql_with_params()
        key = "catalog-count:" + hashlib.sha256(repr((sql, params)).encode()).hexdigest()
        counts = caches["catalog_counts"]
        total = counts.get(key)
        if total is None:
            total = super().count
            counts.set(key, total, settings.CATALOG_COUNT_TTL)
        return int(total)
