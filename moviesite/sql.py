"""Small helpers for the few statements written as SQL instead of querysets.

Names always come from the models (never from input), quoted for the
database in use; timestamps read by a plain cursor are made aware as the ORM
would make them.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone


def field_column(model_field: models.Field[Any, Any] | models.ForeignObjectRel) -> str:
    """The database column of a concrete field; reverse relations and virtual fields have none."""
    if not isinstance(model_field, models.Field) or model_field.column is None:
        raise TypeError(f"{model_field} is not a concrete field: it has no database column")
    return model_field.column


def quoted_column(model: type[models.Model], name: str) -> str:
    """A model field's column, quoted."""
    return connection.ops.quote_name(field_column(model._meta.get_field(name)))  # type: ignore[arg-type]


def quoted_table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def aware(value: Any) -> Any:
    """A value read by a plain cursor, with a naive timestamp made aware in UTC.

    SQLite returns timestamps naive (stored in UTC under USE_TZ), PostgreSQL
    aware; the ORM makes both aware, and so does this.
    """
    if settings.USE_TZ and isinstance(value, datetime) and timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value


@contextlib.contextmanager
def prepared_statements() -> Iterator[None]:
    """Within: the statements run are prepared by PostgreSQL after a few runs on a connection.

    For the fixed statements of every request (the ORM's or SQL's), with few
    parameters: they are bound on the server, which takes at most 65,535.
    Elsewhere (SQLite) nothing changes.
    """
    bind = getattr(connection, "server_side_binding", None)
    if bind is None:
        yield
        return
    with bind():
        yield


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class RowsBy:
    """Rows of a model matched on equal fields, with the row one foreign key points to, as the ORM builds them.

    `Model.objects.select_related(...).get(...)` compiles its SQL afresh every
    time: for a film with its collection (31 + 4 columns) that was 0.4 ms of
    a film page's 0.65 ms fetch on PostgreSQL, more than the round trip. Here
    the statement and each column's converters (the ones the ORM applies:
    dates and booleans on SQLite, for instance) are worked out once per
    process from the models; each call runs one prepared statement and builds
    the instances with `Model.from_db`, the related one set as
    `select_related` sets it (None when a nullable key is empty).

        MOVIE_WITH_COLLECTION = RowsBy(Movie, "pk", related="collection")
        movies = MOVIE_WITH_COLLECTION.fetch(42)

    The model may be given as a callable returning it, for models resolved at
    run time (knox's token model). `related_one` names a one-to-one relation
    that points at the related row (a user's profile): it is LEFT JOINed and
    cached on the related instance as `select_related("user__profile")` caches it.
    """

    def __init__(self, model: Any, *fields: str, related: str | None = None, related_one: str | None = None) -> None:
        if not fields:
            raise ValueError("RowsBy needs at least one field to match on")
        if related_one is not None and related is None:
            raise ValueError("related_one is a relation of the related row: name `related` too")
        self._model = model
        self._fields = fields
        self._related = related
        self._related_one = related_one

    def fetch(self, *values: Any) -> list[Any]:
        if len(values) != len(self._fields):
            raise TypeError(f"expected {len(self._fields)} values ({', '.join(self._fields)}), got {len(values)}")
        if any(isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX for value in values):
            return []  # no column holds it; the ORM answers "no row" too, where SQLite would overflow
        statement = self._statement()
        with prepared_statements(), connection.cursor() as cursor:
            cursor.execute(statement.sql, list(values))
            rows = cursor.fetchall()
        return [statement.build(row) for row in rows]

    def _statement(self) -> _RowsStatement:
        model = self._model if isinstance(self._model, type) else self._model()
        return _rows_statement(model, self._fields, self._related, self._related_one, connection.vendor)


class _ModelColumns:
    """One model's concrete fields as read by a SELECT under a table alias: attnames and converters."""

    def __init__(self, model: type[models.Model], alias: str) -> None:
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in fields]
        self.columns = [f"{alias}.{connection.ops.quote_name(field_column(field))}" for field in fields]
        self.converters = []
        for field in fields:
            column = field.get_col(alias)
            self.converters.append(
                (column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            )
        self.pk_index = self.attnames.index(model._meta.pk.attname)  # type: ignore[union-attr]

    def instance(self, values: tuple[Any, ...] | list[Any]) -> models.Model:
        converted = []
        for value, (column, converters) in zip(values, self.converters, strict=True):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


class _RowsStatement:
    def __init__(
        self, model: type[models.Model], fields: tuple[str, ...], related: str | None, related_one: str | None
    ) -> None:
        quote = connection.ops.quote_name
        self.own = _ModelColumns(model, "t")
        self.relation: models.ForeignKey[Any, Any] | None = None
        self.other: _ModelColumns | None = None
        self.one: models.OneToOneRel | None = None
        self.third: _ModelColumns | None = None
        columns = list(self.own.columns)
        join = ""
        if related is not None:
            relation = model._meta.get_field(related)
            if not isinstance(relation, models.ForeignKey):
                raise TypeError(f"{model.__name__}.{related} is not a foreign key")
            self.relation = relation
            self.other = _ModelColumns(relation.related_model, "r")  # type: ignore[arg-type]
            columns += self.other.columns
            kind = "LEFT JOIN" if relation.null else "JOIN"
            join = (
                f" {kind} {quote(relation.related_model._meta.db_table)} r "  # type: ignore[union-attr]
                f"ON r.{quote(field_column(relation.target_field))} = t.{quote(field_column(relation))}"
            )
            if related_one is not None:
                one = relation.related_model._meta.get_field(related_one)  # type: ignore[union-attr]
                if not isinstance(one, models.OneToOneRel):
                    raise TypeError(f"{related}.{related_one} is not a reverse one-to-one relation")
                self.one = one
                self.third = _ModelColumns(one.related_model, "o")  # type: ignore[arg-type]
                columns += self.third.columns
                join += (
                    f" LEFT JOIN {quote(one.related_model._meta.db_table)} o "  # type: ignore[union-attr]
                    f"ON o.{quote(field_column(one.field))} = r.{quote(field_column(one.field.target_field))}"
                )
        conditions = " AND ".join(f"t.{quote(field_column(_field(model, name)))} = %s" for name in fields)
        self.sql = f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t{join} WHERE {conditions}"  # noqa: S608 - names from the models

    def build(self, row: tuple[Any, ...]) -> models.Model:
        split = len(self.own.attnames)
        instance = self.own.instance(row[:split])
        if self.relation is not None and self.other is not None:
            end = split + len(self.other.attnames)
            values = row[split:end]
            other = None if values[self.other.pk_index] is None else self.other.instance(values)
            self.relation.set_cached_value(instance, other)
            if self.one is not None and self.third is not None and other is not None:
                values = row[end:]
                third = None if values[self.third.pk_index] is None else self.third.instance(values)
                self.one.set_cached_value(other, third)
                if third is not None:
                    self.one.field.set_cached_value(third, other)
        return instance


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


@functools.cache
def _rows_statement(
    model: type[models.Model], fields: tuple[str, ...], related: str | None, related_one: str | None, vendor: str
) -> _RowsStatement:
    """Built once per model, fields, relations and database vendor (the quoting and converters depend on it)."""
    return _RowsStatement(model, fields, related, related_one)
