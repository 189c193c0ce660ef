"""Small helpers for the few statements written as SQL instead of querysets.

Names always come from the models (never from input), quoted for the
database in use; timestamps read by a plain cursor are made aware as the ORM
would make them.
"""

from __future__ import annotations

import contextlib
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
