"""The search page's excerpts (``inquiries/search/snippets.py``): the fragment tantivy's own
``SnippetGenerator`` would choose and mark, found without analysing whole texts.

Each test compares with tantivy itself: the generator on the same index (``_tantivy_fragment``), or
the search page's highlights made once by the chooser and once with every text left to tantivy."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import tantivy

from inquiries import search
from inquiries.search import engine, engine_search, snippets
from tests import snippet_support
from tests.factories import InquiryFactory

SHARED = Path(__file__).parent / "fixtures" / "shared"
# Unicode's White_Space (what Rust's ``str::trim``, and so ``snippet_from_doc``, removes).
RUST_WHITESPACE = [0x9, 0xA, 0xB, 0xC, 0xD, 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]


# --- the pieces ---------------------------------------------------------------------------


def test_word_characters_are_those_of_tantivys_tokenizer():
    tokenizer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple()).build()
    codes = [code for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]
    tokens = tokenizer.analyze(" ".join(map(chr, codes)))
    tantivys = {ord(token) for token in tokens}
    assert all(len(token) == 1 for token in tokens)
    ours = {code for code in codes if snippets.is_word_char.__wrapped__(chr(code))}
    assert ours == tantivys
    assert len(ours) > 100_000


def test_whitespace_tantivy_trims_is_whitespace_to_python():
    assert all(chr(code).isspace() for code in RUST_WHITESPACE)


def test_a_terms_weight_is_tantivys_f32():
    assert snippets.term_weight(0) == 1.0
    assert snippets.term_weight(2) == snippets.f32(1 / 3) != 1 / 3
    assert snippets.f32(0.1 + snippets.f32(0.2)) == snippets.f32(snippets.f32(0.1) + snippets.f32(0.2))


@pytest.mark.parametrize(
    "word",
    ["Polizei", "Polizeien", "Wuerttemberg", "Württemberg", "Aerzte", "Ärzte", "Quellen", "Straße", "Strasse", "Kenntnisse", "Oeffentlichkeit", "2024", "Zoe"],
)
def test_a_candidate_pattern_finds_every_spelling_of_a_term(word):
    term = engine_search._analysed_token(word.lower().encode())
    pattern = snippets.candidates_pattern([term])
    lowered = ("(" + word + ") und andere").encode().lower()
    if word[0].isascii():
        assert pattern.search(lowered).group(1).decode() == word.lower()
    else:
        # A word that starts with a non-ASCII letter is a candidate for every term.
        chooser = snippets.Chooser({term: 0.5}, 180, engine_search._known_words, engine_search._analysed_token)
        assert chooser.best(f"„{word}“ und andere").highlighted


def test_the_stemmer_keeps_an_ascii_first_letter_of_every_word_of_the_shared_documents():
    words = set()
    for path in SHARED.rglob("*.txt"):
        words.update(token for token in engine_search.text.WORD.findall(path.read_text(encoding="utf-8")) if token[0].isascii())
    assert len(words) > 2000
    for word in words:
        term = engine_search._analysed_token(word.lower().encode())
        assert term[0] == word[0].lower(), word
        assert snippets.candidates_pattern([term]).fullmatch(word.lower().encode()), word


# --- against tantivy on an index --------------------------------------------------------------


def _index(documents: list[tuple[str, str, str]]) -> tuple[tantivy.Searcher, tantivy.Schema]:
    schema = engine.build_schema()
    index = tantivy.Index(schema)
    # tantivy's generator cuts fragments over the tokens of the field's analyser; the chooser
    # over every word, as the analyser that keeps stop words does (``engine.analyzer``).
    index.register_tokenizer(engine.ANALYZER, engine.analyzer(stop_words=False))
    writer = index.writer(15_000_000, 1)
    for number, (title, questions, answers) in enumerate(documents):
        document = tantivy.Document()
        document.add_unsigned("id", number)
        for field, value in (("title", title), ("questions", questions), ("answers", answers)):
            document.add_text(field, value)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index.searcher(), schema


def _compare(searcher: tantivy.Searcher, schema: tantivy.Schema, queries: list[str]) -> tuple[int, int, int, list]:
    """(fragments compared, of them with marks, texts left to tantivy, differences) over every
    document of the index, each field's texts chosen all at once (the first five alone too)."""
    addresses = [address for _score, address in searcher.search(tantivy.Query.all_query(), searcher.num_docs).hits]
    documents = [searcher.doc(address) for address in addresses]
    comparison = snippet_support.Comparison()
    for text in queries:
        snippet_support.compare(searcher, schema, text, documents, comparison, singly=5)
    return comparison.compared, comparison.marked, comparison.handed, comparison.differences


