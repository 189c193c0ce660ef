"""Idempotent bulk writes: rows keyed by an external id, and many-to-many sets.

Both compare what is stored with what the file says and write only the
difference, so a second run of the same file writes nothing and reports every
row as unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models

BATCH = 2000


@dataclass
class UpsertResult:
    # External key → primary key, for every row written or found.
    pks: dict[Any, int] = field(default_factory=dict)
    inserted: set[Any] = field(default_factory=set)
    updated: set[Any] = field(default_factory=set)

    def status(self, key: Any) -> str:
        if key in self.inserted:
            return "inserted"
        if key in self.updated:
            return "updated"
        return "unchanged"


def _chunks(items: list[Any], size: int = BATCH) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_by_key(
    model: type[models.Model],
    key_field: str,
    rows: Mapping[Any, dict[str, Any]],
    *,
    compare: Iterable[str] | None = None,
    scope: Mapping[str, Any] | None = None,
) -> UpsertResult:
    """Insert rows whose key is new, update rows whose values differ, leave the rest.

    `rows` maps the key value to the field values to store (without the key).
    `compare` limits which fields count as a change (default: all given).
    `scope` narrows the key to a parent (e.g. the platform of a show id).
    """
    scope = dict(scope or {})
    result = UpsertResult()
    if not rows:
        return result
    sample = next(iter(rows.values()))
    fields = list(sample)
    compared = list(compare) if compare is not None else fields
    existing: dict[Any, dict[str, Any]] = {}
    for keys in _chunks(list(rows)):
        for stored in model.objects.filter(**scope, **{f"{key_field}__in": keys}).values("pk", key_field, *fields):
            existing[stored[key_field]] = stored
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    for key, values in rows.items():
        stored = existing.get(key)
        if stored is None:
            to_create.append(model(**scope, **{key_field: key}, **values))
            result.inserted.add(key)
            continue
        result.pks[key] = stored["pk"]
        if any(stored[name] != values[name] for name in compared):
            to_update.append(model(pk=stored["pk"], **{key_field: key}, **values))
            result.updated.add(key)
    for batch in _chunks(to_create):
        model.objects.bulk_create(batch, batch_size=BATCH)
    if to_create:
        # bulk_create returns pks on PostgreSQL and SQLite; read them back to be backend-agnostic.
        created_keys = [getattr(obj, key_field) for obj in to_create]
        for keys in _chunks(created_keys):
            for pk, key in model.objects.filter(**scope, **{f"{key_field}__in": keys}).values_list("pk", key_field):
                result.pks[key] = pk
    for batch in _chunks(to_update):
        model.objects.bulk_update(batch, fields, batch_size=BATCH)
    return result


def sync_many_to_many(
    through: type[models.Model],
    owner_field: str,
    target_field: str,
    desired: Mapping[int, set[int]],
    *,
    within: Mapping[str, Any] | None = None,
) -> set[int]:
    """Make each owner's related set exactly `desired[owner]`; return the owners that changed.

    `within` limits which existing links the file owns (e.g. TMDB keywords but
    not the ones MovieLens tags added): links outside it are left alone.
    """
    changed: set[int] = set()
    if not desired:
        return changed
    owner_column, target_column = f"{owner_field}_id", f"{target_field}_id"
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for owners in _chunks(list(desired)):
        for pk, owner, target in through.objects.filter(
            **(within or {}), **{f"{owner_column}__in": owners}
        ).values_list("pk", owner_column, target_column):
            current[owner][target] = pk
    to_add: list[models.Model] = []
    to_delete: list[int] = []
    for owner, targets in desired.items():
        stored = current.get(owner, {})
        missing = targets - stored.keys()
        extra = stored.keys() - targets
        if missing or extra:
            changed.add(owner)
        to_add.extend(through(**{owner_column: owner, target_column: target}) for target in sorted(missing))
        to_delete.extend(stored[target] for target in extra)
    for pks in _chunks(to_delete):
        through.objects.filter(pk__in=pks).delete()
    for batch in _chunks(to_add):
        through.objects.bulk_create(batch, batch_size=BATCH)
    return changed
