"""Atom feeds: for any list or search URL (same parameters), and per person, faction and ministry.

Entries are the newest published inquiries first (by the time they were
published here). A person's, a faction's or a ministry's feed is the search feed
filtered by them (``?person=…``, ``?faction=…``, ``?ministry=…``: the same rules as
their pages), so its entries are read off the search engine's index too. An entry whose data carries a source notice (e.g. the ODbL
notice of kleineanfragen.de) shows it as the entry's rights and in its summary.
The documents are written by ``inquiries.atom`` (the same bytes Django's
syndication framework wrote, for a third of the CPU).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from inquiries import atom
from inquiries.filters import InquiryFilterSet
from inquiries.inquiry_entries import InquiryEntry, feed_description
from inquiries.query import InquiryQuery
from inquiries.selectors import listing, pages

FEED_SIZE = 50


def _entry(item: InquiryEntry, site: str) -> atom.Entry:
    link = iri_to_uri(site + item.url)
    return atom.Entry(
        title=f"{item.parliament_code} {item.reference}: {item.title}",
        link=link,
        published=item.published_at,
        updated=item.updated_at,
        author=", ".join(asker.name for asker in item.askers) or None,
        summary=feed_description(item),
        categories=item.factions,
        rights=item.source_notice or None,
    )


def _feed(request: HttpRequest, *, title: str, subtitle: str, link: str, self_link: str, items: Sequence[InquiryEntry]) -> HttpResponse:
    """The feed response; ``link`` (the page followed) and ``self_link`` are paths of this site."""
    site = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    feed = atom.Feed(
        title=title,
        subtitle=subtitle,
        link=iri_to_uri(site + link),
        self_link=iri_to_uri(site + self_link),
        language=get_language(),
        entries=[_entry(item, site) for item in items],
    )
    return atom.response(feed)


def search_feed(request: HttpRequest) -> HttpResponse:
    """``/anfragen/feed/?q=…&faction=…``: the list page's results as a feed; 400 for invalid parameters."""
    filterset = InquiryFilterSet(request.GET, queryset=listing.inquiry_search_base(), request=request)
    if not filterset.is_valid():
        lines = [f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items()]
        return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
    query = filterset.query
    parameters = request.GET.urlencode()
    query_string = f"?{parameters}" if parameters else ""
    if query.text:
        title = _("Anfragen zu „%(query)s“ – Anfragen-Portal") % {"query": query.text}
    else:
        title = _("Anfragen – Anfragen-Portal")
    return _feed(
        request,
        title=title,
        subtitle=_("Neu veröffentlichte Anfragen und Antworten zu dieser Suche."),
        link=reverse("inquiries:inquiry-list") + query_string,
        self_link=reverse("inquiries:inquiry-feed") + query_string,
        items=listing.feed_entries(query, size=FEED_SIZE),
    )


def person_feed(request: HttpRequest, slug: str) -> HttpResponse:
    person = pages.person_detail(slug)
    names = {"name": person.full_name}
    return _feed(
        request,
        title=_("Anfragen von %(name)s – Anfragen-Portal") % names,
        subtitle=_("Anfragen, die %(name)s gestellt hat, mit den Antworten.") % names,
        link=person.get_absolute_url(),
        self_link=request.path,
        items=listing.feed_entries(InquiryQuery(people=(person,)), size=FEED_SIZE),
    )


def faction_feed(request: HttpRequest, parliament: str, slug: str) -> HttpResponse:
    faction = pages.faction_detail(parliament, slug)
    names = {"name": faction}
    return _feed(
        request,
        title=_("Anfragen der Fraktion %(name)s – Anfragen-Portal") % names,
        subtitle=_("Anfragen der Fraktion %(name)s und ihrer Abgeordneten, mit den Antworten.") % names,
        link=faction.get_absolute_url(),
        self_link=request.path,
        items=listing.feed_entries(InquiryQuery(factions=(faction,)), size=FEED_SIZE),
    )


def ministry_feed(request: HttpRequest, parliament: str, slug: str) -> HttpResponse:
    ministry = pages.ministry_detail(parliament, slug)
    names = {"name": ministry.name}
    return _feed(
        request,
        title=_("Antworten: %(name)s – Anfragen-Portal") % names,
        subtitle=_("Anfragen, die %(name)s beantwortet hat.") % names,
        link=ministry.get_absolute_url(),
        self_link=request.path,
        items=listing.feed_entries(InquiryQuery(ministries=(ministry,)), size=FEED_SIZE),
    )
