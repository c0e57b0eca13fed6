"""Berlin: PARDOK open data, one XML export per Wahlperiode ("Parlamentsspiegel Export 1.0").

https://www.parlament-berlin.de/opendata/pardok-wp<N>.xml is rebuilt daily and large, so it
is asked for conditionally (ETag / If-Modified-Since): an unchanged export costs one 304.
A ``<Vorgang>`` of type Anfrage holds the Schriftliche Anfrage and the Antwort as
``<Dokument>`` entries, which share one PDF; ``<VFunktion>delete</VFunktion>`` says the
Abgeordnetenhaus deleted the Vorgang.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import xml.etree.ElementTree as ET
from typing import Iterator

from inquiries.harvest.http import HarvestHttpError
from inquiries.harvest.sources.base import Listing, Page, Source, SourceError

# Wahlperioden read on every run; the 20th began with the election of September 2026.
PERIODS = (19, 20)


class BerlinSource(Source):
    code = "be"
    parliament = "BE"
    interface = "PARDOK open-data XML per Wahlperiode (Parlamentsspiegel Export 1.0, ETag)"
    structured = True
    incremental = False
    default_base_url = "https://www.parlament-berlin.de"

    def __init__(self, client, *, base_url: str | None = None, periods: tuple[int, ...] = PERIODS) -> None:
        super().__init__(client, base_url=base_url)
        self.periods = periods

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        done = set(checkpoint.get("periods_done") or [])
        for period in self.periods:
            if period in done:
                continue
            url = f"{self.base_url}/opendata/pardok-wp{period}.xml"
            # After an interruption the export is read again in full: a 304 would skip the rest.
            try:
                fetched = self.client.get(url, conditional=not checkpoint.get("resuming"))
            except HarvestHttpError as error:
                if error.status != 404:
                    raise
                # A period whose export is not (or no longer) published: said, and the others still read.
                done.add(period)
                yield Page([], {"periods_done": sorted(done)}, url, notes=[f"no export for Wahlperiode {period} (HTTP 404)"])
                continue
            done.add(period)
            if fetched.not_modified:
                yield Page([], {"periods_done": sorted(done)}, url)
                continue
            listings = [
                listing for listing in parse_export(fetched.content, url) if listing.withdrawn or _in_window(listing, since, until)
            ]
            yield Page(listings, {"periods_done": sorted(done)}, url)


def _in_window(listing: Listing, since: datetime.date | None, until: datetime.date | None) -> bool:
    day = listing.answered_on or listing.asked_on
    if day is None:
        return True
    return (since is None or day >= since) and (until is None or day <= until)


def parse_export(data: bytes, url: str) -> list[Listing]:
    """The Anfragen (and deletions) in a PARDOK export; ``SourceError`` if it is not one."""
    try:
        root = ET.parse(io.BytesIO(data)).getroot()
    except ET.ParseError as exc:
        raise SourceError(url, f"the export is not well-formed XML ({exc})") from None
    if root.tag != "Export":
        raise SourceError(url, f"not a Parlamentsspiegel export (root element <{root.tag}>)")
    listings: dict[str, Listing] = {}
    for vorgang in root.iter("Vorgang"):
        vid = (vorgang.findtext("VID") or "").strip()
        if not vid:
            raise SourceError(url, "a <Vorgang> without <VID>")
        if (vorgang.findtext("VFunktion") or "").strip() == "delete":
            listings[vid] = Listing(external_id=vid, withdrawn=True, version="deleted")
            continue
        if (vorgang.findtext("VTyp") or "") != "Anfrage":
            continue
        listings[vid] = _anfrage(vid, vorgang)
    return list(listings.values())


def _anfrage(vid: str, vorgang: ET.Element) -> Listing:
    documents = vorgang.findall("Dokument")
    question = next((d for d in documents if "Anfrage" in (d.findtext("DokTypL") or "")), None)
    answer = next((d for d in documents if (d.findtext("DokTypL") or "") == "Antwort"), None)
    asked = question if question is not None else ET.Element("Dokument")
    answered = answer if answer is not None else ET.Element("Dokument")
    return Listing(
        external_id=vid,
        reference=(answered.findtext("DokNr") or asked.findtext("DokNr") or "").strip(),
        title=(asked.findtext("Titel") or "").strip(),
        document_url=(answered.findtext("LokURL") or "").strip() or None,
        version=hashlib.sha256(ET.tostring(vorgang)).hexdigest()[:40],
        askers=_askers(asked.findtext("Urheber") or ""),
        asked_on=_date(asked.findtext("DokDat")),
        answered_on=_date(answered.findtext("DokDat")),
        ministry=(answered.findtext("Urheber") or "").strip() or None,
    )


_ASKER = re.compile(r"^\s*(?P<last>[^,;()]+),\s*(?P<first>[^;()]+?)\s*(?:\((?P<faction>[^()]+)\))?\s*$")


def _askers(printed: str) -> list[dict[str, str | None]] | None:
    """"Otto, Andreas (Grüne)" → Andreas Otto of the Grüne; several are separated by ";"."""
    askers = []
    for part in printed.split(";"):
        match = _ASKER.match(part)
        if match:
            askers.append({"name": f"{match['first']} {match['last']}".strip(), "faction": (match["faction"] or "").strip() or None})
    return askers or None


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.datetime.strptime((value or "").strip(), "%d.%m.%Y").date()
    except ValueError:
        return None
