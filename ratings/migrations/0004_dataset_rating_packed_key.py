"""A dataset rating's primary key becomes its (source, rater, film), packed into one bigint.

The existing rows get their packed key (one UPDATE of the whole table: minutes
at tens of millions of rows), the unique (source, rater, film) constraint goes
(the primary key now is it), and a check keeps key and columns in step. New
keys are at least 2**59 while the old ones count from 1, so no row's new key
can meet another row's old one during the UPDATE.
"""

import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models

PACK_KEYS = (
    "UPDATE ratings_datasetrating SET id = CAST(source AS bigint) * 576460752303423488 "
    "+ CAST(rater_id AS bigint) * 268435456 + CAST(movie_id AS bigint)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_movielens_links_and_dry_runs"),
        ("ratings", "0003_dataset_rating_movie_not_indexed"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="datasetrating",
            name="dataset_rating_unique",
        ),
        migrations.AlterField(
            model_name="datasetrating",
            name="id",
            field=models.BigIntegerField(editable=False, primary_key=True, serialize=False),
        ),
        migrations.RunSQL(PACK_KEYS, reverse_sql=migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="datasetrating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "id",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.functions.comparison.Cast("source", models.BigIntegerField()),
                                    "*",
                                    models.Value(576460752303423488),
                                ),
                                "+",
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.functions.comparison.Cast("rater_id", models.BigIntegerField()),
                                    "*",
                                    models.Value(268435456),
                                ),
                            ),
                            "+",
                            django.db.models.functions.comparison.Cast("movie_id", models.BigIntegerField()),
                        ),
                    ),
                    ("source__lte", 15),
                    ("movie_id__gte", 0),
                    ("movie_id__lte", 268435455),
                ),
                name="dataset_rating_key",
            ),
        ),
    ]
