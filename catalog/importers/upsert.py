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

from django.db import connection, models
from django.utils import timezone

from moviesite.sql import field_column, quoted_column, quoted_table

BATCH = 2000


def _column_defaults(model: type[models.Model], given: list[str]) -> dict[str, Any]:
    """Database values for the columns a raw insert does not provide (defaults, auto_now)."""
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.attname in given or model_field.name in given:
            continue
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
            value: Any = now
        else:
            value = model_field.get_default()
        defaults[field_column(model_field)] = model_field.get_db_prep_save(value, connection)
    return defaults


def bulk_insert(model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain rows fast: COPY on PostgreSQL, executemany elsewhere; no model instances.

    `fields` are attribute names (`movie_id`, `title`); values must already be
    database-ready (str, int, float, bool, date, None).
    """
    if not rows:
        return
    meta = model._meta
    columns = [field_column(meta.get_field(name)) for name in fields]
    defaults = _column_defaults(model, fields)
    all_columns = columns + list(defaults)
    extra = tuple(defaults.values())
    table = connection.ops.quote_name(meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(column) for column in all_columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + extra)
        else:
            placeholders = ", ".join(["%s"] * len(all_columns))
            sql = f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})"  # noqa: S608 - names from the model
            for batch in _chunks(rows, 5000):
                cursor.executemany(sql, [row + extra for row in batch])


def bulk_update_rows(model: type[models.Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE ... WHERE pk = %s for each row; a row is (*values of fields, pk)."""
    if not rows:
        return
    meta = model._meta
    assignments = ", ".join(f"{quoted_column(model, name)} = %s" for name in fields)
    updated_at = [f for f in meta.concrete_fields if getattr(f, "auto_now", False) and f.attname not in fields]
    extra: tuple[Any, ...] = ()
    if updated_at:
        assignments += "".join(f", {quoted_column(model, f.name)} = %s" for f in updated_at)
        extra = tuple(f.get_db_prep_save(timezone.now(), connection) for f in updated_at)
    sql = f"UPDATE {quoted_table(model)} SET {assignments} WHERE {quoted_column(model, meta.pk.name)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in _chunks(rows, 5000):
            cursor.executemany(sql, [row[:-1] + extra + row[-1:] for row in batch])


def max_length(model: type[models.Model], field_name: str) -> int:
    """The size of a model's text column: what a value must be cut to before it is written."""
    model_field = model._meta.get_field(field_name)
    assert isinstance(model_field, models.Field) and model_field.max_length is not None
    return model_field.max_length


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
        for found in model._default_manager.filter(**scope, **{f"{key_field}__in": keys}).values(
            "pk", key_field, *fields
        ):
            existing[found[key_field]] = found
    scope_fields = list(scope)
    to_create: list[tuple[Any, ...]] = []
    to_update: list[tuple[Any, ...]] = []
    for key, values in rows.items():
        stored = existing.get(key)
        if stored is None:
            to_create.append((*scope.values(), key, *(values[name] for name in fields)))
            result.inserted.add(key)
            continue
        result.pks[key] = stored["pk"]
        if any(stored[name] != values[name] for name in compared):
            to_update.append((*(values[name] for name in fields), stored["pk"]))
            result.updated.add(key)
    bulk_insert(model, [*scope_fields, key_field, *fields], to_create)
    if to_create:
        created_keys = [row[len(scope_fields)] for row in to_create]
        for keys in _chunks(created_keys):
            for pk, key in model._default_manager.filter(**scope, **{f"{key_field}__in": keys}).values_list(
                "pk", key_field
            ):
                result.pks[key] = pk
    bulk_update_rows(model, fields, to_update)
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
        for pk, owner, target in through._default_manager.filter(
            **(within or {}), **{f"{owner_column}__in": owners}
        ).values_list("pk", owner_column, target_column):
            current[owner][target] = pk
    to_add: list[tuple[int, int]] = []
    to_delete: list[int] = []
    for owner, targets in desired.items():
        stored = current.get(owner, {})
        missing = targets - stored.keys()
        extra = stored.keys() - targets
        if missing or extra:
            changed.add(owner)
        to_add.extend((owner, target) for target in sorted(missing))
        to_delete.extend(stored[target] for target in extra)
    for pks in _chunks(to_delete):
        through._default_manager.filter(pk__in=pks).delete()
    bulk_insert(through, [owner_column, target_column], to_add)
    return changed


def drop_indexes(table: str, *, primary_key: bool, foreign_keys: bool) -> list[str]:
    """PostgreSQL, inside the caller's transaction: drop a table's indexes; return the SQL re-creating them.

    For first loads: building an index once after the rows are in costs a
    fraction of keeping it current row by row, and one validating query per
    foreign key costs a fraction of a deferred trigger per row. Unique
    constraints and unique indexes are dropped too (the re-creation fails,
    and rolls everything back, if the load broke them); the primary key only
    with `primary_key` and when no foreign key references it. Check
    constraints stay. Re-run the statements in order: keys and indexes first,
    then the foreign keys that may rely on them.
    """
    quote = connection.ops.quote_name
    kinds = ["u", "p"] if primary_key else ["u"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname, pg_get_constraintdef(c.oid), c.contype FROM pg_constraint c
            WHERE c.conrelid = %s::regclass AND (c.contype = ANY(%s) OR (c.contype = 'f' AND %s))
              AND NOT (c.contype = 'p' AND EXISTS (
                  SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = c.conrelid))
            ORDER BY c.contype = 'f', c.conname
            """,
            [table, kinds, foreign_keys],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype <> 'f')
            ORDER BY 1
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    add = [f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}" for name, definition, _ in constraints]
    keys = [statement for statement, (_, _, kind) in zip(add, constraints, strict=True) if kind != "f"]
    references = [statement for statement, (_, _, kind) in zip(add, constraints, strict=True) if kind == "f"]
    return keys + [definition for _, definition in indexes] + references
