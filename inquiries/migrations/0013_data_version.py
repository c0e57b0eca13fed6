"""The data version that cached aggregates key on (inquiries.versions), with its one row."""

import secrets

from django.db import migrations, models


def create_row(apps, schema_editor):
    apps.get_model("inquiries", "DataVersion").objects.create(pk=1, token=secrets.token_hex(16))


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0012_list_order_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='DataVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32, verbose_name='Stand der Daten')),
            ],
            options={
                'verbose_name': 'Datenstand',
                'verbose_name_plural': 'Datenstände',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='data_version_single_row')],
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
