"""The alerts take over their model from the inquiries app, table and rows included.

``Subscription`` was created by ``inquiries.0007_alerts`` as ``inquiries_subscription``;
here it only enters the ``alerts`` app's state (``SeparateDatabaseAndState``: no table is
created, copied or dropped), and its content type moves along so that permissions
granted on it stay granted. ``inquiries.0017_subscription_moves_to_alerts`` removes it
from the inquiries app's state, likewise without touching the table.
"""

import django.db.models.functions.text
import inquiries.alerts.models
from django.db import migrations, models


def _move(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="subscription").exists():
        ContentType.objects.filter(app_label=old, model="subscription").update(app_label=new)


def move_content_type(apps, schema_editor) -> None:
    _move(apps, "inquiries", "alerts")


def move_content_type_back(apps, schema_editor) -> None:
    _move(apps, "alerts", "inquiries")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("inquiries", "0017_subscription_moves_to_alerts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Subscription',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(max_length=254, verbose_name='E-Mail-Adresse')),
                        ('query', models.CharField(blank=True, max_length=2000, verbose_name='gefolgte Suche')),
                        ('frequency', models.CharField(choices=[('daily', 'täglich'), ('weekly', 'wöchentlich')], default='weekly', max_length=10, verbose_name='Häufigkeit')),
                        ('language', models.CharField(default='de', max_length=10, verbose_name='Sprache')),
                        ('token', models.CharField(default=inquiries.alerts.models.new_token, editable=False, max_length=64, verbose_name='Schlüssel')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='angefordert')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='bestätigt')),
                        ('sent_until', models.DateTimeField(blank=True, null=True, verbose_name='versandt bis')),
                        ('last_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='letzte Zusammenfassung')),
                    ],
                    options={
                        'verbose_name': 'E-Mail-Benachrichtigung',
                        'verbose_name_plural': 'E-Mail-Benachrichtigungen',
                        'db_table': 'inquiries_subscription',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(condition=models.Q(('confirmed_at__isnull', False)), fields=['frequency', 'last_sent_at'], name='alert_due_idx'), models.Index(condition=models.Q(('confirmed_at__isnull', True)), fields=['created_at'], name='alert_unconfirmed_idx')],
                        'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('query'), name='alert_subscription_unique_address_query'), models.UniqueConstraint(fields=('token',), name='alert_subscription_unique_token'), models.CheckConstraint(condition=models.Q(('frequency__in', ['daily', 'weekly'])), name='alert_subscription_frequency_valid'), models.CheckConstraint(condition=models.Q(('confirmed_at__isnull', True), ('sent_until__isnull', False), _connector='OR'), name='alert_subscription_confirmed_has_watermark')],
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=True),
    ]
