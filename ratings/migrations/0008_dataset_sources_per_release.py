"""Sources of their own for MovieLens 1M, 10M and The Movies Dataset's ratings_small.csv.

Until now ratings_small.csv was imported under source 1 with ratings.csv,
though its users are numbered afresh (user 1 there is not user 1 of
ratings.csv). Where the import history shows that ratings_small.csv was the
only file that fed source 1, its rows move to source 5. Where ratings.csv fed
it too, the two files' rows cannot be told apart any more: they stay, and the
migration says so (re-import into an empty table to separate them).
"""

from pathlib import PurePosixPath

from django.db import migrations, models

MOVIELENS, MOVIELENS_SMALL = 1, 5
# ratings.models.dataset_rating_key: source * 2 ** (RATER_KEY_BITS + FILM_KEY_BITS) + ...
SOURCE_UNIT = 2 ** (31 + 28)


def _file_name(label: str) -> str:
    """ImportRun.files keep 'path' or 'zip:member'; the dataset file's name without .gz."""
    name = PurePosixPath(label.rsplit(":", 1)[-1]).name
    return name[:-3] if name.endswith(".gz") else name


def ratings_small_to_its_own_source(apps, schema_editor):
    ImportRun = apps.get_model("catalog", "ImportRun")
    DatasetRating = apps.get_model("ratings", "DatasetRating")
    fed_movielens = {
        _file_name(entry.get("path", ""))
        for files in ImportRun.objects.values_list("files", flat=True)
        for entry in files or []
        if entry.get("format") == "ratings" and entry.get("inserted", 0) > 0
    }
    if "ratings_small.csv" not in fed_movielens:
        return
    if fed_movielens != {"ratings_small.csv"}:
        print(
            "\n  ratings_small.csv and other ratings files were imported under one source; their rows stay mixed "
            "(delete the dataset ratings and import again to separate them)."
        )
        return
    DatasetRating.objects.filter(source=MOVIELENS).update(
        source=MOVIELENS_SMALL, id=models.F("id") + (MOVIELENS_SMALL - MOVIELENS) * SOURCE_UNIT
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0007_constraint_messages"),
        ("catalog", "0012_curator_rows_without_tmdb_id"),
    ]

    operations = [
        migrations.AlterField(
            model_name="datasetrating",
            name="source",
            field=models.SmallIntegerField(
                choices=[
                    (1, "MovieLens"),
                    (2, "MovieLens 100K"),
                    (3, "MovieLens 1M"),
                    (4, "MovieLens 10M"),
                    (5, "MovieLens (ratings_small.csv)"),
                ],
                verbose_name="source",
            ),
        ),
        migrations.RunPython(ratings_small_to_its_own_source, migrations.RunPython.noop),
    ]