VOCABULARY = (
    "Polizei Polizeien Polizisten polizeilich Personalausstattung der die das und in im Landesregierung Zukunft "
    "Württemberg Wuerttemberg Wurttemberg Straße Strasse Strassenbau Maßnahmen Massnahmen Ärzte Aerzte Öffentlichkeit "
    "Oeffentlichkeit über ueber Quelle Quellen Kenntnisse Kenntnis Feuerwehr Feuerwehren Ausstattung Schule Schulen "
    "Baden 2024 17/6206 § 3 Abs. 2 € 1.000,50 Ministerium für Inneres Café résumé Élysée naïve Œuvre ﬁnanzen "
    "Москва полиция Αθήνα πόλη 北京 警察 हिन्दी पुलिस नमस्ते العربية شرطة 🚓 👮‍♀️ e_mail user_name x²"
).split()
PUNCTUATION = [" ", " ", " ", " ", ", ", ". ", "\n\n", " „", "“ ", " – ", "…", " (", ") ", "/", "-", "? "]


def _generated_texts(seed: int, count: int) -> list[tuple[str, str, str]]:
    chance = random.Random(seed)

    def text(words: int) -> str:
        parts = []
        for _ in range(words):
            word = chance.choice(VOCABULARY)
            if chance.random() < 0.01:
                word = word * chance.randint(20, 60)  # one token longer than a fragment
            parts += [word, chance.choice(PUNCTUATION)]
        return "".join(parts).strip()

    documents = []
    for number in range(count):
        questions = text(chance.choice([0, 1, 5, 30, 120, 400]))
        if number % 17 == 0:
            questions = " " + questions + "\n"  # whitespace at the ends: left to tantivy
        documents.append((text(chance.randint(1, 12)), questions, text(chance.choice([0, 10, 200]))))
    return documents


QUERIES = [
    "Polizei",
    "Polizeien",
    "Zukunft",
    "Polizei Zukunft",
    "Polizei Landesregierung Württemberg",
    '"Ausstattung der Feuerwehren"',
    '"Personalausstattung der Polizei"',
    "Wuerttemberg",
    "Strasse",
    "Maßnahmen",
    "Aerzte",
    "Öffentlichkeit",
    "ueber",
    "Quelle",
    "Kenntnisse",
    "Schule -Polizei",
    "Feuerwehr OR Schule",
    "2024",
    "Café",
    "resume",
    "Elysee",
    "naive",
    "Oeuvre",
    "Finanzen",
    "полиция",
    "πόλη",
    "警察",
    "पुलिस",
    "शरطة",
    "mail",
    "e_mail",
]


def test_the_chosen_fragments_are_tantivys_on_generated_texts():
    searcher, schema = _index(_generated_texts(seed=13, count=240))
    compared, marked, handed, differences = _compare(searcher, schema, QUERIES)
    assert differences == []
    assert marked > 1500 and handed > 0 and compared > 5000


def test_the_chosen_fragments_are_tantivys_on_the_shared_real_documents():
    documents = []
    for path in sorted(SHARED.rglob("*.txt")):
        whole = path.read_text(encoding="utf-8")
        paragraphs = [part.strip() for part in whole.split("\n\n") if part.strip()]
        for at in range(0, len(paragraphs), 6):
            documents.append((paragraphs[at][:300], "\n\n".join(paragraphs[at + 1 : at + 4]), "\n\n".join(paragraphs[at + 4 : at + 6])))
    searcher, schema = _index(documents)
    vocabulary = sorted({word for title, questions, answers in documents for word in engine_search.text.WORD.findall(questions)})
    queries = vocabulary[::23] + [f"{a} {b}" for a, b in zip(vocabulary[5::97], vocabulary[50::89])] + QUERIES[:12]
    compared, marked, handed, differences = _compare(searcher, schema, queries)
    assert differences == []
    assert marked > 500


# --- what a search page shows -----------------------------------------------------------------

FILLER = "Die Landesregierung wird gebeten, über den Stand der Dinge im Land zu berichten. "


def _both_ways(monkeypatch, query: str, inquiries: list) -> tuple[dict, dict]:
    """The page's highlights by the chooser and, the same, with every text left to tantivy."""
    search.refresh()
    ours = search.highlights(query, inquiries)
    with monkeypatch.context() as patched:
        patched.setattr(snippets.Chooser, "best", lambda self, text: None)
        theirs = search.highlights(query, inquiries)
    return ours, theirs


@pytest.fixture
def no_highlight_cache(settings):
    settings.AGGREGATE_CACHE_SECONDS = 0
    settings.SEARCH_ENGINE = "tantivy"


