"""Every rating, newest change first: the admin's ratings list reads its page from this index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0008_dataset_sources_per_release"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(fields=["-updated_at", "-id"], name="rating_recent"),
        ),
    ]
