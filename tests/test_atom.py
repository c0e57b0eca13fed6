"""The feeds' own Atom writer (``inquiries.atom``) writes the documents Django's syndication
framework wrote, byte for byte, and well-formed Atom also where Django failed.

``Legacy*Feed`` below are the feed classes as ``inquiries/feeds.py`` had them on Django's
``Feed`` and ``Atom1Feed``, with a person's, faction's or ministry's entries read in SQL
(kept here only as the reference; the portal now reads them off the search engine's index
as a search feed's). Every feed is rendered by the portal (through the test client, the
whole middleware stack) and by them (the same path, query, host and language), and the
bytes and headers are compared.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Exists, F, OuterRef
from django.http import HttpResponseBadRequest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed, rfc3339_date
from django.utils.http import parse_http_date
from django.utils.translation import gettext as _
from django.utils.xmlutils import UnserializableContentError

from inquiries import atom
from inquiries.filters import InquiryFilterSet
from inquiries.inquiry_entries import feed_description, inquiry_entries
from inquiries.models import Asker, InquiryKind
from inquiries.selectors import listing, pages
from inquiries.selectors.base import inquiry_rows
from inquiries.services.workflow import withdraw
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, ParliamentFactory, PersonFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
MOMENT = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.timezone.utc)


# --- the reference: the feeds as they were on Django's syndication framework ---------------


def newest_published(inquiries):
    """The entries of a person's, faction's or ministry's feed as they were read: in SQL."""
    return inquiry_entries(inquiries.order_by(F("published_at").desc(nulls_last=True), "-pk").values_list("pk", flat=True)[:50])


class _Invalid(Exception):
    pass


class LegacyInquiryFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item):
        return f"{item.parliament_code} {item.reference}: {item.title}"

    def item_description(self, item):
        return feed_description(item)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return ", ".join(asker.name for asker in item.askers) or None

    def item_categories(self, item):
        return item.factions

    def item_copyright(self, item):
        return item.source_notice or None


class LegacySearchFeed(LegacyInquiryFeed):
    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except _Invalid as invalid:
            errors = invalid.args[0]
            lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")

    def get_object(self, request, *args, **kwargs):
        filterset = InquiryFilterSet(request.GET, queryset=listing.inquiry_search_base(), request=request)
        if not filterset.is_valid():
            raise _Invalid(filterset.errors)
        return filterset.query, request.GET.urlencode()

    def title(self, obj):
        if obj[0].text:
            return _("Anfragen zu „%(query)s“ – Anfragen-Portal") % {"query": obj[0].text}
        return _("Anfragen – Anfragen-Portal")

    def subtitle(self, obj):
        return _("Neu veröffentlichte Anfragen und Antworten zu dieser Suche.")

    def link(self, obj):
        return reverse("inquiries:inquiry-list") + (f"?{obj[1]}" if obj[1] else "")

    def feed_url(self, obj):
        return reverse("inquiries:inquiry-feed") + (f"?{obj[1]}" if obj[1] else "")

    def items(self, obj):
        return listing.feed_entries(obj[0], size=50)


