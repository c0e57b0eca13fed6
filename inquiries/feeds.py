"""Atom feeds: for any list or search URL (same parameters), and per person, faction and ministry.

Entries are the newest published inquiries first (by the time they were
published here). An entry whose data carries a source notice (e.g. the ODbL
notice of kleineanfragen.de) shows it as the entry's rights and in its summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from inquiries.selectors import listing, pages
from inquiries.filters import InquiryFilterSet
from inquiries.inquiry_entries import InquiryEntry, feed_description
from inquiries.models import Faction, Inquiry, Ministry, Person
from inquiries.query import InquiryQuery

FEED_SIZE = 50


def newest_first(inquiries: QuerySet[Inquiry]) -> list[InquiryEntry]:
    return listing.inquiry_feed(inquiries, size=FEED_SIZE)


class InquiryFeed(Feed):
    """Common shape of all inquiry feeds: entries are ``inquiry_entries.InquiryEntry`` rows."""

    feed_type = Atom1Feed

    def item_title(self, item: InquiryEntry) -> str:
        return f"{item.parliament_code} {item.reference}: {item.title}"

    def item_description(self, item: InquiryEntry) -> str:
        return feed_description(item)

    def item_link(self, item: InquiryEntry) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: InquiryEntry):
        return item.published_at

    def item_updateddate(self, item: InquiryEntry):
        return item.updated_at

    def item_author_name(self, item: InquiryEntry) -> str | None:
        return ", ".join(asker.name for asker in item.askers) or None

    def item_categories(self, item: InquiryEntry) -> list[str]:
        return item.factions

    def item_copyright(self, item: InquiryEntry) -> str | None:
        return item.source_notice or None


@dataclass(frozen=True)
class SearchFeedRequest:
    """What a search feed shows: the query and the parameters it came from (for its links)."""

    query: InquiryQuery
    parameters: str  # the request's query string, '' for none


def _query_string(obj: SearchFeedRequest) -> str:
    return f"?{obj.parameters}" if obj.parameters else ""


class InvalidParameters(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class InquirySearchFeed(InquiryFeed):
    """``/anfragen/feed/?q=…&faction=…``: the list page's results as a feed."""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidParameters as invalid:
            lines = [f"{field}: {' '.join(messages)}" for field, messages in invalid.errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> SearchFeedRequest:
        filterset = InquiryFilterSet(request.GET, queryset=listing.inquiry_search_base(), request=request)
        if not filterset.is_valid():
            raise InvalidParameters(filterset.errors)
        return SearchFeedRequest(filterset.query, request.GET.urlencode())

    def title(self, obj: SearchFeedRequest) -> str:
        if obj.query.text:
            return _("Anfragen zu „%(query)s“ – Anfragen-Portal") % {"query": obj.query.text}
        return _("Anfragen – Anfragen-Portal")

    def subtitle(self, obj: SearchFeedRequest) -> str:
        return _("Neu veröffentlichte Anfragen und Antworten zu dieser Suche.")

    def link(self, obj: SearchFeedRequest) -> str:
        return reverse("inquiries:inquiry-list") + _query_string(obj)

    def feed_url(self, obj: SearchFeedRequest) -> str:
        return reverse("inquiries:inquiry-feed") + _query_string(obj)

    def items(self, obj: SearchFeedRequest) -> list[InquiryEntry]:
        return listing.feed_entries(obj.query, size=FEED_SIZE)


class PersonFeed(InquiryFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Person:
        return pages.person_detail(slug)

    def title(self, obj: Person) -> str:
        return _("Anfragen von %(name)s – Anfragen-Portal") % {"name": obj.full_name}

    def subtitle(self, obj: Person) -> str:
        return _("Anfragen, die %(name)s gestellt hat, mit den Antworten.") % {"name": obj.full_name}

    def link(self, obj: Person) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Person) -> list[InquiryEntry]:
        return newest_first(pages.person_inquiries(obj))


class FactionFeed(InquiryFeed):
    def get_object(self, request: HttpRequest, parliament: str, slug: str) -> Faction:
        return pages.faction_detail(parliament, slug)

    def title(self, obj: Faction) -> str:
        return _("Anfragen der Fraktion %(name)s – Anfragen-Portal") % {"name": obj}

    def subtitle(self, obj: Faction) -> str:
        return _("Anfragen der Fraktion %(name)s und ihrer Abgeordneten, mit den Antworten.") % {"name": obj}

    def link(self, obj: Faction) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Faction) -> list[InquiryEntry]:
        return newest_first(pages.faction_inquiries(obj))


class MinistryFeed(InquiryFeed):
    def get_object(self, request: HttpRequest, parliament: str, slug: str) -> Ministry:
        return pages.ministry_detail(parliament, slug)

    def title(self, obj: Ministry) -> str:
        return _("Antworten: %(name)s – Anfragen-Portal") % {"name": obj.name}

    def subtitle(self, obj: Ministry) -> str:
        return _("Anfragen, die %(name)s beantwortet hat.") % {"name": obj.name}

    def link(self, obj: Ministry) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Ministry) -> list[InquiryEntry]:
        return newest_first(pages.ministry_inquiries(obj))
