"""The OpenAPI schema and the interactive documentation (Swagger UI) from local static files.

The site's Content-Security-Policy forbids inline scripts and styles: the split
view serves the start-up script as its own request (``?script``), and our
template links a stylesheet instead of drf-spectacular's inline ``<style>``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request


class JsonErrorsMixin:
    """Errors in the API's one JSON shape, whatever format the view serves otherwise."""

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400:
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    """OpenAPI 3 as YAML, or JSON with ``?format=json``."""


class DocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Anfragen-Portal API v1"
