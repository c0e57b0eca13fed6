"""Search index: a row per inquiry, plus the vendor's own structures.

PostgreSQL: a GIN index on the stored tsvector. SQLite: an FTS5 table over the
rows, kept in sync by triggers. Existing inquiries are indexed at once.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def install_backend(apps, schema_editor):
    from inquiries import search

    search.backend(schema_editor.connection).install(schema_editor)


def uninstall_backend(apps, schema_editor):
    from inquiries import search

    search.backend(schema_editor.connection).uninstall(schema_editor)


def index_existing(apps, schema_editor):
    from inquiries import search

    search.rebuild_index(
        using=schema_editor.connection,
        inquiry_model=apps.get_model("inquiries", "Inquiry"),
        question_model=apps.get_model("inquiries", "Question"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('inquiries', '0002_oparl_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('inquiry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='inquiries.inquiry')),
                ('title', models.TextField()),
                ('questions', models.TextField(blank=True)),
                ('answers', models.TextField(blank=True)),
                ('title_terms', models.TextField(blank=True)),
                ('questions_terms', models.TextField(blank=True)),
                ('answers_terms', models.TextField(blank=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                'verbose_name': 'Suchindex-Eintrag',
                'verbose_name_plural': 'Suchindex',
            },
        ),
        migrations.RunPython(install_backend, uninstall_backend, elidable=False),
        migrations.RunPython(index_existing, migrations.RunPython.noop, elidable=True),
    ]
