"""The Popolo export as JSON documents under /popolo/v1/."""

from __future__ import annotations

from typing import Any, Callable

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from inquiries.popolo import export


def _json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_safe
def index(request: HttpRequest) -> JsonResponse:
    return _json(
        {
            name: request.build_absolute_uri(reverse(f"popolo:{name}"))
            for name in ("persons", "organizations", "memberships", "export")
        }
    )


def _document(key: str, build: Callable[[HttpRequest], list[dict[str, Any]]]):
    @require_safe
    def view(request: HttpRequest) -> JsonResponse:
        return _json({key: build(request)})

    return view


persons = _document("persons", lambda request: export.persons(base_url=_base_url(request)))
organizations = _document("organizations", lambda request: export.organizations(base_url=_base_url(request)))
memberships = _document("memberships", lambda request: export.memberships())


@require_safe
def everything(request: HttpRequest) -> JsonResponse:
    return _json(export.everything(base_url=_base_url(request)))
