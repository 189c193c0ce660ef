"""Keep each film's dataset ratings (count and sum) apart from its figures.

The figures (ratings_count, ratings_average) then take in site ratings often,
without reading every dataset rating again. The parts are filled here from
the dataset ratings already stored; one aggregate over them, which on the
full 26M ratings takes as long as an import's refresh (tens of seconds).
"""

from django.db import migrations, models


def fill_dataset_parts(apps, schema_editor):
    Movie = apps.get_model("catalog", "Movie")
    DatasetRating = apps.get_model("ratings", "DatasetRating")
    quote = schema_editor.connection.ops.quote_name
    movie, ratings = quote(Movie._meta.db_table), quote(DatasetRating._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {movie} SET dataset_ratings_count = agg.n, dataset_ratings_total = agg.total
            FROM (SELECT movie_id, COUNT(*) AS n, SUM(score) AS total FROM {ratings} GROUP BY movie_id) AS agg
            WHERE {movie}.id = agg.movie_id
            """  # noqa: S608 - table names from the models
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0004_verbose_names"),
        ("ratings", "0006_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="movie",
            name="dataset_ratings_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="dataset ratings"),
        ),
        migrations.AddField(
            model_name="movie",
            name="dataset_ratings_total",
            field=models.FloatField(default=0, editable=False, verbose_name="sum of the dataset ratings"),
        ),
        migrations.RunPython(fill_dataset_parts, migrations.RunPython.noop),
    ]
