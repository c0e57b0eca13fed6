"""The OParl endpoint: thin JSON views over ``selectors`` and ``serializers``."""

from __future__ import annotations

from typing import Any, Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import View

from inquiries.models import Parliament
from inquiries.oparl import selectors, serializers
from inquiries.oparl.pagination import BadListRequest, EmptyPage, ObjectList, Part, change_window, list_page
from inquiries.oparl.selectors import FileKind
from inquiries.oparl.serializers import Urls


def json_response(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # OParl asks servers to allow browser clients on other origins (CORS).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(message: str, *, status: int) -> JsonResponse:
    return json_response({"error": message}, status=status)


class OParlView(View):
    """Read-only JSON; errors are JSON too, so that clients always get something to parse."""

    http_method_names = ["get", "head", "options"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            return error_response("not found", status=404)
        except BadListRequest as error:
            return error_response(str(error), status=400)

    def get(self, request: HttpRequest, **kwargs: Any) -> JsonResponse:
        return json_response(self.build(Urls(request), **kwargs))

    def build(self, urls: Urls, **kwargs: Any) -> dict[str, Any]:
        raise NotImplementedError


# --- single objects -------------------------------------------------------------------------


class SystemView(OParlView):
    def build(self, urls: Urls) -> dict[str, Any]:
        return serializers.system(urls, selectors.system_times())


class BodyView(OParlView):
    def build(self, urls: Urls, code: str) -> dict[str, Any]:
        return serializers.body(urls, selectors.body(code))


class LegislativeTermView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        return serializers.legislative_term(urls, selectors.term(pk))


class FactionView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        return serializers.faction(urls, selectors.faction(pk))


class MinistryView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        return serializers.ministry(urls, selectors.ministry(pk))


class PersonView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        return serializers.person(urls, selectors.person(pk))


class MembershipView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        return serializers.membership(urls, selectors.membership(pk))


class OfficeView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        return serializers.office(urls, selectors.office(pk))


class PaperView(OParlView):
    def build(self, urls: Urls, pk: int) -> dict[str, Any]:
        inquiry = selectors.paper(pk)
        return serializers.paper(urls, inquiry, selectors.related_paper_ids([inquiry]))


class FileView(OParlView):
    def build(self, urls: Urls, pk: int, kind: str) -> dict[str, Any]:
        if kind not in FileKind.values:
            raise Http404
        return serializers.file(urls, selectors.file_paper(pk, FileKind(kind)), FileKind(kind))


# --- external object lists ---------------------------------------------------------------------


class ObjectListView(OParlView):
    """A paginated external object list; subclasses name its parts."""

    def get(self, request: HttpRequest, **kwargs: Any) -> JsonResponse:
        window = change_window(request.GET)
        urls = Urls(request)
        parts = [Part(window.apply(part.rows), part.serialize) for part in self.parts(urls, **kwargs)]
        try:
            return json_response(list_page(request, ObjectList(parts)))
        except EmptyPage:
            return error_response("no such page", status=404)

    def parts(self, urls: Urls, **kwargs: Any) -> list[Part]:
        raise NotImplementedError


def _each(serialize: Callable[[Urls, Any], dict[str, Any]], urls: Urls) -> Callable[[list[Any]], list[dict[str, Any]]]:
    return lambda rows: [serialize(urls, row) for row in rows]


class BodyListView(ObjectListView):
    def parts(self, urls: Urls) -> list[Part]:
        return [Part(selectors.bodies(), _each(serializers.body, urls))]


class BodyPartView(ObjectListView):
    """A list of one body (``/body/bw/papers/``); 404 for an unknown body."""

    def parts(self, urls: Urls, code: str) -> list[Part]:
        return self.body_parts(urls, selectors.body_for_lists(code))

    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        raise NotImplementedError


class BodyOrganizationsView(BodyPartView):
    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        return [
            Part(selectors.factions(parliament), _each(serializers.faction, urls)),
            Part(selectors.ministries(parliament), _each(serializers.ministry, urls)),
        ]


class BodyPersonsView(BodyPartView):
    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        return [Part(selectors.public_persons(parliament), _each(serializers.person, urls))]


class BodyMembershipsView(BodyPartView):
    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        return [
            Part(selectors.memberships(parliament), _each(serializers.membership, urls)),
            Part(selectors.offices(parliament), _each(serializers.office, urls)),
        ]


class BodyLegislativeTermsView(BodyPartView):
    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        return [Part(selectors.terms(parliament), _each(serializers.legislative_term, urls))]


class BodyPapersView(BodyPartView):
    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        def serialize(rows: list) -> list[dict[str, Any]]:
            related = selectors.related_paper_ids(rows)
            return [serializers.paper(urls, inquiry, related) for inquiry in rows]

        return [Part(selectors.papers(parliament), serialize)]


class BodyFilesView(BodyPartView):
    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        return [
            Part(selectors.document_files(parliament), lambda rows: [serializers.file(urls, row, FileKind.DOCUMENT) for row in rows]),
            Part(selectors.source_files(parliament), lambda rows: [serializers.file(urls, row, FileKind.SOURCE) for row in rows]),
        ]


class BodyMeetingsView(BodyPartView):
    """Required by OParl's Body; the portal has no meetings, so the list is empty."""

    def body_parts(self, urls: Urls, parliament: Parliament) -> list[Part]:
        return []

