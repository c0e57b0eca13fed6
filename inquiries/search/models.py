"""Storage of the search index: one row per inquiry with its searchable text.

Registered with the ``inquiries`` app from ``InquiriesConfig.ready()`` (the
domain models package is not the place for index storage). Created, with the
vendor's own structures, by migration ``0003_search_index``.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    """The searchable text of an inquiry as indexed (see ``inquiries.search.documents``).

    ``title``, ``questions`` and ``answers`` are the text shown in highlighted
    snippets. PostgreSQL keeps the weighted ``vector`` (GIN-indexed). SQLite's FTS5
    table ``inquiries_search_fts`` uses this table as its external content and
    indexes the analysed ``*_terms``, kept here so that triggers can remove an
    entry with exactly the terms it was added with. Rebuilding this table on
    SQLite drops those triggers: call ``sqlite.install()`` again after it.
    """

    inquiry = models.OneToOneField(
        "inquiries.Inquiry", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    questions = models.TextField(blank=True)
    answers = models.TextField(blank=True)
    title_terms = models.TextField(blank=True)
    questions_terms = models.TextField(blank=True)
    answers_terms = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    class Meta:
        app_label = "inquiries"
        verbose_name = "Suchindex-Eintrag"
        verbose_name_plural = "Suchindex"

    def __str__(self) -> str:
        return self.title


class SearchHit(models.Model):
    """SQLite only: the FTS5 table ``inquiries_search_fts`` as a relation of ``Inquiry``.

    A search joins it once (``WHERE inquiries_search_fts MATCH …``), so that FTS5 finds
    the matches and ranks them with ``bm25()`` in a single pass. The table belongs to
    the search backend (``sqlite.install``); Django never creates, changes or empties it.
    """

    inquiry = models.OneToOneField(
        "inquiries.Inquiry", on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid", related_name="search_hit"
    )
    # FTS5's columns, named so that a search can refer to the joined table.
    title = models.TextField()

    class Meta:
        app_label = "inquiries"
        managed = False
        db_table = "inquiries_search_fts"
        verbose_name = "Suchtreffer"
        verbose_name_plural = "Suchtreffer"


class SearchChange(models.Model):
    """The search engine's change log: one row per write of an inquiry.

    Written by ``services.changes.inquiries_changed`` (and on deletion) in the same transaction
    as the write itself, so a committed change is always logged and a rolled-back one
    never is. Every app server's index applies the rows it has not seen yet
    (``inquiries.search.engine``); the row says only *which* inquiry to read again,
    the database stays the source of what it now is. Old rows may be removed once
    every index has applied them (``manage.py rebuild_search_index --prune``).
    """

    id = models.BigAutoField(primary_key=True)
    # No foreign key: a deleted inquiry's row must outlive it, to take it out of the index.
    inquiry_id = models.BigIntegerField()

    class Meta:
        app_label = "inquiries"
        verbose_name = "Suchindex-Änderung"
        verbose_name_plural = "Suchindex-Änderungen"

    def __str__(self) -> str:
        return f"{self.pk}: {self.inquiry_id}"
