"""The search engine's index itself: only public inquiries, the change log, catch-up, rebuild."""

from __future__ import annotations

import tantivy
import pytest
from django.core.management import call_command

from inquiries import search
from inquiries.models import Inquiry
from inquiries.search import engine, text
from inquiries.search.query import parse_query
from inquiries.search.models import SearchChange
from inquiries.services import workflow
from tests.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def indexed_ids() -> set[int]:
    searcher, _schema, _index = engine.searcher()
    hits = searcher.search(tantivy.Query.all_query(), 1000).hits
    return set(searcher.fast_field_values("id", [address for _score, address in hits]))


def test_drafts_and_withdrawn_inquiries_are_never_in_the_index():
    published = InquiryFactory(title="Polizei öffentlich")
    draft = InquiryFactory(title="Polizei Entwurf", draft=True)
    withdrawn = InquiryFactory(title="Polizei zurückgezogen", withdrawn=True)
    assert indexed_ids() == {published.pk}
    # Withdrawing takes it out; publishing the draft puts that in; rebuilding keeps to this.
    workflow.withdraw(published, reason="Doppelt")
    workflow.publish(draft)
    assert indexed_ids() == {draft.pk}
    assert search.rebuild_index() == 1
    assert indexed_ids() == {draft.pk}
    assert withdrawn.pk not in indexed_ids()


def test_every_write_logs_the_inquiry_in_its_transaction():
    inquiry = InquiryFactory(title="Radwege")
    assert list(SearchChange.objects.values_list("inquiry_id", flat=True)) == [inquiry.pk]
    pk = inquiry.pk
    inquiry.delete()
    assert list(SearchChange.objects.values_list("inquiry_id", flat=True)) == [pk, pk]
    assert indexed_ids() == set()


def test_a_change_the_index_missed_is_applied_before_the_next_search():
    inquiry = InquiryFactory(title="Radwege im Land")
    assert search.search("Radweg", Inquiry.objects.published()).count() == 1
    # As after a crash between the commit and the index update: only the log knows.
    Inquiry.objects.filter(pk=inquiry.pk).update(title="Brücken im Land")
    SearchChange.objects.create(inquiry_id=inquiry.pk)
    engine.close()
    assert search.search("Brücke", Inquiry.objects.published()).count() == 1
    assert search.search("Radweg", Inquiry.objects.published()).count() == 0


def test_another_process_applied_changes_are_reloaded_not_repeated(monkeypatch):
    InquiryFactory(title="Radwege")
    search.refresh()
    InquiryFactory(title="Brücken")
    search.refresh()
    applied = engine.Applied.read(engine._current())
    assert applied.last == SearchChange.objects.latest("id").pk
    # Nothing new in the log: no writer is opened.
    monkeypatch.setattr(engine, "_write", lambda *args, **kwargs: pytest.fail("wrote again"))
    search.refresh()


def test_rebuild_swaps_in_a_new_directory(settings):
    InquiryFactory(title="Radwege")
    search.refresh()
    before = engine._current()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    after = engine._current()
    assert after != before and after.parent == before.parent
    assert search.search("Radweg", Inquiry.objects.published()).count() == 1


def test_an_index_of_another_schema_version_is_rebuilt(monkeypatch):
    InquiryFactory(title="Radwege")
    search.refresh()
    monkeypatch.setattr(engine, "SCHEMA_VERSION", engine.SCHEMA_VERSION + 1)
    engine.close()
    assert search.search("Radweg", Inquiry.objects.published()).count() == 1
    assert engine.Applied.read(engine._current()).schema == engine.SCHEMA_VERSION


