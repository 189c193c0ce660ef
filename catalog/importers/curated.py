"""What curators fixed in the admin, kept by every import.

A film, person or streaming title records the fields a curator changed (`curated_fields`, set
by catalog.services.movie_curated_fields_add and person_curated_fields_add);
an import writes the rest of the row from its file and keeps the stored value
of those fields, and leaves a curated relation (genres, keywords, credits…)
as the curator left it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db import models

# Values stored together: keeping one keeps the others, so the row stays consistent.
KEPT_TOGETHER = {
    "title": ["title", "title_search"],
    "original_title": ["original_title", "original_title_search"],
    "name": ["name", "name_search"],
    "release_date": ["release_date", "release_year"],
    "release_year": ["release_date", "release_year"],
    "budget": ["budget", "return_ratio"],
    "revenue": ["revenue", "return_ratio"],
    "return_ratio": ["return_ratio"],
    "collection": ["collection_id"],
    "duration_value": ["duration_value", "duration_unit"],
    "duration_unit": ["duration_value", "duration_unit"],
}

BATCH = 2000


def _kept_columns(curated: Iterable[str]) -> set[str]:
    return {column for name in curated for column in KEPT_TOGETHER.get(name, [name])}


def curated_keep(
    model: type[models.Model],
    key_field: str,
    rows: Mapping[Any, dict[str, Any]],
    *,
    scope: Mapping[str, Any] | None = None,
) -> dict[int, set[str]]:
    """Put back into `rows` the stored values of the fields curators changed; return those films' or people's fields.

    `rows` maps `key_field` values (within `scope`, e.g. a platform) to the
    values an import is about to write; rows of records not stored yet are left
    as they are. The answer maps each curated record's pk to its curated field
    names, for the relations the caller syncs.
    """
    keys = list(rows)
    fields = list(next(iter(rows.values()))) if rows else []
    curated: dict[int, set[str]] = {}
    for start in range(0, len(keys), BATCH):
        stored_rows = (
            model._default_manager.filter(**(scope or {}), **{f"{key_field}__in": keys[start : start + BATCH]})
            .exclude(curated_fields=[])
            .values("pk", key_field, "curated_fields", *fields)
        )
        for stored in stored_rows:
            names = set(stored["curated_fields"])
            curated[stored["pk"]] = names
            row = rows[stored[key_field]]
            for column in _kept_columns(names) & set(row):
                row[column] = stored[column]
    return curated


def curated_films(film_ids: Collection[int], relation: str) -> set[int]:
    """The films among `film_ids` whose `relation` (e.g. "credits", "keywords") a curator changed."""
    from catalog.models import Movie

    ids = list(film_ids)
    kept: set[int] = set()
    for start in range(0, len(ids), BATCH):
        for pk, names in (
            Movie.objects.filter(pk__in=ids[start : start + BATCH])
            .exclude(curated_fields=[])
            .values_list("pk", "curated_fields")
        ):
            if relation in names:
                kept.add(pk)
    return kept


def without_curated(desired: Mapping[int, Any], curated: Mapping[int, set[str]], relation: str) -> dict[int, Any]:
    """`desired` relation sets without those of the films whose `relation` a curator changed."""
    return {pk: value for pk, value in desired.items() if relation not in curated.get(pk, ())}
