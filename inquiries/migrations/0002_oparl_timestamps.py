"""Creation and modification times on the reference data, for OParl's created/modified.

Existing rows get the time of the migration (the schema editor fills auto_now fields
with the current time): nothing better is known about them.
"""

from django.db import migrations, models

MODELS = ["parliament", "term", "faction", "person", "membership", "ministry", "ministerialoffice"]


def _timestamp_fields(model_name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name,
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="angelegt"),
        ),
        migrations.AddField(
            model_name=model_name,
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="geändert"),
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_initial"),
    ]

    operations = [operation for model_name in MODELS for operation in _timestamp_fields(model_name)]
