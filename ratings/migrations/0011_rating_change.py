"""RatingChange: the films rated since their figures were last refreshed, so beat recounts only those."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0010_dataset_sources_numbered_releases"),
    ]

    operations = [
        migrations.CreateModel(
            name="RatingChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("movie_id", models.BigIntegerField(verbose_name="film id")),
            ],
            options={
                "verbose_name": "rating change",
                "verbose_name_plural": "rating changes",
            },
        ),
    ]
