"""Sources of their own for ml-20m, ml-25m, ml-32m and today's ml-latest-small.

Until now the ratings.csv of those releases was imported under source 1 with
The Movies Dataset's, though each release numbered its users afresh. Where
the import history shows that the files which fed source 1 all came from one
such release's directory, its rows move to that release's source. Where
other ratings files fed it too, the rows cannot be told apart any more: they
stay, and the migration says so.
"""

from pathlib import PurePosixPath

from django.db import migrations, models

MOVIELENS = 1
RELEASE_SOURCES = {"ml-20m": 6, "ml-25m": 7, "ml-32m": 8, "ml-latest-small": 9}
# ratings.models.dataset_rating_key: source * 2 ** (RATER_KEY_BITS + FILM_KEY_BITS) + ...
SOURCE_UNIT = 2 ** (31 + 28)


def _fed_by(label: str) -> int | str:
    """The source a file recorded as 'path' or 'zip:member' belongs to, by its name and directory."""
    path = PurePosixPath(label.rsplit(":", 1)[-1])
    if path.name in ("ratings_small.csv", "ratings_small.csv.gz"):
        return "ratings_small.csv"
    return RELEASE_SOURCES.get(path.parent.name.lower(), MOVIELENS)


def numbered_releases_to_their_own_source(apps, schema_editor):
    ImportRun = apps.get_model("catalog", "ImportRun")
    DatasetRating = apps.get_model("ratings", "DatasetRating")
    fed_movielens = {
        _fed_by(entry.get("path", ""))
        for files in ImportRun.objects.values_list("files", flat=True)
        for entry in files or []
        if entry.get("format") == "ratings" and entry.get("inserted", 0) > 0
    }
    releases = fed_movielens & set(RELEASE_SOURCES.values())
    if not releases:
        return
    if len(fed_movielens) > 1:
        print(
            "\n  ratings.csv files of different MovieLens releases were imported under one source; their rows stay "
            "mixed (delete the dataset ratings and import again to separate them)."
        )
        return
    (source,) = releases
    DatasetRating.objects.filter(source=MOVIELENS).update(
        source=source, id=models.F("id") + (source - MOVIELENS) * SOURCE_UNIT
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0009_rating_recent"),
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
                    (6, "MovieLens 20M"),
                    (7, "MovieLens 25M"),
                    (8, "MovieLens 32M"),
                    (9, "MovieLens latest-small"),
                ],
                verbose_name="source",
            ),
        ),
        migrations.RunPython(numbered_releases_to_their_own_source, migrations.RunPython.noop),
    ]
