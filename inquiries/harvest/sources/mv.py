"""Mecklenburg-Vorpommern: the Landtag's Parldok (shared search and envelope: ``parldok.py``).

MV publishes question and answer as one Drucksache of the Dokumenttyp "Kleine Anfrage und
Antwort" (facet 8, id 136; "Kleine Anfrage" alone, id 44, is the unanswered question and is
not listed). A hit already carries what the review needs: ``authorhtml`` names the askers
with their Fraktion *and* the answering government ("Beate Schlupp (CDU), Landesregierung
(Ministerium für Klimaschutz, Landwirtschaft, ländliche Räume und Umwelt)"), its ``date`` is
the paper's, and ``/parldok/dokument/<id>`` serves the PDF itself. API and documents share
one host; its robots.txt was a 404 when the recording was made.
"""

from __future__ import annotations

import html
import re
from typing import Any

from inquiries.harvest.sources.base import Listing, SourceError
from inquiries.harvest.sources.parldok import ParldokSource, german_date

FACET_DOKUMENTTYP = 8
TYPE_KLEINE_ANFRAGE_UND_ANTWORT = 136
# An entry naming the government rather than a member ("Ministerpräsidentin" before "Minister").
_GOVERNMENT = re.compile(r"^(?:Landesregierung|Ministerium|Ministerpräsident(?:in)?|Ministerin|Minister|Staatskanzlei)\b")
_ENTRY = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$")


class MecklenburgVorpommernSource(ParldokSource):
    code = "mv"
    parliament = "MV"
    interface = "Parldok JSON (Fulltext/Search, Dokumenttyp 'Kleine Anfrage und Antwort'; undocumented)"
    default_base_url = "https://www.dokumentation.landtag-mv.de/parldok"
    kind_tag = {"type": FACET_DOKUMENTTYP, "id": str(TYPE_KLEINE_ANFRAGE_UND_ANTWORT), "label": "Kleine Anfrage und Antwort"}
    period = 8

    def listings(self, docs, data, url):
        listings: list[Listing] = []
        notes: list[str] = []
        foreign = 0
        by_reference: dict[str, Listing] = {}
        for doc in docs:
            # The filter runs on the server of an undocumented API: a hit of another type or
            # Wahlperiode is not taken for an answered Kleine Anfrage.
            if doc.get("typeid") not in (None, TYPE_KLEINE_ANFRAGE_UND_ANTWORT) or doc.get("lp") not in (None, self.period):
                foreign += 1
                continue
            listing = self._listing(doc)
            if listing is None:
                notes.append(f"hit {doc['id']} without a Drucksache number or Wahlperiode: skipped")
                continue
            earlier = by_reference.get(listing.reference)
            if earlier is not None:
                notes.append(f"Drucksache {listing.reference} listed twice ({earlier.external_id}, {listing.external_id}): kept the first")
                continue
            by_reference[listing.reference] = listing
            listings.append(listing)
        if docs and foreign == len(docs):
            raise SourceError(
                url,
                f"{len(docs)} hit(s), none of them a 'Kleine Anfrage und Antwort' of Wahlperiode {self.period}: "
                "the search filter no longer means what this adapter sends",
            )
        if foreign:
            notes.append(f"{foreign} of {len(docs)} hit(s) of another Dokumenttyp or Wahlperiode: skipped")
        return listings, notes

    def _listing(self, doc: dict[str, Any]) -> Listing | None:
        number, period = doc.get("number"), doc.get("lp")
        if not isinstance(number, str) or not number.strip() or not isinstance(period, int):
            return None
        askers, ministry = parse_authors(_clean(str(doc.get("authorhtml") or "")))
        return Listing(
            external_id=f"parldok:{doc['id']}",
            reference=f"{period}/{number.strip()}",
            title=_clean(str(doc.get("title") or "")),
            document_url=f"{self.web_url}/dokument/{doc['id']}",
            version=f"{doc['id']}:{doc.get('date') or ''}",
            askers=askers or None,
            # The combined paper's date is the day the answer was published.
            answered_on=german_date(doc.get("date")),
            ministry=ministry,
        )


def split_authors(value: str) -> list[str]:
    """Split on the commas between entries, not on those inside a parenthesis (a ministry's name)."""
    parts, depth, current = [], 0, []
    for char in value:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


def parse_authors(value: str) -> tuple[list[dict[str, str | None]], str | None]:
    """The members who asked (with their Fraktion) and the answering body, from ``authorhtml``."""
    askers: list[dict[str, str | None]] = []
    ministry = None
    for entry in split_authors(value):
        match = _ENTRY.match(entry)
        name = (match["name"] if match else entry).strip()
        inner = (match["inner"].strip() if match else "") or None
        if _GOVERNMENT.match(name):
            # "Landesregierung (Staatskanzlei)" answers from the Staatskanzlei; without a ressort, the government itself.
            ministry = ministry or inner or name
        elif name:
            askers.append({"name": name, "faction": inner})
    return askers, ministry


def _clean(value: str) -> str:
    """Tags, entities, control characters and runs of white space out of a scraped field."""
    text = html.unescape(re.sub(r"<[^>]+>", "", value))
    return re.sub(r"[\s\x00-\x1f\x7f-\x9f]+", " ", text).strip()
