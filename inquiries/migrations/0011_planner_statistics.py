"""Existing databases get what ``services.optimize_after_bulk_write`` gives after an import.

SQLite needs planner statistics to read a search's matches from the FTS5 index once,
joined to the inquiries, instead of probing the index once per inquiry; PostgreSQL's
GIN index must not keep a long pending list.
"""

from django.db import migrations


def optimize(apps, schema_editor):
    # Not for a new, empty database: statistics of empty tables mislead SQLite's planner
    # while the first import fills them (it got three times slower); that import
    # gathers them itself when it is done.
    if not apps.get_model("inquiries", "Inquiry").objects.using(schema_editor.connection.alias).exists():
        return
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SELECT gin_clean_pending_list('search_document_vector_gin'::regclass)")
    schema_editor.execute("ANALYZE")


class Migration(migrations.Migration):

    dependencies = [
        ("inquiries", "0010_search_hit"),
    ]

    operations = [
        migrations.RunPython(optimize, migrations.RunPython.noop, elidable=True),
    ]
