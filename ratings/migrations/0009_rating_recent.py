"""Every rating, newest change first: the admin's ratings list reads its page from this index.

Built with CREATE INDEX CONCURRENTLY on PostgreSQL, so site users keep rating
while it is built on a large ratings table (a plain CREATE INDEX blocks every
rating write until it is done). The schema is the same as the plain AddIndex
this migration first held: a database that applied it has nothing to redo.
"""

from django.db import migrations, models

from moviesite.postgresql.operations import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("ratings", "0008_dataset_sources_per_release"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="rating",
            index=models.Index(fields=["-updated_at", "-id"], name="rating_recent"),
        ),
    ]
