"""CSV for API lists (djangorestframework-csv), one row per item of the page."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.conf import settings
from rest_framework_csv.renderers import CSVRenderer

from inquiries import csvsafe


class ListCSVRenderer(CSVRenderer):
    """The ``results`` of a page as CSV.

    Columns in the order of the fields (nested objects as ``name.field``); lists of
    plain values in one cell, joined with "; ". Written through ``inquiries.csvsafe``, so
    no cell runs as a formula in a spreadsheet.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        rows = data.get("results", []) if isinstance(data, dict) else (data or [])
        context = dict(renderer_context or {})
        header: list[str] = []
        for item in self.flatten_data(rows):
            header.extend(key for key in item if key not in header)
        view = context.get("view")
        if not header and view is not None:
            # An empty page still has its header row (and so a body and a Content-Type).
            header = list(view.get_serializer_class()().fields)
        buffer = StringIO()
        csvsafe.writer(buffer).writerows(self.tablize(rows, header=header))
        return buffer.getvalue().encode(context.get("encoding", settings.DEFAULT_CHARSET))

    def flatten_item(self, item: Any) -> dict[str, Any]:
        if isinstance(item, list) and all(not isinstance(value, (dict, list)) for value in item):
            return {"": "; ".join("" if value is None else str(value) for value in item)}
        return super().flatten_item(item)
