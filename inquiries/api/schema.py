"""OpenAPI details drf-spectacular cannot infer: error answers, HTTP headers, parameter texts.

The FilterSets are shared with the website and labelled in German for its form;
``describe_parameters`` gives every query parameter of the API an English
description (a test checks that none is left without one).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from inquiries.api.serializers import ErrorSerializer

ERROR_TEXTS = {
    "400": "Invalid query parameters: `errors` names each with its message.",
    "404": "No such object or page.",
    "406": "None of the formats in the Accept header or `format` can be served.",
    "410": "The inquiry was public once and has been withdrawn or deleted.",
    "429": "Too many requests from this address; retry after the seconds in Retry-After.",
}

CACHE_HEADERS = {
    "ETag": {"description": "Hash of the body; send it back in If-None-Match to get 304 when unchanged.", "schema": {"type": "string"}},
    "Last-Modified": {
        "description": "When what this answer shows last changed (where the portal knows it); for If-Modified-Since.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"description": "How long caches may reuse the answer.", "schema": {"type": "string"}},
}

PARAMETER_DESCRIPTIONS = {
    "q": (
        "Full-text search in titles, questions and answers (German stemming, umlauts folded): words are all required, "
        '"a phrase" in quotes, -word excludes, OR between two terms allows either.'
    ),
    "parliament": "Code of a parliament in lower or upper case (bw, bt …); repeat the parameter for several.",
    "term": "Number of the legislative term (Wahlperiode), e.g. 17.",
    "number": "Number of the legislative term, e.g. 17.",
    "kind": "minor (Kleine Anfrage), major (Große Anfrage) or written (Schriftliche Frage); repeat for several.",
    "faction": "Slug of a faction (see /factions/); an inquiry matches when the faction is listed on it or one of its "
    "askers asked for it; people match when they were members. Repeat for several.",
    "person": "Slug of a person who asked (see /people/); repeat for several.",
    "ministry": "Slug of the answering ministry (see /ministries/); repeat for several.",
    "status": "answered, open (deadline not yet passed) or overdue, as of today.",
    "asked_after": "Asked on or after this date (YYYY-MM-DD).",
    "asked_before": "Asked on or before this date (YYYY-MM-DD).",
    "answered_after": "Answered on or after this date (YYYY-MM-DD).",
    "answered_before": "Answered on or before this date (YYYY-MM-DD).",
    "modified_since": (
        "Only what changed at or after this ISO 8601 date-time (or date, from midnight Berlin time); encode + as %2B. "
        "Turns the list into a sync list: ordered by modified_at, then id, and (for inquiries) with tombstones of "
        "withdrawn and deleted inquiries. Cannot be combined with `ordering`. Parties keep no change time: all of "
        "them are listed."
    ),
    "ordering": "Sort order from the listed values (a leading - reverses); ties are broken by id. Not with "
    "`modified_since` or `cursor`.",
    "party": "Slug of a party (see /parties/); repeat for several.",
    "name": "Words in the first or last name (umlauts folded: Ruelke finds Rülke).",
    "current": "true: only ministries under the name valid today; false: only former names.",
    "format": "json (default), csv (lists only) or api (the browsable HTML view).",
}


class ApiAutoSchema(AutoSchema):
    """Adds the error answers every operation can give, 304, and the caching headers."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        bodies = super()._get_response_bodies(direction)
        if self.method != "GET":
            return bodies
        codes = ["400", "404", "406", "429"]
        if getattr(self.view, "may_be_gone", False) and (self.view.action != "list"):
            codes.append("410")
        for code in codes:
            bodies.setdefault(code, self._get_response_for_code(OpenApiResponse(ErrorSerializer, description=ERROR_TEXTS[code]), code))
        bodies.setdefault("304", {"description": "Not modified since the ETag or time given in the request.", "headers": {"ETag": CACHE_HEADERS["ETag"]}})
        return bodies

    def _get_response_headers_for_code(self, status_code: str, direction: str = "response") -> dict[str, Any]:
        headers = super()._get_response_headers_for_code(status_code, direction)
        if status_code == "200":
            headers = {**CACHE_HEADERS, **headers}
        if status_code == "429":
            headers = {**headers, "Retry-After": {"description": "Seconds to wait before the next request.", "schema": {"type": "integer"}}}
        return headers


def describe_parameters(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Postprocessing hook: the English description of every query parameter."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter["name"] == "id" and not parameter.get("description"):
                    parameter["description"] = "The object's id (its `id` field; `url` is the whole address)."
                if parameter.get("in") != "query":
                    continue
                text = PARAMETER_DESCRIPTIONS.get(parameter["name"])
                if text is None:
                    continue
                description = parameter.get("description") or ""
                # Keep the list of choices drf-spectacular appends after a blank line.
                choices = description.partition("\n\n")[2] if "\n\n" in description else ""
                parameter["description"] = f"{text}\n\n{choices}" if choices else text
    return result