def test_the_index_holds_no_stop_words_and_a_phrase_keeps_their_places():
    """Stop words are not indexed (no search asks for one), yet a phrase with one in it finds
    the texts with a word in its place, as it did when they were indexed, and no others."""
    with_der = InquiryFactory(title="Ausstattung der Feuerwehren")
    with_unserer = InquiryFactory(title="Zur Ausstattung unserer Feuerwehren")
    adjacent = InquiryFactory(title="Ausstattung Feuerwehren")
    searcher, _schema, _index = engine.searcher()
    assert searcher.doc_freq("title", "der") == searcher.doc_freq("title", "unser") == 0
    assert searcher.doc_freq("title", "ausstatt") == 3
    published = Inquiry.objects.published()
    assert set(search.search('"Ausstattung der Feuerwehren"', published)) == {with_der, with_unserer}
    assert set(search.search('"Ausstattung Feuerwehren"', published)) == {adjacent}
    assert set(search.search("Feuerwehr", published)) == {with_der, with_unserer, adjacent}


def test_every_word_the_index_drops_is_one_no_search_asks_for():
    dropping, keeping = engine.analyzer(), engine.analyzer(stop_words=False)
    for word in sorted(text.STOPWORDS):
        # (Upper case only where it lower-cases back: "daß" is "DASS", another word.)
        for printed in {word, word.capitalize(), word.upper() if word.upper().lower() == word else word}:
            assert dropping.analyze(printed) == [], printed
            assert keeping.analyze(printed), printed  # a phrase counts its place
            assert parse_query(printed).groups == (), printed
    assert dropping.analyze("Die Polizei") == keeping.analyze("Polizei") == ["polizei"]


def test_sort_keys_order_as_the_database_does():
    import datetime

    def row(pk, answered, number=1):
        return {"pk": pk, "answered_on": answered, "asked_on": None, "reference_number": number,
                "parliament_code": "BW", "term_number": 17, "answer_days": None}

    rows = [row(1, datetime.date(2024, 1, 2)), row(2, None), row(3, datetime.date(2024, 1, 2), 5), row(4, datetime.date(2023, 5, 1))]
    newest_first = sorted(rows, key=lambda r: engine.sort_keys(r)[engine.sort_field("-answered")])
    assert [r["pk"] for r in newest_first] == [3, 1, 4, 2]
    oldest_first = sorted(rows, key=lambda r: engine.sort_keys(r)[engine.sort_field("answered")])
    assert [r["pk"] for r in oldest_first] == [4, 1, 3, 2]


def test_two_servers_each_with_its_own_index(settings, tmp_path):
    """Two app servers, one database, an index directory each: a publish through one is
    found through the other, which learns of it from the change log alone."""
    first, second = tmp_path / "server-1", tmp_path / "server-2"
    draft = InquiryFactory(title="Radwege in Ulm", draft=True)

    def on(server):
        settings.SEARCH_INDEX_DIR = server
        engine.close()

    on(first)
    engine.create_empty()
    on(second)
    engine.create_empty()
    assert search.search("Radweg", Inquiry.objects.published()).count() == 0
    on(first)
    workflow.publish(draft)
    assert search.search("Radweg", Inquiry.objects.published()).count() == 1
    on(second)
    assert search.search("Radweg", Inquiry.objects.published()).count() == 1
    assert engine.Applied.read(engine._current()).last == SearchChange.objects.latest("id").pk


def test_an_index_ahead_of_the_database_is_rebuilt():
    """A new or restored database under an old index: the index has applied log rows the
    database does not have, and is built anew from the database instead of trusted."""
    InquiryFactory(title="Radwege")
    search.refresh()
    generation = engine._current()
    engine.Applied(last=SearchChange.objects.latest("id").pk + 100).write(generation)
    engine.close()
    assert search.search("Radweg", Inquiry.objects.published()).count() == 1
    assert engine._current() != generation


def _database_index_size() -> tuple[int, int]:
    """(search documents, entries of SQLite's FTS5 table or PostgreSQL's vectors)."""
    from django.db import connection

    from inquiries.search.models import SearchDocument

    documents = SearchDocument.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # The FTS5 table's own index: its rows as the 'docsize' shadow table counts them.
            cursor.execute("SELECT COUNT(*) FROM inquiries_search_fts_docsize")
        else:
            cursor.execute("SELECT COUNT(vector) FROM inquiries_searchdocument")
        return documents, cursor.fetchone()[0]


