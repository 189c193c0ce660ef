"""One account per email address, whatever its case (blank emails exempt)."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

INDEX_NAME = "accounts_user_email_ci_unique"


def create_index(apps, schema_editor):
    table = schema_editor.quote_name(apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table)
    schema_editor.execute(f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX_NAME} ON {table} (LOWER(email)) WHERE email <> ''")


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        # After auth's last migration: on SQLite an ALTER of auth_user rebuilds the table and
        # would silently drop this index.
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
