"""Thirteen single-column indexes of foreign keys dropped: a unique constraint or an index
leading with the same column serves every lookup by it (tests/test_schema_indexes.py), and an
import wrote four of them for every question, asker, consulted ministry and inquiry.

Dropped by name rather than by ``AlterField`` alone, which on SQLite copies each table anew
(millions of questions) to drop an index."""

import django.db.models.deletion
from django.db import migrations, models

# (table, column, the index's name as Django made it) on every database.
INDEXES = [
    ("inquiries_answertable", "question_id", "inquiries_answertable_question_id_1b2d4d4a"),
    ("inquiries_asker", "inquiry_id", "inquiries_asker_inquiry_id_90f58135"),
    ("inquiries_asker", "person_id", "inquiries_asker_person_id_f84ca008"),
    ("inquiries_faction", "parliament_id", "inquiries_faction_parliament_id_0679090b"),
    ("inquiries_inquiry", "answering_ministry_id", "inquiries_inquiry_answering_ministry_id_a8761937"),
    ("inquiries_inquiry", "parliament_id", "inquiries_inquiry_parliament_id_9587df7c"),
    ("inquiries_inquiry", "term_id", "inquiries_inquiry_term_id_6753e9b8"),
    ("inquiries_inquiryministry", "inquiry_id", "inquiries_inquiryministry_inquiry_id_3252775c"),
    ("inquiries_membership", "person_id", "inquiries_membership_person_id_bc8bf831"),
    ("inquiries_ministerialoffice", "person_id", "inquiries_ministerialoffice_person_id_235fe6aa"),
    ("inquiries_ministry", "parliament_id", "inquiries_ministry_parliament_id_a2e72a7d"),
    ("inquiries_question", "inquiry_id", "inquiries_question_inquiry_id_fcf7d070"),
    ("inquiries_term", "parliament_id", "inquiries_term_parliament_id_f492a1ca"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("inquiries", "0018_answer_tables"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
                for table, column, name in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='answertable',
                    name='question',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tables', to='inquiries.question', verbose_name='Frage'),
                ),
                migrations.AlterField(
                    model_name='asker',
                    name='inquiry',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='asker_links', to='inquiries.inquiry', verbose_name='Anfrage'),
                ),
                migrations.AlterField(
                    model_name='asker',
                    name='person',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='asker_links', to='inquiries.person', verbose_name='Person'),
                ),
                migrations.AlterField(
                    model_name='faction',
                    name='parliament',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='factions', to='inquiries.parliament', verbose_name='Parlament'),
                ),
                migrations.AlterField(
                    model_name='inquiry',
                    name='answering_ministry',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='answered_inquiries', to='inquiries.ministry', verbose_name='antwortendes Ministerium'),
                ),
                migrations.AlterField(
                    model_name='inquiry',
                    name='parliament',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='inquiries', to='inquiries.parliament', verbose_name='Parlament'),
                ),
                migrations.AlterField(
                    model_name='inquiry',
                    name='term',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='inquiries', to='inquiries.term', verbose_name='Wahlperiode'),
                ),
                migrations.AlterField(
                    model_name='inquiryministry',
                    name='inquiry',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='ministry_links', to='inquiries.inquiry', verbose_name='Anfrage'),
                ),
                migrations.AlterField(
                    model_name='membership',
                    name='person',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='inquiries.person', verbose_name='Person'),
                ),
                migrations.AlterField(
                    model_name='ministerialoffice',
                    name='person',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='offices', to='inquiries.person', verbose_name='Person'),
                ),
                migrations.AlterField(
                    model_name='ministry',
                    name='parliament',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='ministries', to='inquiries.parliament', verbose_name='Parlament'),
                ),
                migrations.AlterField(
                    model_name='question',
                    name='inquiry',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='questions', to='inquiries.inquiry', verbose_name='Anfrage'),
                ),
                migrations.AlterField(
                    model_name='term',
                    name='parliament',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='terms', to='inquiries.parliament', verbose_name='Parlament'),
                ),
            ],
        ),
    ]