def test_the_engine_writes_nothing_to_the_database_index():
    InquiryFactory(title="Radwege in Ulm")
    workflow.publish(InquiryFactory(title="Brücken in Ulm", draft=True))
    assert _database_index_size() == (0, 0)
    assert search.search("Ulm", Inquiry.objects.published()).count() == 2


def test_rebuilding_the_engine_empties_a_database_index_left_from_the_database_backend(settings, capsys):
    first = InquiryFactory(title="Radwege in Ulm")
    InquiryFactory(title="Brücken in Ulm")
    settings.SEARCH_ENGINE = "database"
    search.rebuild_index()
    assert _database_index_size() == (2, 2)
    settings.SEARCH_ENGINE = "tantivy"
    call_command("rebuild_search_index")
    assert "Emptied the database's own search index (2 documents" in capsys.readouterr().out
    assert _database_index_size() == (0, 0)
    assert search.search("Ulm", Inquiry.objects.published()).count() == 2
    # The database backend works again once it is rebuilt, with triggers and all.
    settings.SEARCH_ENGINE = "database"
    call_command("rebuild_search_index")
    assert _database_index_size() == (2, 2)
    assert search.search("Ulm", Inquiry.objects.published()).count() == 2
    InquiryFactory(title="Tunnel in Ulm")  # written with the data again, FTS5 through its triggers
    assert _database_index_size() == (3, 3)
    workflow.withdraw(first, reason="Doppelt")
    assert search.search("Ulm", Inquiry.objects.published()).count() == 2
    assert search.search("Radweg", Inquiry.objects.published()).count() == 0


@pytest.mark.parametrize("wanted", [[], [1], [1, 2], list(range(1, 40))])
def test_a_filter_of_several_values_matches_and_scores_as_a_term_set(wanted):
    """A few values are a union of their postings (faster beside the words), more a term set;
    either way each match scores 1.0, so the ranking of the words is the same."""
    from inquiries.search import engine_search

    inquiries = [InquiryFactory(title=f"Polizei Nummer {number}") for number in range(3)]
    searcher, schema, _index = engine.searcher()
    terms = {inquiry.parliament_id for inquiry in inquiries}
    values = sorted(terms)[: len(wanted)] + [10_000 + number for number in wanted[len(terms):]]
    query = engine_search.one_of(schema, "parliament", values)
    hits = searcher.search(query, 100).hits
    found = set(searcher.fast_field_values("id", [address for _score, address in hits]))
    assert found == {inquiry.pk for inquiry in inquiries if inquiry.parliament_id in values}
    assert bool(found) == bool(values)
    if len(values) > 1:
        assert {score for score, _address in hits} == {1.0}
        as_set = searcher.search(tantivy.Query.term_set_query(schema, "parliament", values), 100).hits
        assert sorted(as_set) == sorted(hits)


