"""Full-text search: the same tests run on SQLite (FTS5) and PostgreSQL (tsvector), each
with the search engine (tantivy, the default) and with the database's own full-text search."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from inquiries import search
from inquiries.models import Inquiry, InquiryState
from inquiries.search import parse_query, text
from inquiries.search.models import SearchDocument
from inquiries.services import changes
from inquiries.services.upsert import upsert_inquiry
from inquiries.services.workflow import withdraw
from tests.factories import InquiryFactory

MALFORMED = [
    "",
    "   ",
    '"',
    '"""',
    '"unbalanced quote',
    "-",
    "--",
    "- - -",
    "OR",
    "OR OR -",
    '-""',
    "()",
    "(Polizei",
    "*",
    "Polizei*",
    "^Polizei",
    "title:Polizei",
    "NEAR(Polizei Heilbronn)",
    "AND NOT",
    "Polizei & | ! <-> :*",
    "\x00",
    "Poli\x00zei",
    "\x00" * 50,
    "x" * 10_000,
    "Polizei " * 2_000,
    "'; DROP TABLE inquiries_inquiry; --",
    "1' OR '1'='1",
    "\") OR 1=1 --",
    "\ud800",
    "🚓 👮",
    "der die das",
]


@pytest.fixture(autouse=True)
def numbered_from_one():
    InquiryFactory.reset_sequence()


@pytest.fixture(autouse=True, params=["tantivy", "database"])
def engine(request, settings):
    """Every test of this module runs with both engines (set before anything is indexed)."""
    settings.SEARCH_ENGINE = request.param
    return request.param


@pytest.fixture
def seed(shared_dir) -> Inquiry:
    line = (shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0]
    inquiry, _ = upsert_inquiry(json.loads(line), state="published")
    return inquiry


def found(query: str, queryset=None) -> list[str]:
    queryset = Inquiry.objects.published() if queryset is None else queryset
    return list(search.search(query, queryset).order_by("-search_rank", "pk").values_list("reference", flat=True))


# --- parsing (no database) ------------------------------------------------------------


def test_parse_words_phrases_exclusions_and_or():
    parsed = parse_query('Polizei "Innovation Park" -Heilbronn Feuerwehr OR Rettungsdienst -"Artificial Intelligence"')
    assert [[term.words for term in group] for group in parsed.groups] == [
        [("Polizei",)],
        [("Innovation", "Park")],
        [("Feuerwehr",), ("Rettungsdienst",)],
    ]
    assert [term.words for term in parsed.excluded] == [("Heilbronn",), ("Artificial", "Intelligence")]


def test_parse_words_joined_by_punctuation_form_a_phrase():
    parsed = parse_query("Baden-Württemberg 17/6206")
    assert [group[0].words for group in parsed.groups] == [("Baden", "Württemberg"), ("17", "6206")]


def test_parse_unbalanced_quote_reads_to_the_end():
    parsed = parse_query('Polizei "Innovation Park')
    assert [group[0].words for group in parsed.groups] == [("Polizei",), ("Innovation", "Park")]


def test_parse_drops_stopwords_and_operators():
    assert parse_query("der die das").is_empty
    assert parse_query('- OR "" -"" ()').is_empty
    assert [group[0].words for group in parse_query("die Polizei und der Park").groups] == [("Polizei",), ("Park",)]


def test_parse_reads_control_characters_as_spaces():
    parsed = parse_query("Poli\x00zei\x07")
    assert [group[0].words for group in parsed.groups] == [("Poli",), ("zei",)]


def test_parse_bounds_long_input():
    parsed = parse_query(" ".join(f"wort{n}" for n in range(5_000)))
    assert 0 < len(parsed.groups) <= 24
    assert all(len(word) <= 60 for term in parsed.positive_terms for word in term.words)


@pytest.mark.parametrize("raw", MALFORMED)
def test_parse_never_raises(raw):
    parsed = parse_query(raw)
    assert isinstance(str(parsed), str)


