"""Thüringen: the Landtag's Parldok, a single-page application over an undocumented JSON API.

Two endpoints, used as the application uses them (form field ``data`` holding JSON):

- ``Fulltext/Search`` lists documents by facet tags: kind 7 = "Kleine Anfrage" (id 5),
  Wahlperiode 10, time 9 (``datefrom``/``dateto``, German dates); pages by ``limit``;
- ``Process/Document`` gives a listed document's Vorgang, whose positions include the
  answer ("Antwort auf Kleine Anfrage <ministry>") with its document link.

Answers wrap their payload as a JSON *string* under ``data``. The answer is its own
Drucksache (8/979 is answered by 8/1715) and reprints the question above the reply.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any, Iterator

from inquiries.harvest.sources.base import Listing, Page, Source, SourceError
from inquiries.importers import german

FACET_KIND, FACET_TIME, FACET_LP = 7, 9, 10
KIND_KLEINE_ANFRAGE = "5"
# The parameters the application sends with every search; the endpoint refuses fewer.
SEARCH_DEFAULTS = {"max": 1000, "withfilter": False, "sort": 0, "topk": 3, "llm": 0, "newdocsearch": False}
PAGE_LENGTH = 100
_SLUG_REFERENCE = re.compile(r"/dokument/\d+/(\d{1,2})_0*(\d+)_")


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


class ThueringenSource(Source):
    code = "th"
    parliament = "TH"
    interface = "Parldok JSON (Fulltext/Search, Process/Document; undocumented)"
    structured = True
    incremental = True
    default_base_url = "https://parldok.thltcloud.de/parldok"
    web_url = "https://parldok.thueringer-landtag.de/ParlDok"
    period = 8

    def __init__(self, client, *, base_url: str | None = None, web_url: str | None = None) -> None:
        super().__init__(client, base_url=base_url)
        self.web_url = (web_url or self.web_url).rstrip("/")

    def _post(self, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
        url = f"{self.base_url}/{endpoint}"
        fetched = self.client.post_form(url, {"data": json.dumps(body)}, headers={"Accept": "application/json"})
        return payload(fetched.content, url)

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        tags: list[dict[str, Any]] = [
            {"type": FACET_KIND, "id": KIND_KLEINE_ANFRAGE, "label": "Kleine Anfrage", "ored": True},
            {"type": FACET_LP, "id": self.period, "label": str(self.period), "ored": True},
        ]
        for day, field in ((since, "datefrom"), (until, "dateto")):
            if day:
                text = day.strftime("%d.%m.%Y")
                tags.append({"type": FACET_TIME, "id": text, "label": text, "field": field, "ored": True})
        start = int(checkpoint.get("start") or 0)
        while True:
            body = {"devicekey": "", **SEARCH_DEFAULTS, "limit": {"Start": start, "Length": PAGE_LENGTH}, "tags": tags}
            data = self._post("Fulltext/Search", body)
            docs = data.get("docs")
            if not isinstance(docs, list):
                raise SourceError(f"{self.base_url}/Fulltext/Search", "no docs array in the search result")
            listings = [self._listing(doc, data.get("queryid")) for doc in docs]
            start += len(docs)
            yield Page([listing for listing in listings if listing is not None], {"start": start}, f"{self.base_url}/Fulltext/Search")
            if len(docs) < PAGE_LENGTH or start >= int(data.get("count") or 0):
                return

    def _listing(self, doc: dict[str, Any], query_id: Any) -> Listing | None:
        if not isinstance(doc, dict) or not isinstance(doc.get("id"), int):
            raise SourceError(f"{self.base_url}/Fulltext/Search", "a hit without a numeric id")
        question_reference = f"{doc.get('lp')}/{doc.get('number')}"
        process = self._post("Process/Document", {"devicekey": "", "id": doc["id"], "queryid": query_id})
        positions = (process.get("process") or {}).get("positions")
        if not isinstance(positions, list):
            raise SourceError(f"{self.base_url}/Process/Document", f"{question_reference}: no positions in the Vorgang")
        answer = next(
            (p for p in positions if isinstance(p, dict) and re.search(r"\bAntwort\b", str(p.get("text") or "")) and isinstance(p.get("doc"), dict)),
            None,
        )
        answer_doc = (answer or {}).get("doc") or {}
        link = answer_doc.get("prelink") or answer_doc.get("link") or ""
        match = _SLUG_REFERENCE.search(link)
        ministry = re.sub(r"\s*\(\d+\.\s*Wp\)\s*$", "", str(answer_doc.get("authorhtml") or "")).strip() or None
        return Listing(
            external_id=f"parldok:{doc['id']}",
            reference=f"{match[1]}/{match[2]}" if match else question_reference,
            title=str(doc.get("title") or ""),
            document_url=f"{self.web_url}{link}" if link else None,
            version=f"{answer_doc.get('id')}:{answer_doc.get('date')}" if link else "",
            askers=german.split_askers(str(doc.get("authorhtml") or "")) or None,
            asked_on=_date(doc.get("date")),
            answered_on=_date(answer_doc.get("date")),
            ministry=ministry,
        )


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.datetime.strptime(str(value or ""), "%d.%m.%Y").date()
    except ValueError:
        return None
