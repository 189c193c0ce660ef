"""What the admin's pages over big tables share: a paginator that never counts a whole table, and
delete pages that count a row's thousands of dependants instead of listing them."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, cast

from django.contrib.admin import AdminSite
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.auth import get_permission_codename
from django.core.paginator import Paginator
from django.db import connection, router
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst

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


class _SummarisingCollector(NestedObjects):
    """Django's delete-page collector that counts the rows of some models instead of loading them.

    Only for models no other row points at (ratings, credits…): their own relations are not
    followed. Models in `skipped` are not read at all (their count comes from elsewhere).
    """

    def __init__(self, *args: Any, counted: Collection[type[Model]], skipped: Collection[type[Model]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.counted, self.skipped = set(counted), set(skipped)
        self.counts: dict[type[Model], int] = {}

    def related_objects(self, related_model: Any, related_fields: Any, objs: Any) -> QuerySet[Any]:
        if related_model in self.skipped:
            return related_model._base_manager.none()  # type: ignore[no-any-return]
        related = super().related_objects(related_model, related_fields, objs)
        if related_model in self.counted:
            self.counts[related_model] = self.counts.get(related_model, 0) + related.count()
            return related_model._base_manager.none()  # type: ignore[no-any-return]
        return related  # type: ignore[no-any-return]


def deleted_objects_summarised(
    objs: Any,
    request: HttpRequest,
    admin_site: AdminSite,
    *,
    counted: Collection[type[Model]],
    known_counts: Mapping[type[Model], int] | None = None,
) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
    """What django.contrib.admin.utils.get_deleted_objects answers, with some models as one line each.

    The rows of `counted` models (a user's thousands of ratings, a person's credits) are one
    COUNT each instead of a line per row, which loaded the row's film and person one query at a
    time and drew a page of that many lines. `known_counts` gives models that are not read at
    all (a film's dataset ratings, counted on the film). The deletion itself still removes
    them all.
    """
    known_counts = dict(known_counts or {})
    model = objs[0].__class__ if len(objs) else None
    collector = _SummarisingCollector(
        using=router.db_for_write(model) if model else "default", origin=objs, counted=counted, skipped=known_counts
    )
    collector.collect(objs)
    perms_needed: set[str] = set()

    def describe(obj: Any) -> str:
        opts = obj._meta
        if not admin_site.is_registered(obj.__class__):
            return f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(str(opts.verbose_name))
        url = reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(describe)
    # Keyed by model class (django-stubs says str).
    model_count = {
        str(cast("type[Model]", found_model)._meta.verbose_name_plural): len(found)
        for found_model, found in collector.model_objs.items()
    }
    for summarised, count in [*collector.counts.items(), *known_counts.items()]:
        if not count:
            continue
        plural = str(summarised._meta.verbose_name_plural)
        model_count[plural] = count
        to_delete.append(f"{capfirst(plural)}: {count}")
        # The user's permission, not the model admin's: the dataset ratings' admin is
        # read-only (rows the files own), yet they go with their film.
        opts = summarised._meta
        if not request.user.has_perm(f"{opts.app_label}.{get_permission_codename('delete', opts)}"):
            perms_needed.add(str(opts.verbose_name))
    return to_delete, model_count, perms_needed, [describe(obj) for obj in collector.protected]
