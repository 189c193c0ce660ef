"""The dataset-rating key's check decodes the key instead of encoding the columns.

Equivalent for every row (ratings.models.dataset_rating_key_matches) and
cheaper per row; source and rater_id lose their own ">= 0" checks, which the
new one implies. Adding it checks the existing rows once (one scan).
"""

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_movielens_links_and_dry_runs"),
        ("ratings", "0004_dataset_rating_packed_key"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="datasetrating",
            name="dataset_rating_key",
        ),
        migrations.AlterField(
            model_name="datasetrating",
            name="rater_id",
            field=models.IntegerField(),
        ),
        migrations.AlterField(
            model_name="datasetrating",
            name="source",
            field=models.SmallIntegerField(choices=[(1, "MovieLens"), (2, "MovieLens 100K")]),
        ),
        migrations.AddConstraint(
            model_name="datasetrating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("id__gte", 0),
                    ("source", django.db.models.expressions.CombinedExpression(models.F("id"), ">>", models.Value(59))),
                    (
                        "rater_id",
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(models.F("id"), ">>", models.Value(28)),
                            "&",
                            models.Value(2147483647),
                        ),
                    ),
                    (
                        "movie_id",
                        django.db.models.expressions.CombinedExpression(models.F("id"), "&", models.Value(268435455)),
                    ),
                ),
                name="dataset_rating_key",
            ),
        ),
    ]