def test_parse_accepts_non_strings():
    assert parse_query(None).is_empty
    assert [group[0].words for group in parse_query(1234).groups] == [("1234",)]


# --- matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Die Landesregierung (LReg) beantwortet: 1.–3. „Straßen“ in Baden-Württemberg?",
        "Wörter\u00a0mit\tTabs,\nZeilen\u2003und (Klammern)...",
        "__ 17/6206 – §§ 4a, 5b; IPAI@polizei.bwl.de",
        "",
    ],
)
def test_terms_are_one_analysed_term_per_word_in_order(raw):
    # The SQLite index relies on this: its highlights land on the original words.
    assert text.terms(raw).split() == [text.term(word) for word in text.words(raw)]
    assert text.terms("Landesregierung, Landesregierungen.").split() == ["landesregier", "landesregier"]


@pytest.mark.django_db
def test_stemming_finds_the_seed(seed):
    assert found("Kooperationen") == ["17/6206"]
    assert found("kooperation") == ["17/6206"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["Wuerttemberg", "Württemberg", "WÜRTTEMBERG", "Wurttemberg", '"Baden-Wuerttemberg"'],
)
def test_umlaut_folding(query):
    InquiryFactory(title="Straßenbau in Baden-Württemberg")
    InquiryFactory(title="Schulen in Niedersachsen")
    assert found(query) == ["17/1"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Strasse", "Straße", "STRASSE"])
def test_sharp_s_folding(query):
    InquiryFactory(title="Sanierung der Straße nach Heilbronn")
    InquiryFactory(title="Sanierung der Schiene nach Heilbronn")
    assert found(query) == ["17/1"]


@pytest.mark.django_db
def test_spelled_out_umlauts_in_the_text_are_found_with_umlauts():
    InquiryFactory(title="Polizei in Baden-Wuerttemberg")
    assert found("Württemberg") == ["17/1"]


@pytest.mark.django_db
def test_phrase(seed):
    InquiryFactory(title="Park und Innovation")
    assert found('"Innovation Park"') == ["17/6206"]
    assert sorted(found("Innovation Park")) == ["17/1", "17/6206"]
    assert found('"Park Innovation"') == []


@pytest.mark.django_db
def test_a_stop_word_in_a_phrase_holds_its_place(engine):
    """As PostgreSQL's german configuration reads a phrase ('ausstatt' <2> 'feuerwehr'):
    a stop word is no index term, so any one word may stand in its place, but no more, no
    fewer and no other order. (SQLite's FTS5, the database backend there, has no such
    gap: it matches the phrase word for word.)"""
    InquiryFactory(title="Ausstattung der Feuerwehren")
    InquiryFactory(title="Ausstattung die Feuerwehren")
    InquiryFactory(title="Ausstattung Feuerwehren")
    InquiryFactory(title="Ausstattung der alten Feuerwehren")
    InquiryFactory(title="Feuerwehren der Ausstattung")
    word_for_word = engine == "database" and connection.vendor == "sqlite"
    assert sorted(found('"Ausstattung der Feuerwehren"')) == (["17/1"] if word_for_word else ["17/1", "17/2"])
    assert sorted(found('"der Ausstattung"')) == (["17/5"] if word_for_word else ["17/1", "17/2", "17/3", "17/4", "17/5"])
    assert found('"Ausstattung Feuerwehren"') == ["17/3"]


@pytest.mark.django_db
def test_exclusion(seed):
    InquiryFactory(title="Polizei in Stuttgart")
    assert sorted(found("Polizei")) == ["17/1", "17/6206"]
    assert found("Polizei -Heilbronn") == ["17/1"]
    assert found('Polizei -"Innovation Park"') == ["17/1"]


@pytest.mark.django_db
def test_only_exclusions_keep_everything_else(seed):
    InquiryFactory(title="Schulen in Stuttgart")
    assert found("-Heilbronn") == ["17/1"]


@pytest.mark.django_db
def test_or(seed):
    InquiryFactory(title="Feuerwehr in Stuttgart")
    InquiryFactory(title="Rettungsdienst in Stuttgart")
    InquiryFactory(title="Schulen in Stuttgart")
    assert sorted(found("Feuerwehr OR Rettungsdienst")) == ["17/1", "17/2"]
    assert sorted(found("Stuttgart Feuerwehr OR Rettungsdienst")) == ["17/1", "17/2"]


@pytest.mark.django_db
def test_words_of_explanation_and_preface_are_searchable(seed):
    InquiryFactory(title="Erste Anfrage")
    Inquiry.objects.filter(reference="17/1").update(explanation="Zur Begründung: Mobilfunkmasten")
    search.update_index(Inquiry.objects.values_list("pk", flat=True))
    assert found("Mobilfunkmast") == ["17/1"]


@pytest.mark.django_db
def test_ranking_title_before_question_before_answer():
    InquiryFactory(title="Anfrage im Landtag", questions=[("Was gilt?", "Zum Zebrastreifen gilt dies.")])
    InquiryFactory(title="Anfrage im Landtag", questions=[("Wo ist der Zebrastreifen?", "Dort.")])
    InquiryFactory(title="Zebrastreifen im Land", questions=[("Was gilt?", "Das.")])
    InquiryFactory(title="Anfrage ohne Treffer")
    assert found("Zebrastreifen") == ["17/3", "17/2", "17/1"]
    ranks = list(search.search("Zebrastreifen", Inquiry.objects.all()).order_by("-search_rank").values_list("search_rank", flat=True))
    assert ranks[0] > ranks[1] > ranks[2] > 0


@pytest.mark.django_db
def test_search_stays_within_the_given_queryset(seed):
    InquiryFactory(title="Polizei in Stuttgart")
    assert found("Polizei", Inquiry.objects.filter(reference="17/1")) == ["17/1"]


@pytest.mark.django_db
@pytest.mark.parametrize("raw", MALFORMED)
def test_malformed_queries_never_raise(seed, raw):
    results = found(raw)
    assert isinstance(results, list)
    assert search.highlights(raw, Inquiry.objects.all()) is not None


@pytest.mark.django_db
def test_empty_query_keeps_the_queryset(seed):
    InquiryFactory(title="Schulen")
    assert sorted(found("- OR")) == ["17/1", "17/6206"]


# --- visibility and index upkeep -------------------------------------------------------


@pytest.mark.django_db
def test_drafts_and_withdrawn_inquiries_are_not_found(seed):
    InquiryFactory(title="Polizei Entwurf", state=InquiryState.DRAFT)
    withdrawn = InquiryFactory(title="Polizei zurückgezogen")
    withdraw(withdrawn, reason="Doppelt eingereicht")
    assert found("Polizei") == ["17/6206"]
    assert found("Entwurf") == []
    assert found("zurückgezogen") == []


@pytest.mark.django_db
def test_upsert_reindexes(seed, shared_dir):
    record = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record["title"] = "Zusammenarbeit mit dem Zoologischen Garten"
    record["questions"] = record["questions"][:1]
    upsert_inquiry(record)
    assert found("Zoologisch") == ["17/6206"]
    assert found("Kooperationen") == []


@pytest.mark.django_db
def test_deleted_inquiries_leave_the_index(engine):
    inquiry = InquiryFactory(title="Polizei in Stuttgart")
    pk = inquiry.pk
    assert found("Polizei") == [inquiry.reference]
    inquiry.delete()
    search.update_index([pk])
    if engine == "database":
        assert not SearchDocument.objects.filter(pk=pk).exists()
    InquiryFactory(title="Polizei in Ulm")
    assert found("Polizei") == [Inquiry.objects.get().reference]


@pytest.mark.django_db
def test_index_structures_and_settings():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Set by migrations 0003 (new databases) and 0009 (existing ones).
            cursor.execute("SELECT v FROM inquiries_search_fts_config WHERE k = 'automerge'")
            assert cursor.fetchone()[0] == 8
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_vector_gin'")
            assert "USING gin (vector)" in cursor.fetchone()[0]


@pytest.mark.django_db
def test_rebuild_index_indexes_everything(seed):
    InquiryFactory(title="Brücken im Land", indexed=False)
    assert found("Brücken") == []
    assert search.rebuild_index() == 2
    assert found("Brücke") == ["17/1"]


# --- highlights ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_highlight_marks_the_title():
    inquiry = InquiryFactory(title="Kooperationen der Polizei <b>Stuttgart</b>")
    highlight = search.highlights("Kooperation", [inquiry])[inquiry.pk]
    assert highlight.title == "<mark>Kooperationen</mark> der Polizei &lt;b&gt;Stuttgart&lt;/b&gt;"
    assert highlight.excerpt is None


@pytest.mark.django_db
def test_highlight_excerpt_from_question_before_answer(seed):
    highlight = search.highlights("Kooperationen", [seed])[seed.pk]
    assert highlight.title is None
    assert highlight.field == "question"
    assert "<mark>Kooperation</mark>" in highlight.excerpt


@pytest.mark.django_db
def test_highlight_excerpt_from_answer_escapes_html():
    inquiry = InquiryFactory(title="Anfrage", questions=[("Was gilt?", "Der Zebrastreifen <script>alert(1)</script> bleibt.")])
    highlight = search.highlights('"Zebrastreifen"', [inquiry.pk])[inquiry.pk]
    assert highlight.field == "answer"
    assert "<mark>Zebrastreifen</mark>" in highlight.excerpt
    # SQLite escapes the tag, PostgreSQL's headline leaves tags out; neither passes it on.
    assert "<script" not in highlight.excerpt
    assert "alert(1)" in highlight.excerpt


@pytest.mark.django_db
def test_highlights_take_one_query_for_a_page(django_assert_num_queries, seed, settings):
    settings.AGGREGATE_CACHE_SECONDS = 0
    inquiries = [InquiryFactory(title=f"Polizei Revier {n}") for n in range(12)]
    search.refresh()  # the engine takes in the new inquiries first (a no-op for the database)
    with django_assert_num_queries(1):
        highlights = search.highlights("Polizei", inquiries + [seed])
    assert len(highlights) == 13
    assert all(highlight.title or highlight.excerpt for highlight in highlights.values())


@pytest.mark.django_db
def test_highlights_are_kept_per_query_and_data_version(django_assert_num_queries, seed, settings):
    settings.AGGREGATE_CACHE_SECONDS = 300
    inquiries = [InquiryFactory(title=f"Polizei Revier {n}") for n in range(3)]
    search.refresh()
    # The data version, the highlights (the engine: its look at the change log).
    with django_assert_num_queries(2):
        first = search.highlights("Polizei", inquiries)
    # Only the inquiry not seen yet is marked up; the others come from the cache.
    with django_assert_num_queries(2):
        second = search.highlights("Polizei", [*inquiries, seed])
    assert {pk: first[pk] for pk in first} == {pk: second[pk] for pk in first} and len(second) == 4
    with django_assert_num_queries(1):
        assert search.highlights("Polizei", inquiries) == first
    # Another query, or the same after a change, is marked up anew.
    with django_assert_num_queries(2):
        assert "<mark>Revier</mark>" in search.highlights("Revier", inquiries[:1])[inquiries[0].pk].title
    Inquiry.objects.filter(pk=inquiries[0].pk).update(title="Neue Polizei im Revier")
    changes.inquiries_changed([inquiries[0].pk])
    assert "Neue <mark>Polizei</mark>" in str(search.highlights("Polizei", inquiries[:1])[inquiries[0].pk].title)


@pytest.mark.django_db
def test_no_highlights_without_search_words(seed, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search.highlights("-Polizei", [seed]) == {}
