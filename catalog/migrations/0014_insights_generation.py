"""The insights refresh's generations (catalog.models.InsightsGeneration): its one row, made here."""

from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("catalog", "InsightsGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0013_original_title_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="InsightsGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested", models.PositiveBigIntegerField(default=0)),
                ("computed", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
