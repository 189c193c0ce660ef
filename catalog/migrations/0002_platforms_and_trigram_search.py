"""Seed the four streaming platforms; on PostgreSQL, trigram indexes for title search."""

from __future__ import annotations

from django.db import migrations

PLATFORMS = [
    ("amazon_prime", "Amazon Prime Video", "a"),
    ("disney_plus", "Disney+", "d"),
    ("hulu", "Hulu", "h"),
    ("netflix", "Netflix", "n"),
]


def seed_platforms(apps, schema_editor):
    Platform = apps.get_model("catalog", "Platform")
    for slug, name, code in PLATFORMS:
        Platform.objects.update_or_create(slug=slug, defaults={"name": name, "code": code})


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS movie_title_search_trgm ON catalog_movie USING gin (title_search gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_name_search_trgm ON catalog_person USING gin (name_search gin_trgm_ops)"
    )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS movie_title_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS person_name_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(seed_platforms, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