class LegacyPersonFeed(LegacyInquiryFeed):
    def get_object(self, request, slug):
        return pages.person_detail(slug)

    def title(self, obj):
        return _("Anfragen von %(name)s – Anfragen-Portal") % {"name": obj.full_name}

    def subtitle(self, obj):
        return _("Anfragen, die %(name)s gestellt hat, mit den Antworten.") % {"name": obj.full_name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return newest_published(inquiry_rows().filter(Exists(Asker.objects.filter(inquiry_id=OuterRef("pk"), person=obj))))


class LegacyFactionFeed(LegacyInquiryFeed):
    def get_object(self, request, parliament, slug):
        return pages.faction_detail(parliament, slug)

    def title(self, obj):
        return _("Anfragen der Fraktion %(name)s – Anfragen-Portal") % {"name": obj}

    def subtitle(self, obj):
        return _("Anfragen der Fraktion %(name)s und ihrer Abgeordneten, mit den Antworten.") % {"name": obj}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return newest_published(inquiry_rows().by_faction(obj))


class LegacyMinistryFeed(LegacyInquiryFeed):
    def get_object(self, request, parliament, slug):
        return pages.ministry_detail(parliament, slug)

    def title(self, obj):
        return _("Antworten: %(name)s – Anfragen-Portal") % {"name": obj.name}

    def subtitle(self, obj):
        return _("Anfragen, die %(name)s beantwortet hat.") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return newest_published(inquiry_rows().filter(answering_ministry=obj))


LEGACY = {
    "inquiry-feed": LegacySearchFeed(),
    "person-feed": LegacyPersonFeed(),
    "faction-feed": LegacyFactionFeed(),
    "ministry-feed": LegacyMinistryFeed(),
}


def legacy_response(name: str, kwargs: dict[str, str], query: str, language: str, secure: bool = False):
    request = RequestFactory().get(reverse(f"inquiries:{name}", kwargs=kwargs) + (f"?{query}" if query else ""), secure=secure)
    request.user = AnonymousUser()
    with translation.override(language):
        return LEGACY[name](request, **kwargs)


# --- the data --------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """Inquiries with what an entry may or may not show: several askers with and without a
    group, none, a source notice, no ministry, unanswered, names and notices with markup and
    quotes, groups whose short names need quoting in an attribute, a reference and a title
    that are not ASCII, microseconds and equal publication times."""
    bw, ni = ParliamentFactory(code="BW"), ParliamentFactory(code="NI", name="Niedersächsischer Landtag")
    spd = FactionFactory(parliament=bw, short_name="SPD", slug="spd")
    quoted = FactionFactory(parliament=bw, short_name='Die "Neuen"', slug="die-neuen")
    both = FactionFactory(parliament=bw, short_name="B'90 \"Grüne\" & <Co>", slug="gruene")
    green_ni = FactionFactory(parliament=ni, short_name="GRÜNE", slug="gruene")
    erika = PersonFactory(title="Dr.", first_name="Erika", last_name="Beispiel <&>", slug="erika")
    otto = PersonFactory(first_name="Otto", last_name="O'Brien \"Jr.\"", slug="otto")
    innen = MinistryFactory(parliament=bw, name="Innen & Sport", slug="innen")
    MinistryFactory(parliament=bw, name="Ministerium ohne Antworten", slug="leer")
    times = [MOMENT, MOMENT + datetime.timedelta(hours=1), MOMENT + datetime.timedelta(hours=1), MOMENT - datetime.timedelta(days=1)]
    for n in range(12):
        InquiryFactory(
            parliament=bw if n % 3 else ni,
            title=f"Polizei Revier {n}" if n % 2 else f"Schulen & <Kitas> {n}",
            factions=[[spd], [spd, quoted], [both], [green_ni], []][n % 5] if n % 3 else [green_ni],
            askers=[[(erika, spd), (otto, None)], [(otto, quoted)], [], [(erika, both)]][n % 4] if n % 3 else [(otto, green_ni)],
            answering_ministry=innen if n % 3 else None,
            answered_on=None if n % 6 == 0 else datetime.date(2024, 2, 28),
            asked_on=None if n == 7 else datetime.date(2024, 1, 3),
            kind=InquiryKind.MAJOR if n % 7 == 0 else InquiryKind.MINOR,
            source_notice=['Metadaten: kleineanfragen.de, "ODbL" <1.0> & mehr', ""][n % 2] if n % 4 == 0 else "",
            published_at=times[n % 4] + datetime.timedelta(microseconds=n // 8),
        )
    InquiryFactory(
        parliament=bw, reference="17/Ä 1", title="Straßen in Ulm\tund\nNeu-Ulm: „Brücken“ 'alt' \"neu\" ]]> € <script>&",
        factions=[spd], askers=[(erika, spd)], answering_ministry=innen, published_at=MOMENT + datetime.timedelta(days=2),
    )
    InquiryFactory(parliament=bw, title="Polizei Entwurf", draft=True, factions=[spd], askers=[(erika, spd)])
    gone = InquiryFactory(parliament=bw, title="Polizei zurückgezogen", factions=[spd], askers=[(erika, spd)], published_at=MOMENT + datetime.timedelta(days=9))
    withdraw(gone, reason="zurückgezogen")


FEEDS = [
    ("inquiry-feed", {}, ""),
    ("inquiry-feed", {}, "q=Polizei"),
    ("inquiry-feed", {}, "q=Revier+-7"),
    ("inquiry-feed", {}, "q=Stra%C3%9Fen"),
    ("inquiry-feed", {}, "faction=spd&parliament=bw"),
    ("inquiry-feed", {}, "q=Polizei&faction=die-neuen&kind=minor"),
    ("inquiry-feed", {}, "ministry=innen&person=otto"),
    ("inquiry-feed", {}, "parliament=ni&kind=major"),
    ("inquiry-feed", {}, "answered_after=2024-01-01&answered_before=2024-12-31&kind=minor&status=answered"),
    ("inquiry-feed", {}, "q=%22Revier+1%22&page=2&ordering=-asked"),
    ("inquiry-feed", {}, "q=%3Cscript%3E%26"),
    ("person-feed", {"slug": "erika"}, ""),
    ("person-feed", {"slug": "otto"}, ""),
    ("faction-feed", {"parliament": "bw", "slug": "spd"}, ""),
    ("faction-feed", {"parliament": "bw", "slug": "gruene"}, ""),
    ("faction-feed", {"parliament": "ni", "slug": "gruene"}, ""),
    ("faction-feed", {"parliament": "bw", "slug": "die-neuen"}, "utm_source=x"),
    ("ministry-feed", {"parliament": "bw", "slug": "innen"}, ""),
]


UPDATED = re.compile(rb"<updated>([^<]*)</updated>")


def _without_moment(content: bytes) -> bytes:
    """An empty feed's document without its ``<updated>``: the moment it was written."""
    assert b"<entry>" not in content
    return UPDATED.sub(b"", content)


def _new_response(client, name: str, kwargs: dict[str, str], query: str, language: str, secure: bool = False):
    url = reverse(f"inquiries:{name}", kwargs=kwargs) + (f"?{query}" if query else "")
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, secure=secure)


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(("name", "kwargs", "query"), FEEDS)
def test_the_same_bytes_and_headers_as_djangos_syndication_framework(client, backend, world, language, name, kwargs, query):
    legacy = legacy_response(name, kwargs, query, language)
    response = _new_response(client, name, kwargs, query, language)
    assert legacy.status_code == response.status_code
    if response.status_code != 200:  # a parameter this version of the filters does not take
        assert legacy.content == response.content
        return
    assert response["Content-Type"] == legacy["Content-Type"] == "application/atom+xml; charset=utf-8"
    if b"<entry>" not in legacy.content:
        # Nothing found (a backend's words differ): the moment of writing differs, see below.
        assert _without_moment(response.content) == _without_moment(legacy.content)
        return
    assert response.content == legacy.content
    assert response["Last-Modified"] == legacy["Last-Modified"]


