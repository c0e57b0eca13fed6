"""Parldok: the documentation software of several Landtage (Thüringen, Mecklenburg-Vorpommern).

A single-page application over an undocumented JSON API. Every installation answers the
same endpoints with the same envelope, so the search, its paging and the envelope live
here; an installation's adapter (``th.py``, ``mv.py``) names its hosts, the facet tag that
selects its Kleine Anfragen, and how a hit becomes a ``Listing``.

- ``Fulltext/Search`` (POST, form field ``data`` holding JSON) lists documents by facet
  tags; Wahlperiode is facet 10, the time window facet 9 (``datefrom``/``dateto``, German
  dates); pages by ``limit`` (``Start``/``Length``), ``count`` says how many there are.
- Answers wrap their payload as a JSON *string* under ``data``:
  ``{"success": true, "data": "<json>"}``.

The facet ids are the software's; which facet and value mean "Kleine Anfrage" is the
installation's (Thüringen: Dokumentart, facet 7, id 5; MV: Dokumenttyp, facet 8, id 136).
"""

from __future__ import annotations

import datetime
import json
from typing import Any, ClassVar, Iterator

from inquiries.harvest.sources.base import Listing, Page, Source, SourceError

FACET_TIME, FACET_LP = 9, 10
# The parameters the application sends with every search; the endpoint refuses fewer.
SEARCH_DEFAULTS = {"max": 1000, "withfilter": False, "sort": 0, "topk": 3, "llm": 0, "newdocsearch": False}
PAGE_LENGTH = 100
# A guard against a count that never runs out.
MAX_PAGES = 500


def payload(body: bytes, url: str) -> dict[str, Any]:
    """The JSON inside Parldok's envelope ``{"success": true, "data": "<json>"}``."""
    try:
        outer = json.loads(body)
        inner = json.loads(outer["data"]) if outer.get("success") is True and isinstance(outer.get("data"), str) else None
    except (ValueError, TypeError, AttributeError):
        inner = None
    if not isinstance(inner, dict):
        raise SourceError(url, "Parldok answered in a form this adapter does not know (no success envelope)")
    return inner


def german_date(value: Any) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(str(value or ""), "%d.%m.%Y").date()
    except ValueError:
        return None


class ParldokSource(Source):
    """The search of a Parldok installation, page by page; subclasses turn hits into listings."""

    structured = True
    incremental = True
    # The facet tag that selects the installation's Kleine Anfragen (with "ored": True added).
    kind_tag: ClassVar[dict[str, Any]]
    period: ClassVar[int]
    web_url: str = ""

    def __init__(self, client, *, base_url: str | None = None, web_url: str | None = None) -> None:
        super().__init__(client, base_url=base_url)
        self.web_url = (web_url or self.web_url or self.base_url).rstrip("/")

    def _post(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base_url}/{endpoint}"
        fetched = self.client.post_form(url, {"data": json.dumps(body)}, headers={"Accept": "application/json"})
        return payload(fetched.content, url)

    def search_tags(self, since: datetime.date | None, until: datetime.date | None) -> list[dict[str, Any]]:
        tags: list[dict[str, Any]] = [
            {**self.kind_tag, "ored": True},
            {"type": FACET_LP, "id": self.period, "label": str(self.period), "ored": True},
        ]
        for day, field_name in ((since, "datefrom"), (until, "dateto")):
            if day:
                text = day.strftime("%d.%m.%Y")
                tags.append({"type": FACET_TIME, "id": text, "label": text, "field": field_name, "ored": True})
        return tags

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        tags = self.search_tags(since, until)
        search_url = f"{self.base_url}/Fulltext/Search"
        start = int(checkpoint.get("start") or 0)
        seen: set[int] = set()
        for number in range(1, MAX_PAGES + 1):
            body = {"devicekey": "", **SEARCH_DEFAULTS, "limit": {"Start": start, "Length": PAGE_LENGTH}, "tags": tags}
            data = self._post("Fulltext/Search", body)
            docs = data.get("docs")
            if not isinstance(docs, list):
                raise SourceError(search_url, "no docs array in the search result")
            for doc in docs:
                if not isinstance(doc, dict) or not isinstance(doc.get("id"), int):
                    raise SourceError(search_url, "a hit without a numeric id")
            ids = {doc["id"] for doc in docs}
            if docs and ids <= seen:
                # A server that ignores Start answers every page with the first: say so rather than loop.
                raise SourceError(search_url, f"page {number} repeated hits already listed (the search ignores its Start)")
            seen |= ids
            listings, notes = self.listings(docs, data, search_url)
            start += len(docs)
            yield Page(listings, {"start": start}, search_url, notes=notes)
            if len(docs) < PAGE_LENGTH or start >= int(data.get("count") or 0):
                return
        raise SourceError(search_url, f"more than {MAX_PAGES} pages: stopped")

    def listings(self, docs: list[dict[str, Any]], data: dict[str, Any], url: str) -> tuple[list[Listing], list[str]]:
        """The listings of one page of hits, and notes on what was skipped."""
        raise NotImplementedError
