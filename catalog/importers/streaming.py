"""Streaming catalogs (Kaggle 2021): amazon_prime / disney_plus / hulu / netflix _titles.csv.

The platform comes from the file name (or --platform); show ids restart at s1
in every file, so a title is keyed by (platform, show_id). Durations found in
the rating column (some Netflix and Hulu rows) are moved to the duration.
Matching titles to films happens after the whole run (services.streaming_titles_match).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from catalog.importers.base import FileCounts, ImportContext, Source
from catalog.importers.columns import HeaderColumns, header_records
from catalog.importers.curated import curated_keep
from catalog.importers.parsing import (
    EARLIEST_RELEASE_YEAR,
    LATEST_RELEASE_YEAR,
    BadValue,
    looks_like_duration,
    parse_duration,
    parse_int,
    parse_long_date,
    refuse_undecodable,
)
from catalog.importers.upsert import upsert_by_key
from catalog.models import Platform, StreamingTitle
from catalog.text import clean_text, title_key

COLUMNS = [
    "show_id",
    "type",
    "title",
    "director",
    "cast",
    "country",
    "date_added",
    "release_year",
    "rating",
    "duration",
    "listed_in",
    "description",
]
REPLACED = "replaced by a later row of the same show_id"
KINDS = {"Movie": StreamingTitle.Kind.MOVIE, "TV Show": StreamingTitle.Kind.TV_SHOW}


class UnknownPlatformError(ValueError):
    pass


def platform_for(source: Source, platform: str | None) -> Platform:
    slug = platform or source.name.removesuffix(".csv").removesuffix("_titles")
    found = Platform.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(Platform.objects.order_by("slug").values_list("slug", flat=True))
        raise UnknownPlatformError(f"{source.label}: unknown platform {slug!r}; pass --platform (one of {known})")
    return found


def parse_streaming_row(fields: list[str]) -> tuple[str, dict[str, Any]]:
    """One record, its fields in COLUMNS' order → (show id, values), or BadValue("field: reason")."""
    refuse_undecodable(COLUMNS, fields)
    row = {name: clean_text(value) for name, value in zip(COLUMNS, fields, strict=True)}
    show_id = row["show_id"]
    if not show_id or len(show_id) > 20:
        raise BadValue("show_id: empty or longer than 20 characters")
    kind = KINDS.get(row["type"])
    if kind is None:
        raise BadValue("type: not 'Movie' or 'TV Show'")
    if not row["title"]:
        raise BadValue("title: empty")
    age_rating, duration_text = row["rating"], row["duration"]
    if looks_like_duration(age_rating) and not duration_text:
        age_rating, duration_text = "", age_rating
    if len(age_rating) > 20:
        raise BadValue("rating: longer than 20 characters (shifted columns?)")
    try:
        date_added = parse_long_date(row["date_added"])
    except BadValue as error:
        raise BadValue(f"date_added: {error}") from None
    try:
        release_year = parse_int(row["release_year"], minimum=EARLIEST_RELEASE_YEAR, maximum=LATEST_RELEASE_YEAR)
    except BadValue as error:
        raise BadValue(f"release_year: {error}") from None
    try:
        duration = parse_duration(duration_text)
    except BadValue as error:
        raise BadValue(f"duration: {error}") from None
    title = row["title"][:500]
    return show_id, {
        "kind": str(kind),
        "title": title,
        "title_search": title_key(title)[:500],
        "director": row["director"],
        "cast": row["cast"],
        "country": row["country"],
        "date_added": date_added,
        "release_year": release_year,
        "age_rating": age_rating,
        "duration_value": duration[0] if duration else None,
        "duration_unit": duration[1] if duration else "",
        "listed_in": row["listed_in"],
        "description": row["description"],
    }


@transaction.atomic
def import_streaming(
    source: Source, counts: FileCounts, context: ImportContext, *, platform: str | None = None
) -> None:
    target = platform_for(source, platform)
    columns = HeaderColumns.of(source, COLUMNS)
    rows: dict[str, dict[str, Any]] = {}
    lines: dict[str, list[int]] = {}
    replaced: list[tuple[int, str, dict[str, Any]]] = []  # (line, show id, values) of earlier rows
    for line, fields in header_records(source, columns, counts, context):
        try:
            show_id, values = parse_streaming_row(fields)
        except BadValue as error:
            field_name, _, reason = str(error).partition(": ")
            value = fields[COLUMNS.index(field_name)] if field_name in COLUMNS else ",".join(fields)
            context.reject(counts, line, field_name, value, reason)
            continue
        if show_id in rows:
            counts.duplicates_merged += 1
            replaced.append((lines[show_id][-1], show_id, rows[show_id]))
        rows[show_id] = values
        lines.setdefault(show_id, []).append(line)
    # A later row of a show id replaces the earlier ones whole: report those it differs from.
    for line, show_id, values in replaced:
        if values != rows[show_id]:
            reason = f"{REPLACED}, line {lines[show_id][-1]}"
            context.leave_out(counts, line, "show_id", show_id, reason, summary=f"show_id: {REPLACED}")
    curated_keep(StreamingTitle, "show_id", rows, scope={"platform_id": target.pk})
    result = upsert_by_key(StreamingTitle, "show_id", rows, scope={"platform_id": target.pk})
    for show_id, line_numbers in lines.items():
        counts.unchanged += len(line_numbers) - 1
        status = result.status(show_id)
        setattr(counts, status, getattr(counts, status) + 1)