@pytest.mark.django_db
def test_excerpts_of_a_word_at_the_start_in_the_middle_and_at_the_end_of_a_long_text(monkeypatch, no_highlight_cache):
    start = InquiryFactory(title="Anfrage A", questions=[("Polizeireviere " + FILLER * 20, "")])
    middle = InquiryFactory(title="Anfrage B", questions=[(FILLER * 10 + "Polizeireviere " + FILLER * 10, "")])
    end = InquiryFactory(title="Anfrage C", questions=[(FILLER * 20 + "Polizeireviere?", "")])
    ours, theirs = _both_ways(monkeypatch, "Polizeirevier", [start, middle, end])
    assert ours == theirs
    assert ours[start.pk].excerpt.startswith("<mark>Polizeireviere</mark>") and ours[start.pk].excerpt.endswith("…")
    assert ours[middle.pk].excerpt.startswith("…") and ours[middle.pk].excerpt.endswith("…")
    assert ours[end.pk].excerpt.startswith("…") and ours[end.pk].excerpt.endswith("<mark>Polizeireviere</mark>…")
    assert all(len(highlight.excerpt) < 200 for highlight in ours.values())


@pytest.mark.django_db
def test_the_excerpt_with_the_rarer_of_several_words_wins(monkeypatch, no_highlight_cache):
    common = [InquiryFactory(title=f"Schulen {n}", questions=[("Schulen im Land", "")]) for n in range(5)]
    text = "Schulen und Schulen. " + FILLER * 5 + "Die Kita Sonnenschein. " + FILLER * 5 + "Schulen, Schulen, Schulen."
    inquiry = InquiryFactory(title="Anfrage", questions=[(text, "")])
    ours, theirs = _both_ways(monkeypatch, "Schulen Sonnenschein", [inquiry, *common])
    assert ours == theirs
    assert "<mark>Sonnenschein</mark>" in ours[inquiry.pk].excerpt


@pytest.mark.django_db
def test_excerpts_of_phrases_umlauts_and_sharp_s(monkeypatch, no_highlight_cache):
    phrase = InquiryFactory(title="Anfrage", questions=[(FILLER * 3 + "Zur Ausstattung der Feuerwehren im Land. " + FILLER * 3, "")])
    umlauts = InquiryFactory(title="Straßenbau in Württemberg", questions=[(FILLER + "Die Strasse in Wuerttemberg und die Straße in Württemberg.", "")])
    for query in ('"Ausstattung der Feuerwehren"', "Strasse Wurttemberg", "Straße", "Wuerttemberg"):
        ours, theirs = _both_ways(monkeypatch, query, [phrase, umlauts])
        assert ours == theirs, query
    ours, _theirs = _both_ways(monkeypatch, "Strasse Wuerttemberg", [umlauts])
    assert ours[umlauts.pk].excerpt.count("<mark>") == 4


@pytest.mark.django_db
def test_excerpts_of_words_across_fragment_bounds_and_long_words(monkeypatch, no_highlight_cache):
    inquiries = []
    for shift in range(0, 24, 3):
        text = "x" * (170 + shift) + " Feuerwehrhaus " + FILLER * 2 + "Donaudampfschifffahrtsgesellschaft" * 8 + " Feuerwehr."
        inquiries.append(InquiryFactory(title=f"Anfrage {shift}", questions=[(text, "")]))
    ours, theirs = _both_ways(monkeypatch, "Feuerwehrhaus Feuerwehr Donaudampfschifffahrtsgesellschaft", inquiries)
    assert ours == theirs
    assert all("<mark>" in highlight.excerpt for highlight in ours.values())


@pytest.mark.django_db
def test_excerpts_of_texts_in_other_scripts_and_with_emoji(monkeypatch, no_highlight_cache):
    inquiry = InquiryFactory(
        title="Anfrage 🚓",
        questions=[("Полиция 🚓 и Polizei – नमस्ते पुलिस; 警察 und „Polizei“ 👮‍♀️ " + FILLER * 4 + "Polizei!", "")],
    )
    for query in ("Polizei", "Полиция", "पुलिस", "警察"):
        ours, theirs = _both_ways(monkeypatch, query, [inquiry])
        assert ours == theirs, query
    ours, _theirs = _both_ways(monkeypatch, "полиция", [inquiry])
    assert ours[inquiry.pk].excerpt.startswith("<mark>Полиция</mark> 🚓 и Polizei – नमस्ते पुलिस; 警察")


@pytest.mark.django_db
def test_a_title_only_match_and_empty_texts(monkeypatch, no_highlight_cache):
    title_only = InquiryFactory(title="Hochwasserschutz am Neckar")
    empty = InquiryFactory(title="Hochwasserschutz", questions=[("", "")])
    excluded = InquiryFactory(title="Hochwasserschutz ohne Polizei", questions=[("Polizei", "Polizei")])
    ours, theirs = _both_ways(monkeypatch, "Hochwasserschutz -Polizei", [title_only, empty, excluded])
    assert ours == theirs
    assert ours[title_only.pk].title == "<mark>Hochwasserschutz</mark> am Neckar" and ours[title_only.pk].excerpt is None
    assert "Polizei" in ours[excluded.pk].title and "<mark>Polizei" not in ours[excluded.pk].title
