"""What every write path calls after it changed inquiries: the derived data's one hook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from django.db import connection

if TYPE_CHECKING:
    from inquiries.search.documents import SearchText


def inquiries_changed(inquiry_ids: Iterable[int], *, search_texts: Sequence[SearchText] = ()) -> None:
    """Bring everything derived from inquiries up to date after they were written.

    Every write path (upsert, bulk loaders, admin, publishing) calls this with the
    ids it changed, so that derived data such as the search index has one hook.
    A bulk writer passes the ``search_texts`` it built, which saves reading them back.
    """
    from inquiries import search, versions

    search.update_index(list(inquiry_ids), known=search_texts)
    # Cached pages, counts and results key on the version: they are all new from the commit on.
    versions.advance()


def optimize_after_bulk_write() -> None:
    """Prepare the database for fast reads after many inquiries were written at once.

    * Statistics for the query planner. Without them SQLite takes ``state =
      'published'`` for selective and probes the FTS5 index once per inquiry instead
      of reading the matches once (at 10,000 inquiries, 75 ms instead of 0.1 ms for
      a word in none of them).
    * PostgreSQL: the GIN index's pending list merged into the index. A bulk import
      leaves its new entries there, and every search scans that list linearly until
      autovacuum comes by (2.8 ms instead of 0.06 ms for such a word, and the planner
      falls back to reading every row's tsvector).
    """
    from inquiries.models import Inquiry

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A sample per index is enough for most plans and keeps this to milliseconds ...
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
            # ... but not for the inquiries: several of their indexes lead with the state, and a
            # sample of an index's first entries sees one state only, so that ``state =
            # 'published'`` looked like a thousand rows of a million, and the sitemap's newest
            # change and the API's sync pages read every published row instead of walking the
            # ``updated_at`` index (0.3–1.5 s at 1,000,000 inquiries). Read in full: 1.4 s there.
            cursor.execute("PRAGMA analysis_limit = 0")
            cursor.execute(f'ANALYZE "{Inquiry._meta.db_table}"')
        else:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", ["search_document_vector_gin"])
            # Every table: the small ones (parliaments, terms …) steer the join order too.
            cursor.execute("ANALYZE")


