"""Thüringen: the Landtag's Parldok (shared search and envelope: ``parldok.py``).

The search lists the Kleine Anfragen (Dokumentart, facet 7, id 5); ``Process/Document``
gives a listed document's Vorgang, whose positions include the answer ("Antwort auf Kleine
Anfrage <ministry>") with its document link. The answer is its own Drucksache (8/979 is
answered by 8/1715) and reprints the question above the reply.
"""

from __future__ import annotations

import re
from typing import Any

from inquiries.harvest.sources.base import Listing, SourceError
from inquiries.harvest.sources.parldok import ParldokSource, german_date
from inquiries.importers import german

FACET_KIND = 7
KIND_KLEINE_ANFRAGE = "5"
_SLUG_REFERENCE = re.compile(r"/dokument/\d+/(\d{1,2})_0*(\d+)_")


class ThueringenSource(ParldokSource):
    code = "th"
    parliament = "TH"
    interface = "Parldok JSON (Fulltext/Search, Process/Document; undocumented)"
    default_base_url = "https://parldok.thltcloud.de/parldok"
    web_url = "https://parldok.thueringer-landtag.de/ParlDok"
    kind_tag = {"type": FACET_KIND, "id": KIND_KLEINE_ANFRAGE, "label": "Kleine Anfrage"}
    period = 8

    def listings(self, docs, data, url):
        return [self._listing(doc, data.get("queryid")) for doc in docs], []

    def _listing(self, doc: dict[str, Any], query_id: Any) -> Listing:
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
            asked_on=german_date(doc.get("date")),
            answered_on=german_date(answer_doc.get("date")),
            ministry=ministry,
        )
