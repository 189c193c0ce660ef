"""What the admin's lists of big tables share: a paginator that never counts a whole table."""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Past this many rows a filtered list shows "many" pages instead of counting them all.
COUNT_CAP = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows; an unfiltered list on PostgreSQL uses the planner's estimate."""

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        # The admin changelist only ever paginates a QuerySet.
        queryset = cast("QuerySet[Any]", self.object_list)
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > COUNT_CAP:
                return int(row[0])
        # Which rows are counted does not matter below the cap: no ordering, so no join for it.
        return queryset.order_by()[: COUNT_CAP + 1].count()
