"""The read-only API v1: thin viewsets over ``inquiries.api.selectors`` and the FilterSets.

Every list validates its parameters with a FilterSet (a bad value is a 400 naming
it), is paginated by ``ApiPagination`` (numbered pages or a cursor) and can be
had as CSV. ``modified_since`` turns a list into a sync list, ordered by
``modified_at`` then id; the inquiry sync list also carries tombstones.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers as drf_serializers
from rest_framework import viewsets
from rest_framework.compat import split_header_value
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.views import APIView

from inquiries import filters
from inquiries.selectors import counts, listing
from inquiries.api import selectors as api_selectors
from inquiries.api import serializers
from inquiries.api.exceptions import Gone
from inquiries.api.pagination import BY_CHANGE, BY_ID, ApiPagination, Merged, Stream, page_number, page_size
from inquiries.api.renderers import ListCSVRenderer
from inquiries.inquiry_entries import ApiListItems, inquiry_entries
from inquiries.paging import PageOutOfRange
from inquiries.query import InquiryQuery

FORMAT_PARAMETER = OpenApiParameter(
    "format", str, OpenApiParameter.QUERY, enum=["json", "csv"], description="json (default) or csv."
)


class ApiBehaviour:
    """What every API view shares: formats, filters, pagination, errors and Last-Modified."""

    filter_backends = [DjangoFilterBackend]
    pagination_class = ApiPagination
    # The key of ``api_selectors.RESOURCE_SOURCES`` for Last-Modified; None: not known.
    resource: str | None = None
    cursor_pagination = True

    def get_renderers(self) -> list:
        renderers = [JSONRenderer(), BrowsableAPIRenderer()]
        if self.action == "list":
            renderers.append(ListCSVRenderer())
        return renderers

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": serializers.today()}

    def valid_filterset(self, queryset: Any) -> Any:
        """The bound FilterSet of this request; a 400 naming each bad parameter otherwise."""
        filterset = DjangoFilterBackend().get_filterset(self.request, queryset, self)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset

    def last_modified(self, response: Response) -> datetime.datetime | None:
        return api_selectors.last_change(self.resource) if self.resource else None

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(getattr(response, "accepted_renderer", None), ListCSVRenderer):
            # Errors keep the one JSON shape even when CSV was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        elif response.status_code == 200 and request.method in ("GET", "HEAD") and "Last-Modified" not in response:
            moment = self.last_modified(response)
            if moment is not None:
                response["Last-Modified"] = http_date(moment.timestamp())
        return response


class ApiViewSet(ApiBehaviour, viewsets.ReadOnlyModelViewSet):
    """Read-only (every write method answers 405), JSON, the browsable API, and CSV for lists."""

    # Ids only: anything else is a plain 404 before it reaches the database.
    lookup_value_regex = r"[0-9]{1,18}"
    list_serializer_class: type[drf_serializers.Serializer] | None = None
    # Whether rows carry ``modified_at`` to order sync lists by.
    sync_ordering = True

    def get_serializer_class(self) -> type[drf_serializers.Serializer]:
        if self.action == "list" and self.list_serializer_class is not None:
            return self.list_serializer_class
        return self.serializer_class

    # --- lists -----------------------------------------------------------------------------

    def list_keys(self, since: datetime.datetime | None) -> tuple[str, ...]:
        """The keyset order of this list."""
        # The schema allows ``ordering`` and ``page`` beside ``modified_since`` and ``cursor``
        # (OpenAPI cannot say otherwise), so they are accepted, and the list keeps the one
        # order that lets a sync or export neither skip nor repeat rows (docs/api.md).
        return BY_CHANGE if since is not None and self.sync_ordering else BY_ID

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filterset = self.valid_filterset(self.get_queryset())
        since = filterset.form.cleaned_data.get("modified_since")
        keys = self.list_keys(since)
        queryset = filterset.qs
        if keys == BY_CHANGE:
            queryset = queryset.order_by(*BY_CHANGE)
        page = self.paginator.paginate_queryset(queryset, request, view=self, keys=keys)
        return self.paginator.get_paginated_response(self.get_serializer(self.completed(list(page)), many=True).data)

    def completed(self, rows: list[Any]) -> list[Any]:
        """The rows of a page or a detail with what is read for just them (e.g. counts), in place."""
        return rows

    # --- details ---------------------------------------------------------------------------

    def get_object(self) -> Any:
        found = self.get_queryset().filter(pk=int(self.kwargs["pk"])).first()
        if found is None:
            raise NotFound()
        return self.completed([found])[0]


# --- reference data -----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List parliaments", description="The parliaments with their terms and the number of published inquiries.", parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary="One parliament", description="A parliament with its terms and deadline rules."),
)
class ParliamentViewSet(ApiViewSet):
    serializer_class = serializers.ParliamentSerializer
    filterset_class = filters.ParliamentFilterSet
    resource = "parliament"

    def get_queryset(self):
        return api_selectors.parliaments()

    def completed(self, rows: list[Any]) -> list[Any]:
        return counts.with_inquiry_counts(rows, "parliament")


@extend_schema_view(
    list=extend_schema(summary="List legislative terms", description="Legislative terms (Wahlperioden) of all parliaments.", parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary="One legislative term", description="A legislative term with its dates."),
)
class TermViewSet(ApiViewSet):
    serializer_class = serializers.TermSerializer
    filterset_class = filters.TermFilterSet
    resource = "term"

    def get_queryset(self):
        return api_selectors.terms()

    def completed(self, rows: list[Any]) -> list[Any]:
        return counts.with_inquiry_counts(rows, "term")


@extend_schema_view(
    list=extend_schema(
        summary="List parties",
        description="Parties with the ids of their factions. Parties keep no change time: `modified_since` lists them all.",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="One party", description="A party with the ids of its factions."),
)
class PartyViewSet(ApiViewSet):
    serializer_class = serializers.PartySerializer
    filterset_class = filters.PartyFilterSet
    sync_ordering = False

    def get_queryset(self):
        return api_selectors.parties()


@extend_schema_view(
    list=extend_schema(summary="List factions", description="Parliamentary groups (Fraktionen), each in one parliament.", parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary="One faction", description="A parliamentary group."),
)
class FactionViewSet(ApiViewSet):
    serializer_class = serializers.FactionSerializer
    filterset_class = filters.FactionFilterSet
    resource = "faction"

    def get_queryset(self):
        return api_selectors.factions()


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description="Members of parliament and of government who sit or sat in a faction, hold an office, or asked or "
        "signed a published inquiry, each with their dated faction memberships.",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="One person", description="A person with memberships and ministerial offices."),
)
class PersonViewSet(ApiViewSet):
    serializer_class = serializers.PersonDetailSerializer
    list_serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilterSet
    resource = "person"

    def get_queryset(self):
        return api_selectors.people()


@extend_schema_view(
    list=extend_schema(
        summary="List ministries",
        description="Ministries under each of their names: a renamed ministry is one entry per name, linked by "
        "successor and predecessors.",
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary="One ministry", description="A ministry with its whole name history and its ministers."),
)
class MinistryViewSet(ApiViewSet):
    serializer_class = serializers.MinistryDetailSerializer
    list_serializer_class = serializers.MinistrySerializer
    filterset_class = filters.MinistryFilterSet
    resource = "ministry"

    def get_queryset(self):
        return api_selectors.ministries()


# --- inquiries ----------------------------------------------------------------------------


# Requests whose answer is the record as JSON without negotiating: no query string (no
# ``format``), and an Accept header for which DRF picks its first renderer, JSON.
_PLAIN_ACCEPT = frozenset({None, "*/*", "application/json"})


def _plain_json_request(request: HttpRequest) -> bool:
    return not request.META.get("QUERY_STRING") and request.META.get("HTTP_ACCEPT") in _PLAIN_ACCEPT


INQUIRY_LIST_ENTRY = PolymorphicProxySerializer(
    component_name="InquiryListEntry",
    serializers=[serializers.InquiryListSerializer, serializers.TombstoneSerializer],
    resource_type_field_name=None,
    many=True,
)


@extend_schema_view(
    list=extend_schema(
        summary="List published inquiries",
        description=(
            "Published inquiries, compact, filtered like the website's list. With `modified_since` the list is a sync "
            "list: ordered by modified_at, then id, and with a tombstone for every inquiry withdrawn or deleted since "
            "(narrowed by `parliament` and `term` only): delete your copy of those."
        ),
        parameters=[FORMAT_PARAMETER],
        responses=INQUIRY_LIST_ENTRY,
    ),
    retrieve=extend_schema(
        summary="One inquiry, complete",
        description=(
            "The inquiry with every question and its answer, as an inquiry.v1 record (the open-data exchange format): "
            "save it as a line of a .jsonl file and `import_inquiries` reads it. 410 if it was withdrawn or deleted."
        ),
    ),
)
class InquiryViewSet(ApiViewSet):
    serializer_class = serializers.InquiryRecordSerializer
    list_serializer_class = serializers.InquiryListSerializer
    filterset_class = filters.InquiryFilterSet
    resource = "inquiry"
    may_be_gone = True

    def get_queryset(self):
        return api_selectors.inquiries()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.valid_filterset(self.get_queryset()).query
        since = query.modified_since
        keys = self.list_keys(since)
        if since is None and not self.paginator.uses_cursor(request, self):
            return self.numbered_page(request, query)
        matches = listing.ordered_matching(query, self.get_queryset())
        if since is None:
            page = self.paginator.paginate_queryset(matches.with_list_related(), request, view=self, keys=keys)
            return self.paginator.get_paginated_response(self.get_serializer(page, many=True).data)
        page = self.paginator.paginate_merged(self.sync_list(matches, query), request)
        return self.paginator.get_paginated_response(self.serialize_entries(page))

    def numbered_page(self, request: Request, query: InquiryQuery) -> Response:
        """A numbered page: its ids in the list's order off the search engine's index (or in
        SQL), the exact total, and the items written from plain rows (``inquiry_entries``)."""
        size, number = page_size(request), page_number(request)
        ids, total = listing.ordered_page(query, max(0, (number - 1) * size), size)
        self.paginator.paginate_known(request, count=total, number=number, size=size)
        # The view's queryset is the published inquiries (``api_selectors.inquiries``), which
        # ``inquiry_entries`` reads by default with its reads compiled once per connection.
        entries = inquiry_entries(ids)
        return self.paginator.get_paginated_response(ApiListItems(request, serializers.today()).items(entries))

    def sync_list(self, published: Any, query: InquiryQuery) -> Merged:
        withdrawn, deleted = api_selectors.tombstones(
            since=query.modified_since, parliament_codes=list(query.parliaments), term_number=query.term
        )

        def load_published(ids: list[int]) -> dict[int, Any]:
            return {inquiry.pk: inquiry for inquiry in self.get_queryset().filter(pk__in=ids).with_list_related()}

        def load_withdrawn(ids: list[int]) -> dict[int, Any]:
            return {row.pk: api_selectors.Tombstone.of_withdrawn(row) for row in withdrawn.filter(pk__in=ids)}

        def load_deleted(ids: list[int]) -> dict[int, Any]:
            return {row.original_id: api_selectors.Tombstone.of_deleted(row) for row in deleted.filter(original_id__in=ids)}

        return Merged(
            [
                Stream("published", published.annotate(item_id=F("pk")), load_published),
                Stream("withdrawn", withdrawn.annotate(item_id=F("pk")), load_withdrawn),
                Stream("deleted", deleted.annotate(item_id=F("original_id")), load_deleted),
            ],
            keys=("modified_at", "item_id"),
        )

    def serialize_entries(self, entries: list[Any]) -> list[dict[str, Any]]:
        context = self.get_serializer_context()
        return [
            (
                serializers.TombstoneSerializer(entry, context=context)
                if isinstance(entry, api_selectors.Tombstone)
                else serializers.InquiryListSerializer(entry, context=context)
            ).data
            for entry in entries
        ]

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = int(kwargs["pk"])
        return self.record_response(api_selectors.inquiry_record(pk), pk)

    @extend_schema(
        operation_id="inquiries_by_reference_retrieve",
        summary="One inquiry by its printed-paper number",
        description="The same record as `/inquiries/{id}/`, found by parliament and reference (17/6206 written 17-6206).",
        parameters=[
            OpenApiParameter("parliament", str, OpenApiParameter.PATH, description="Code of the parliament (bw, bt …).", pattern="^[a-zA-Z]{2}$"),
            OpenApiParameter("reference", str, OpenApiParameter.PATH, description="The printed-paper number with - for /, e.g. 17-6206.", pattern="^[0-9]{1,2}-[0-9]{1,6}$"),
        ],
        filters=False,
    )
    @action(
        detail=False,
        url_path=r"(?P<parliament>[a-zA-Z]{2})/(?P<reference>[0-9]{1,2}-[0-9]{1,6})",
        url_name="by-reference",
        filter_backends=[],
        pagination_class=None,
    )
    def by_reference(self, request: Request, parliament: str, reference: str) -> Response:
        found = api_selectors.inquiry_record_by_reference(parliament, reference.replace("-", "/", 1))
        response = self.record_response(found, None)
        if found is not None:
            response["Content-Location"] = serializers.api_url(request, "inquiry", found.pk)
        return response

    def record_response(self, found: api_selectors.InquiryRecord | None, pk: int | None) -> Response:
        if found is None:
            if pk is not None and api_selectors.removal_of(pk) is not None:
                raise Gone()
            raise NotFound()
        # The record is the serializer's representation as it is (the schema names the
        # serializer): built once from rows, without model instances or the serializer.
        return self.with_record_headers(Response(found.record), found)

    def with_record_headers(self, response: HttpResponse, found: api_selectors.InquiryRecord) -> HttpResponse:
        response["Last-Modified"] = http_date(found.changed_at.timestamp())
        page = self.request.build_absolute_uri(found.page_path())
        response["Link"] = f'<{page}>; rel="alternate"; type="text/html"'
        return response

    # --- the plain JSON answer of a detail ------------------------------------------------

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.action_map.get(request.method.lower()) == "retrieve" and _plain_json_request(request):
            response = self.plain_record(request, int(kwargs["pk"]))
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def plain_record(self, request: HttpRequest, pk: int) -> HttpResponse | None:
        """The record as DRF would answer it, byte for byte, without its per-request machinery
        (request wrapper, content negotiation, renderer context: some 0.3 ms of a 1.2 ms answer).
        None for anything else (not published, throttled): DRF answers those, counting the
        request against the throttle once, as it always did."""
        found = api_selectors.inquiry_record(pk)
        if found is None:
            return None
        wrapped = Request(request)
        if not all([throttle.allow_request(wrapped, self) for throttle in self.get_throttles()]):
            return None
        response = HttpResponse(JSONRenderer().render(found.record), content_type=JSONRenderer.media_type)
        self.with_record_headers(response, found)
        # What DRF's finalize_response adds to every answer of this view (Allow, Vary), in its order.
        headers = self.default_response_headers
        vary = headers.pop("Vary", None)
        if vary is not None:
            patch_vary_headers(response, list(split_header_value(vary)))
        for name, value in headers.items():
            response[name] = value
        return response


@extend_schema_view(
    list=extend_schema(
        summary="Search inquiries",
        description=(
            "Full-text search over published inquiries with the website's search and filters: results by relevance "
            "(unless `ordering` says otherwise) with highlighted excerpts, and facet counts for every filter."
        ),
        parameters=[
            OpenApiParameter("q", str, OpenApiParameter.QUERY, required=True),
            FORMAT_PARAMETER,
        ],
    ),
)
class SearchViewSet(ApiBehaviour, viewsets.GenericViewSet):
    """``/search/?q=…``: the inquiry list's filters, relevance, highlights and facets."""

    serializer_class = serializers.SearchResultSerializer
    filterset_class = filters.InquiryFilterSet
    resource = "inquiry"
    cursor_pagination = False

    def get_queryset(self):
        return api_selectors.inquiries()

    @extend_schema(responses=serializers.SearchPageSerializer)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.valid_filterset(self.get_queryset()).query
        if not query.text:
            raise ValidationError({"q": ["Required: the words to search for."]})
        size, number = page_size(request), page_number(request)
        try:
            found = listing.results(query, page=number, per_page=size, strict=True, instances=self.get_queryset())
        except PageOutOfRange as error:
            raise NotFound(str(error)) from None
        self.paginator.paginate_known(request, count=found.total, number=found.number, size=size)
        context = {**self.get_serializer_context(), "highlights": found.highlights}
        results = serializers.SearchResultSerializer(found.rows, many=True, context=context).data
        facets = serializers.FacetSerializer(found.facets, many=True).data
        parsed = query.parsed
        return self.paginator.get_paginated_response(results, query=str(parsed), facets=facets)


class ApiRootView(APIRootView):
    """The API v1: its resources, the OpenAPI schema and the interactive documentation."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = request.build_absolute_uri(reverse("api:schema"))
        response.data["docs"] = request.build_absolute_uri(reverse("api:docs"))
        return response


class NotFoundView(APIView):
    """Any other address under /api/: the API's JSON 404, whatever the method."""

    schema = None

    # The API is read-only everywhere: other methods answer 405 with ``Allow``, as they
    # do on its real addresses (an id past the id pattern lands here, too).
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise NotFound("No such address in the API; see /api/v1/.")

    options = get