def test_the_same_bytes_over_https_and_another_host(client, world, settings):
    settings.ALLOWED_HOSTS = ["portal.example", "testserver"]
    for name, kwargs, query in [FEEDS[0], FEEDS[1], ("person-feed", {"slug": "erika"}, "")]:
        url = reverse(f"inquiries:{name}", kwargs=kwargs) + (f"?{query}" if query else "")
        request = RequestFactory().get(url, secure=True, HTTP_HOST="portal.example")
        request.user = AnonymousUser()
        with translation.override("de"):
            legacy = LEGACY[name](request, **kwargs)
        response = client.get(url, secure=True, HTTP_HOST="portal.example", HTTP_ACCEPT_LANGUAGE="de")
        assert response.content == legacy.content
        assert b'href="https://portal.example/' in response.content


@pytest.mark.parametrize(("name", "kwargs", "query"), [
    ("inquiry-feed", {}, "q=Wasserstoffzeppelin"),
    ("ministry-feed", {"parliament": "bw", "slug": "leer"}, ""),
])
def test_an_empty_feed_is_the_same_but_for_the_moment_it_is_written(client, world, name, kwargs, query):
    before = datetime.datetime.now(tz=datetime.timezone.utc).replace(microsecond=0)
    legacy = legacy_response(name, kwargs, query, "de")
    response = _new_response(client, name, kwargs, query, "de")
    moment = datetime.datetime.fromisoformat(UPDATED.search(response.content)[1].decode())
    assert before <= moment <= datetime.datetime.now(tz=datetime.timezone.utc)
    assert parse_http_date(response["Last-Modified"]) >= before.timestamp()
    assert _without_moment(response.content) == _without_moment(legacy.content)
    assert b"<entry>" not in response.content


def test_invalid_parameters_and_unknown_slugs_answer_as_before(client, world):
    for name, kwargs, query in [
        ("inquiry-feed", {}, "faction=niemand"),
        ("inquiry-feed", {}, "term=x&ordering=title"),
        ("person-feed", {"slug": "niemand"}, ""),
        ("faction-feed", {"parliament": "bw", "slug": "niemand"}, ""),
        ("ministry-feed", {"parliament": "xx", "slug": "innen"}, ""),
    ]:
        response = _new_response(client, name, kwargs, query, "de")
        assert response.status_code == (400 if query else 404)
        if query:
            legacy = legacy_response(name, kwargs, query, "de")
            assert (response.status_code, response["Content-Type"], response.content) == (
                legacy.status_code, legacy["Content-Type"], legacy.content
            )


# --- well-formed Atom --------------------------------------------------------------------------


