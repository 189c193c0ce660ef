"""The original title's search key, filled for the films already stored; a trigram index on PostgreSQL."""

from __future__ import annotations

import re
import unicodedata

from django.db import migrations, models

BATCH = 2000
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")


def _search_key(value: str) -> str:
    # catalog.text.normalize_title as of this migration, copied so later changes cannot alter it.
    text = unicodedata.normalize("NFKD", (value or "").translate(_INVISIBLE).strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _SPACES.sub(" ", text).strip()[:500]


def fill_original_title_search(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    films = Movie.objects.exclude(original_title="").order_by("pk").values_list("pk", "original_title")
    last_pk = 0
    while True:
        batch = list(films.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        Movie.objects.bulk_update(
            [Movie(pk=pk, original_title_search=_search_key(title)) for pk, title in batch],
            ["original_title_search"],
        )
        last_pk = batch[-1][0]


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS movie_original_title_search_trgm "
        "ON catalog_movie USING gin (original_title_search gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS movie_original_title_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_curator_rows_without_tmdb_id")]

    operations = [
        migrations.AddField(
            model_name="movie",
            name="original_title_search",
            field=models.CharField(
                blank=True,
                db_index=True,
                default="",
                editable=False,
                max_length=500,
                verbose_name="original title search",
            ),
        ),
        migrations.RunPython(fill_original_title_search, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