@pytest.mark.parametrize(
    ("kinds", "wanted", "form"),
    [
        (["minor", "minor", "minor", "major"], ["minor"], "exclusion"),
        (["minor", "minor", "minor"], ["minor"], "every document"),
        (["minor", "minor", "major"], ["major"], "postings"),
        (["minor", "major", "written"], ["minor", "written"], "exclusion"),
        (["minor", "major"], ["minor", "major"], "every document"),
    ],
)
def test_a_filter_on_the_value_most_documents_have_excludes_the_others(kinds, wanted, form):
    """A kind most inquiries have is filtered as every inquiry but those of the other kinds,
    which matches exactly the same inquiries in the same order of relevance."""
    from inquiries.search import engine_search

    inquiries = [InquiryFactory(title=f"Polizei Nummer {number}", kind=kind) for number, kind in enumerate(kinds)]
    searcher, schema, _index = engine.searcher()
    clause = engine_search._field_filter(searcher, schema, "kind", wanted)
    described = repr(clause)
    assert {
        "exclusion": "MustNot" in described,
        "every document": "AllQuery" in described and "MustNot" not in described,
        "postings": "TermQuery" in described and "AllQuery" not in described,
    }[form], described
    words = engine_search.text_clauses(schema, parse_query("Polizei"))
    hits = searcher.search(tantivy.Query.boolean_query(words + [(tantivy.Occur.Must, clause)]), 100).hits
    found = set(searcher.fast_field_values("id", [address for _score, address in hits]))
    assert found == {inquiry.pk for inquiry in inquiries if inquiry.kind in wanted}
    # Beside the words each form adds the same to every match (an exclusion 1.0, as a filter of
    # several values; one value its term's score): the order of the matches is the same.
    as_postings = tantivy.Query.boolean_query(words + [(tantivy.Occur.Must, engine_search.one_of(schema, "kind", wanted))])
    scores = {(address.segment_ord, address.doc): score for score, address in hits}
    before = {(address.segment_ord, address.doc): score for score, address in searcher.search(as_postings, 100).hits}
    assert before.keys() == scores.keys()
    shifts = [scores[address] - before[address] for address in scores]
    assert max(shifts) - min(shifts) < 1e-5


def test_the_open_generation_is_found_by_its_link_and_a_new_generation_is_opened(monkeypatch):
    """A search finds the open index by the text of its ``current`` link without resolving the
    path again; a rebuild (a new generation, a new link) is opened at the next search."""
    InquiryFactory(title="Radwege")
    assert indexed_ids()
    opened = engine.catch_up()
    resolved = []
    original = engine._current
    monkeypatch.setattr(engine, "_current", lambda: resolved.append(1) or original())
    assert engine.catch_up() is opened and resolved == []
    generation = opened.generation
    monkeypatch.undo()
    search.rebuild_index()
    InquiryFactory(title="Brücken")
    assert len(indexed_ids()) == 2
    assert engine.catch_up().generation == engine._current() != generation


def _ranked_by_sorting_every_hit(searcher, query, bottom: int, top: int) -> list[tuple[int, float]]:
    """The page as ``ranked`` made it before it ordered only the runs of equal scores that
    reach into the page: every hit up to the page's end (and the margin) read and sorted."""
    from inquiries.search import engine_search

    hits = searcher.search(query, top + engine_search._TIE_MARGIN, count=True).hits
    addresses = [address for _score, address in hits]
    ids = searcher.fast_field_values("id", addresses)
    order = searcher.fast_field_values(engine.sort_field("-answered"), addresses)
    every = sorted(zip(ids, (score for score, _ in hits), order), key=lambda hit: (-hit[1], hit[2]))
    return [(pk, float(score)) for pk, score, _order in every[bottom:top]]


def test_a_page_of_a_ranked_search_is_that_of_every_hit_sorted_far_down_and_across_equal_scores():
    """``ranked`` orders equal scores by the answer's date (newest first) reading only the runs
    of equal scores that reach into the page: the same pages as sorting every hit above them."""
    import datetime

    from inquiries.search import engine_search

    for number in range(36):
        # Three lengths of title, so that scores repeat in runs; answers on many days.
        InquiryFactory(
            title="Brandschutz " + "in Schulen " * (number % 3),
            asked_on=datetime.date(2023, 12, 1),
            answered_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=(number * 7) % 29),
        )
    searcher, schema, index = engine.searcher()
    word = index.parse_query("Brandschutz", ["title"])
    for query in (word, tantivy.Query.all_query()):
        scores = [score for score, _ in searcher.search(query, 100).hits]
        assert len(scores) == 36 and len(set(scores)) < 36  # runs of equal scores
        for bottom in range(0, 40, 3):
            for size in (1, 2, 5, 25):
                page, count = engine_search.ranked(searcher, query, bottom, bottom + size, sort=None)
                assert page == _ranked_by_sorting_every_hit(searcher, query, bottom, bottom + size), (bottom, size)
                assert count == 36
