"""Admin for ratings. DatasetRating holds tens of millions of rows: its list never
counts the whole table, shows raw ids instead of joining films, and searches by
exact rater id only."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.utils.functional import cached_property

from ratings.models import DatasetRating, Dismissal, Rating, WatchlistEntry

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
        return queryset[: COUNT_CAP + 1].count()


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["user", "movie", "score", "updated_at"]
    list_filter = ["score"]
    search_fields = ["user__username", "movie__title"]
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]
    date_hierarchy = "created_at"


@admin.register(DatasetRating)
class DatasetRatingAdmin(admin.ModelAdmin):
    list_display = ["pk", "source", "rater_id", "movie_id", "score", "rated_at"]
    list_filter = ["source"]
    search_fields = ["=rater_id"]
    raw_id_fields = ["movie"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["-pk"]
    list_per_page = 100

    def get_readonly_fields(self, request: Any, obj: DatasetRating | None = None) -> list[str]:
        """Source, rater and film make up the primary key: fixed once the rating exists."""
        return ["source", "rater_id", "movie"] if obj is not None else []


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(admin.ModelAdmin):
    list_display = ["user", "movie", "added_at"]
    search_fields = ["user__username", "movie__title"]
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ["user", "movie", "created_at"]
    search_fields = ["user__username", "movie__title"]
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]
