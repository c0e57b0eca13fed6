"""Settings of the search index for existing databases (new ones get them in 0003)."""

from django.db import migrations


def configure_backend(apps, schema_editor):
    from inquiries import search

    search.backend(schema_editor.connection).configure(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("inquiries", "0008_inquiry_tombstones"),
    ]

    operations = [
        migrations.RunPython(configure_backend, migrations.RunPython.noop, elidable=True),
    ]
