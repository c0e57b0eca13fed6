"""The Parlamentsspiegel: the Länder's shared portal (run by the Landtag NRW), as the
fallback list for every Land without an interface of its own.

It has no API and keeps no documents; its search page (``GET /suche``) lists Vorgänge as
``<div class="ps-vorgang">`` blocks linking the owning Landtag's PDFs. The class names are
the contract: a block without them is reported, never taken for an empty Land. Within a
block, the Kleine Anfrage comes first; the answer, once given, is a follow-up document
after ``ps-folge-dok``. Bayern files question and answer as one paper, listed alone.

The listing is metadata read from HTML, so the document's own text is not overruled by it
(``structured = False``); it only fills what the parser could not find.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Iterator

from inquiries.harvest.sources.base import Listing, Page, Source, SourceError
from inquiries.importers import german

PAGE_SIZE = 50
MAX_PAGES = 200
_BLOCK = re.compile(r'<div class="ps-vorgang">')
_ID = re.compile(r"ps-detail-([A-Z]+)_V([A-Za-z0-9]+)_D([A-Za-z0-9]+)")
_DOCUMENT = re.compile(r'<p class="ps-dokument">(.*?)</p>', re.S)
_HREF = re.compile(r'href="(https?://[^"]+)"')
_NUMBER = re.compile(r"<span[^>]*>\s*(?:Drucksache|Dokument)\s+0*(\d{1,2})\s*/\s*0*(\d+)\s*</span>")
_SPANS = re.compile(r"<span(?:\s[^>]*)?>([^<]*)</span>")
_TITLE = re.compile(r'<p class="ps-titel h5[^"]*"[^>]*>.*?<span>(.*?)</span>', re.S)
_AUTHORS = re.compile(r'<p class="ps-urheber[^"]*">.*?</span>:\s*<span>(.*?)</span>', re.S)
_FUNDSTELLE = re.compile(r'<p class="ps-fundstelle[^"]*">.*?<span>(.*?)</span>\s*</p>', re.S)
# Question and answer in one paper: Bayern always; elsewhere when the Fundstelle says so.
_COMBINED = re.compile(r"\bAnfrage\b.{0,120}?\bund\s+Antwort\b", re.S)
COMBINED_LANDS = {"BAY"}


class ParlamentsspiegelSource(Source):
    code = "parlamentsspiegel"
    parliament = ""
    interface = "Parlamentsspiegel search results (HTML), all 16 Länder, fallback list"
    structured = False
    incremental = True
    default_base_url = "https://www.parlamentsspiegel.de"

    def __init__(self, client, *, base_url: str | None = None, herkunft: str | None = None) -> None:
        super().__init__(client, base_url=base_url)
        self.herkunft = herkunft

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        params: dict[str, str | int] = {"qyVTyp": "Anfrage", "fqDTyp": "KlAnfr", "type": "vorgang", "als": 0, "size": PAGE_SIZE}
        if self.herkunft:
            params["qyHerk"] = self.herkunft
        if since:
            params["qyZeitAb"] = since.strftime("%d.%m.%Y")
        if until:
            params["qyZeitBis"] = until.strftime("%d.%m.%Y")
        page = int(checkpoint.get("page") or 0)
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            fetched = self.client.get(f"{self.base_url}/suche", params={**params, "page": page}, conditional=False)
            text = fetched.content.decode("utf-8", "replace")
            blocks = _BLOCK.split(text)[1:]
            if not blocks:
                if page == 0 and "iTreffer" not in text:
                    raise SourceError(fetched.url, "no result list (id iTreffer): the portal's markup may have changed")
                return
            listings = [parse_block(block, fetched.url) for block in blocks]
            fresh = [listing for listing in listings if listing.external_id not in seen]
            seen.update(listing.external_id for listing in fresh)
            page += 1
            yield Page(fresh, {"page": page}, fetched.url)
            # A page that adds nothing means the paging parameter did not move: stop rather than loop.
            if not fresh or len(blocks) < PAGE_SIZE:
                return


def parse_block(block: str, url: str) -> Listing:
    ids = _ID.search(block)
    if ids is None:
        raise SourceError(url, "a result without its ps-detail id")
    herkunft, vorgang = ids[1], ids[2]
    head, _, tail = block.partition('class="ps-folge-dok"')
    question = _DOCUMENT.search(head)
    if question is None:
        raise SourceError(url, f"{herkunft}_V{vorgang}: a result without its document")
    question_number = _NUMBER.search(question[1])
    if question_number is None:
        raise SourceError(url, f"{herkunft}_V{vorgang}: no Drucksache number in the result")
    summary = " ".join(_clean(span) for span in _SPANS.findall(question[1]))
    fundstelle = _text(_FUNDSTELLE, head)
    answer_url = answer_reference = None
    answered_on = ministry = None
    for document in _DOCUMENT.findall(tail):
        description = " ".join(_clean(span) for span in _SPANS.findall(document))
        if re.search(r"\bAntwort\b", description):
            href, number = _HREF.search(document), _NUMBER.search(document)
            answer_url = href[1] if href else None
            answer_reference = f"{number[1]}/{number[2]}" if number else None
            answered_on = _last_date(description)
            ministry = _ministry(description)
            break
    if answer_url is None and (herkunft in COMBINED_LANDS or _COMBINED.search(fundstelle)):
        href = _HREF.search(question[1])
        answer_url = href[1] if href else None
        answer_reference = f"{question_number[1]}/{question_number[2]}"
    asked_on = german.parse_date(summary)
    return Listing(
        external_id=f"{herkunft}_V{vorgang}",
        reference=answer_reference or f"{question_number[1]}/{question_number[2]}",
        title=_text(_TITLE, head),
        document_url=html.unescape(answer_url) if answer_url else None,
        version=f"{answer_reference or ''}:{answered_on or ''}",
        askers=_askers(_text(_AUTHORS, head)),
        asked_on=asked_on,
        answered_on=answered_on,
        ministry=ministry,
    )


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(value)).strip()


def _text(pattern: re.Pattern, text: str) -> str:
    match = pattern.search(text)
    return _clean(match[1]) if match else ""


def _last_date(text: str) -> datetime.date | None:
    dates = re.findall(r"\d{1,2}\.\d{1,2}\.\d{4}", text)
    return german.parse_date(dates[-1]) if dates else None


def _ministry(description: str) -> str | None:
    """"Thüringen - Antwort auf Kleine Anfrage. Ministerium für … (8. Wp), TMUENF - Drucksache …" → the ministry."""
    match = re.search(r"Antwort[^.]*\.\s*(.+?)\s+-\s+Drucksache", description)
    if not match:
        return None
    return re.sub(r"\s*\(\d+\.\s*Wp\).*$", "", match[1]).strip() or None


def _askers(printed: str) -> list[dict[str, str | None]] | None:
    """"Hoffmann, Nadine, AfD" or "Jörg Baumann (AfD); Richard Graupner (AfD)" → askers."""
    askers = []
    for part in (part.strip() for part in printed.split(";")):
        in_parens = re.match(r"^(.+?)\s*\(([^()]+)\)$", part)
        pieces = [piece.strip() for piece in part.split(",")]
        if in_parens:
            askers.append({"name": in_parens[1].strip(), "faction": in_parens[2].strip()})
        elif len(pieces) == 3:
            askers.append({"name": f"{pieces[1]} {pieces[0]}", "faction": pieces[2]})
        elif part:
            askers.append({"name": part, "faction": None})
    return askers or None
