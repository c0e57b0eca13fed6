"""Indexes in exactly the order of the public list and of the feeds.

A page of the list ("newest answer first": filters.Sort "-answered") and of a feed
("newest publication first": selectors.inquiry_feed) is then read off the index
instead of sorting every published inquiry. Made per database: PostgreSQL sorts
NULLs first in a descending index unless told otherwise, and SQLite, which sorts
them last there anyway, refuses NULLS LAST in an index.
"""

from django.db import migrations

INDEXES = {
    "inquiry_state_newest_idx": "state, answered_on DESC{nulls_last}, reference_number DESC, id DESC",
    "inquiry_state_published_idx": "state, published_at DESC{nulls_last}, id DESC",
}


def create(apps, schema_editor):
    nulls_last = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON inquiries_inquiry ({columns.format(nulls_last=nulls_last)})")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("inquiries", "0011_planner_statistics"),
    ]

    operations = [
        # Its prefix (state, answered_on) is part of the new index.
        migrations.RemoveIndex(model_name="inquiry", name="inquiry_state_answered_idx"),
        migrations.RunPython(create, drop),
    ]
