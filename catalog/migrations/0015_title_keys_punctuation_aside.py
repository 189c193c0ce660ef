"""The stored title keys recomputed with catalog.text.title_key: punctuation, "&" and apostrophes aside.

"Spider-Man: Far From Home" on a platform and "Spider-Man Far from Home" in
TMDB now share a key, so streaming matches and searches find each other.
Reversible: going back writes the keys as normalize_title wrote them.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import migrations

BATCH = 2000
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc\u0060\u00b4"), None)


# catalog.text.normalize_title and title_key as of this migration, copied so later changes cannot alter them.
def _normalized(value: str) -> str:
    text = unicodedata.normalize("NFKD", (value or "").translate(_INVISIBLE).strip())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _SPACES.sub(" ", text).strip()


def _punctuation_aside(value: str) -> str:
    text = _normalized((value or "").translate(_INVISIBLE).strip().translate(_APOSTROPHES).replace("&", " and "))
    return " ".join("".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text).split())


def _rewrite(apps, model_name: str, fields: dict[str, str], key) -> None:
    """Each `fields` key column (search column -> its text column) recomputed with `key`, BATCH rows at a time."""
    model = apps.get_model("catalog", model_name)
    rows = model.objects.order_by("pk").values_list("pk", *fields.values())
    last_pk = 0
    while True:
        batch = list(rows.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        model.objects.bulk_update(
            [
                model(pk=pk, **{search: key(text)[:500] for search, text in zip(fields, texts, strict=True)})
                for pk, *texts in batch
            ],
            list(fields),
        )
        last_pk = batch[-1][0]


def _rewrite_all(apps, key) -> None:
    _rewrite(apps, "Movie", {"title_search": "title", "original_title_search": "original_title"}, key)
    _rewrite(apps, "StreamingTitle", {"title_search": "title"}, key)


def punctuation_aside(apps, schema_editor):
    _rewrite_all(apps, _punctuation_aside)


def punctuation_kept(apps, schema_editor):
    _rewrite_all(apps, _normalized)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0014_insights_generation")]

    operations = [migrations.RunPython(punctuation_aside, punctuation_kept, elidable=True)]
