"""Existing SQLite databases get the inquiries' planner statistics read in full, as
``services.optimize_after_bulk_write`` gathers them from now on: the sample of 1,000 entries
per index it read before saw one state only (see there)."""

from django.db import migrations


def analyse_inquiries(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL samples rows at random: its statistics were right
    Inquiry = apps.get_model("inquiries", "Inquiry")
    # A new, empty database gathers them after its first import (as migration 0011).
    if not Inquiry.objects.using(schema_editor.connection.alias).exists():
        return
    schema_editor.execute("PRAGMA analysis_limit = 0")
    schema_editor.execute(f'ANALYZE "{Inquiry._meta.db_table}"')


class Migration(migrations.Migration):

    dependencies = [
        ("inquiries", "0021_asker_faction_person_index"),
    ]

    operations = [
        migrations.RunPython(analyse_inquiries, migrations.RunPython.noop, elidable=True),
    ]
