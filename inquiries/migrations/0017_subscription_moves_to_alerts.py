"""E-mail alerts become an app of their own (``inquiries.alerts``, label ``alerts``).

Only the migration state changes: the table ``inquiries_subscription`` and its rows stay
where they are and belong to ``alerts.Subscription`` from ``alerts.0001_initial`` on.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("inquiries", "0016_harvest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Subscription")],
        ),
    ]