def assert_atom_essentials(content: bytes) -> ET.Element:
    """Parses as XML and has what RFC 4287 requires of a feed and its entries."""
    root = ET.fromstring(content)
    assert root.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated"):
        assert len(root.findall(f"{ATOM}{required}")) == 1, required
    datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert links["self"].startswith("http://") and links["alternate"].startswith("http://")
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("title", "id", "updated", "summary"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        assert entry.find(f"{ATOM}summary").get("type") == "html"
        assert entry.findtext(f"{ATOM}id").startswith("http://")
        assert entry.find(f"{ATOM}link").get("rel") == "alternate"
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        for author in entry.findall(f"{ATOM}author"):
            assert author.findtext(f"{ATOM}name")
        for category in entry.findall(f"{ATOM}category"):
            assert category.get("term")
    return root


@pytest.mark.parametrize(("name", "kwargs", "query"), FEEDS)
def test_every_feed_is_well_formed_atom(client, world, name, kwargs, query):
    response = _new_response(client, name, kwargs, query, "de")
    root = assert_atom_essentials(response.content)
    for entry in root.findall(f"{ATOM}entry"):
        if entry.findtext(f"{ATOM}title").startswith("BW 17/Ä 1:"):
            assert entry.findtext(f"{ATOM}title").endswith("Straßen in Ulm\tund\nNeu-Ulm: „Brücken“ 'alt' \"neu\" ]]> € <script>&")
            assert entry.findtext(f"{ATOM}id").endswith("/bw/drucksache/17-%C3%84%201/")


def test_characters_xml_does_not_allow_are_left_out_instead_of_failing_the_feed(client, world):
    bw = ParliamentFactory(code="BW")
    odd = FactionFactory(parliament=bw, short_name="Gruppe\x01\x1f X", slug="gruppe-x")
    InquiryFactory(
        parliament=bw, title="Polizei\x01 in\x0b Ulm\ufffe\x7f", factions=[odd], askers=[(PersonFactory(first_name="Ida\x08", slug="ida"), odd)],
        source_notice="Quelle\x0c", published_at=MOMENT + datetime.timedelta(days=3),
    )
    with pytest.raises(UnserializableContentError):  # Django's writer failed the whole feed (a 500)
        legacy_response("inquiry-feed", {}, "q=Polizei", "de")
    for url in (reverse("inquiries:inquiry-feed") + "?q=Polizei", reverse("inquiries:faction-feed", kwargs={"parliament": "bw", "slug": "gruppe-x"})):
        response = client.get(url)
        assert response.status_code == 200
        root = assert_atom_essentials(response.content)
        entry = next(entry for entry in root.findall(f"{ATOM}entry") if "in Ulm" in entry.findtext(f"{ATOM}title"))
        assert entry.findtext(f"{ATOM}title").endswith(": Polizei in Ulm\x7f")
        assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Gruppe X"]
        assert entry.findtext(f"{ATOM}author/{ATOM}name").startswith("Ida Muster")
        assert entry.findtext(f"{ATOM}rights") == "Quelle"
        assert "Ida Muster" in entry.findtext(f"{ATOM}summary")


# --- the writer on its own ----------------------------------------------------------------------


def _values(**changes: Any) -> atom.Feed:
    entry = atom.Entry(
        title="Eins", link="http://example.org/1", updated=MOMENT, summary="<p>x</p>",
        published=MOMENT - datetime.timedelta(days=1), author="A", categories=["K"], rights="R",
    )
    values = {"title": "T", "subtitle": "S", "link": "http://example.org/", "self_link": "http://example.org/feed/", "language": "de", "entries": [entry]}
    return atom.Feed(**{**values, **changes})


def test_the_writer_escapes_text_and_attributes_as_the_sax_generator_does():
    from xml.sax.saxutils import escape, quoteattr

    for value in ["plain", "a & b < c > d", 'say "hi"', "it's", "both ' and \"", "tab\tnew\nline\rreturn", "ümlaut €", ""]:
        assert atom.text(value) == escape(value)
        assert atom.attribute(value) == quoteattr(value, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    assert atom.text("a\x00b\x1fc\ud800d\uffffe\U0001F600") == "abcde\U0001F600"


def test_the_writer_against_atom1feed_for_fields_the_portal_leaves_empty():
    """Entries without author, publication time, categories, rights; empty texts; no language."""
    bare = atom.Entry(title="", link="http://example.org/2?a=1&b=2", updated=MOMENT + datetime.timedelta(days=1), summary="")
    for feed in (_values(), _values(entries=[bare]), _values(language=None, subtitle="", entries=[bare, *_values().entries])):
        reference = Atom1Feed(title=feed.title, subtitle=feed.subtitle, link=feed.link, feed_url=feed.self_link, description=None, language=feed.language)
        for entry in feed.entries:
            reference.add_item(
                title=entry.title, link=entry.link, description=entry.summary, unique_id=entry.link, pubdate=entry.published,
                updateddate=entry.updated, author_name=entry.author, categories=entry.categories, item_copyright=entry.rights,
            )
        assert atom.document(feed) == reference.writeString("utf-8").encode("utf-8")
        assert feed.updated() == reference.latest_post_date()
    assert atom.rfc3339(MOMENT.replace(tzinfo=None)) == rfc3339_date(MOMENT.replace(tzinfo=None)) == "2025-03-04T10:00:00Z"
