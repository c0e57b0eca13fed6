"""Bremen: the Bürgerschaft's PARiS, a STARWEB installation (a stateful HTML form, no API).

A search is a handshake:

1. GET ``servlet.starweb?path=paris/LISSH.web``, the advanced search form; its hidden inputs
   carry the session (``__websessionID``, ``__sessionNumber`` …), and the "Anzeigen" control
   names the ``__action`` number it submits in its own ``caSubmit(this,self,'20',…)`` call;
2. POST every hidden field back with the search fields and that ``__action``;
3. read the result page: one ``<tbody name="RecordRepeater">`` per hit, each linking its PDF
   on www.bremische-buergerschaft.de directly.

The type is selected through Dokumenttyp (``07_LISSH_DTYP``); Vorgangstyp silently matches
nothing. The Senate answers a Kleine Anfrage in a Drucksache of its own that reprints the
question, filed as "Kleine Anfrage und Antwort des Senats" (one paper, like Mecklenburg-
Vorpommern's); the question alone is filed as "Kleine Anfrage". Both are asked for at once
(several values separated by "; "): the answered papers are imported, the open questions are
listed as not answered yet. A result line reads "Drs 21/1983 , Kleine Anfrage vom 10.09.2026
BIW" for the Landtag and "Drs 21/905 S , …" for the Stadtbürgerschaft, whose municipal
questions are skipped (and counted in the run's notes). The line names the Fraktion, not the
members, so the listing carries no askers: the document's own reading stands
(``structured = False``).

A result page shows one segment of the hits ("Anzeige: 1 - 11 von 11 Vorgängen (max.
Trefferanzeige 200)"); when it says there are more than it shows, the date window is halved
and each half searched on its own, so no hit is lost to the paging of the form.
"""

from __future__ import annotations

import datetime
import html
import re
from typing import Iterator

from django.utils import timezone

from inquiries.harvest.sources.base import Listing, Page, Source, SourceError

SERVLET = "/starweb/paris/servlet.starweb"
SEARCH_TEMPLATE = "paris/LISSH.web"
SEARCH_CONTROL = "SearchAndDisplayAction"
ANSWERED, ASKED = "Kleine Anfrage und Antwort des Senats", "Kleine Anfrage"
FIELD_DOCUMENT_TYPE, FIELD_PERIOD, FIELD_FROM, FIELD_TO = "07_LISSH_DTYP", "12_LISSH_WP", "13_LISSH_FASTDATV", "14_LISSH_FASTDATB"
# The 21st Wahlperiode began on 08.06.2023 (the search form's list of periods).
PERIOD, PERIOD_START = 21, datetime.date(2023, 6, 8)

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'\b(name|value|type)="([^"]*)"', re.I)
_BLOCK = re.compile(r'<tbody\b[^>]*name="RecordRepeater"[^>]*>(.*?)</tbody\s*>', re.I | re.S)
_LINE = re.compile(r"Drs\s+(\d{1,2})/(\d+)\s*(S)?\s*,\s*([^,]*?)\s+vom\s+(\d{1,2}\.\d{1,2}\.\d{4})\s*(.*)$")
_TITLE = re.compile(r'name="MoreDLink"\s*>(.*?)</a', re.S)
_RECORD_ID = re.compile(r"\bID=([A-Z]-\d+)")
_PDF = re.compile(r'href="(https?://[^"]+\.pdf)"', re.I)
_TOTAL = re.compile(r"Anzeige:\s*\d+\s*-\s*(\d+)\s*von\s*(\d+)")


class BremenSource(Source):
    code = "hb"
    parliament = "HB"
    interface = "PARiS (STARWEB forms: session handshake, Dokumenttyp 'Kleine Anfrage')"
    structured = False
    incremental = True
    default_base_url = "https://paris.bremische-buergerschaft.de"
    # The answered paper's Dokumenttyp is known from kleineanfragen.de's PARiS scraper, not
    # from a recorded answer of PARiS: said where the state is shown.
    limited_state = "answers unverified"
    caveat = (
        "answers are searched as Dokumenttyp 'Kleine Anfrage und Antwort des Senats' (kleineanfragen.de's "
        "PARiS scraper); the recorded PARiS answer holds questions only and no Bremen document is among the "
        "test documents, so an answered row and its import are untested"
    )

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        windows = checkpoint.get("windows")
        if windows is None:
            windows = [[(since or PERIOD_START).isoformat(), (until or timezone.localdate()).isoformat()]]
        windows = [list(window) for window in windows]
        while windows:
            first, last = (datetime.date.fromisoformat(day) for day in windows[0])
            url, text = self._search(first, last)
            blocks = _BLOCK.findall(text)
            if not blocks:
                if not re.search(r"keine\s+Treffer", _text(text), re.I):
                    # Neither hits nor "keine Treffer": the template changed or the session was refused.
                    raise SourceError(url, "the PARiS result page held neither records nor a no-hits message")
                windows = windows[1:]
                yield Page([], {"windows": windows}, url)
                continue
            shown = _TOTAL.search(_text(text))
            if shown and int(shown[2]) > len(blocks):
                if first >= last:
                    raise SourceError(url, f"{shown[2]} hits on {first:%d.%m.%Y} alone, more than one result page shows")
                middle = first + (last - first) // 2
                windows = [[first.isoformat(), middle.isoformat()], [(middle + datetime.timedelta(days=1)).isoformat(), last.isoformat()], *windows[1:]]
                continue
            listings, notes = parse_results(blocks, url)
            windows = windows[1:]
            yield Page(listings, {"windows": windows}, url, notes=notes)

    def _search(self, first: datetime.date, last: datetime.date) -> tuple[str, str]:
        servlet = f"{self.base_url}{SERVLET}"
        form_page = self.client.get(servlet, params={"path": SEARCH_TEMPLATE}, conditional=False)
        form = form_page.content.decode("utf-8", "replace")
        fields = hidden_fields(form)
        action = action_of(form, SEARCH_CONTROL)
        if "__websessionID" not in fields or action is None:
            raise SourceError(form_page.url, "the PARiS search form carried no session (no __websessionID or search action)")
        search = {
            FIELD_DOCUMENT_TYPE: f"{ANSWERED}; {ASKED}",
            FIELD_PERIOD: str(PERIOD),
            FIELD_FROM: first.strftime("%d.%m.%Y"),
            FIELD_TO: last.strftime("%d.%m.%Y"),
        }
        fetched = self.client.post_form(servlet, {**fields, **search, "__action": action}, headers={"Accept": "text/html"})
        return servlet, fetched.content.decode("utf-8", "replace")


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden input of a STARWEB page, by name (the session travels in them)."""
    fields: dict[str, str] = {}
    for tag in _INPUT.findall(page):
        attributes = {key.lower(): value for key, value in _ATTRIBUTE.findall(tag)}
        if attributes.get("type", "").lower() == "hidden" and attributes.get("name"):
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


def action_of(page: str, control: str) -> str | None:
    """The ``__action`` number the named control submits, read from its ``caSubmit`` call."""
    at = page.find(f'name="{control}"')
    if at < 0:
        return None
    calls = re.findall(r"caSubmit\(this,\s*self,\s*'(\d+)'", page[max(0, at - 400) : at])
    return calls[-1] if calls else None


def parse_results(blocks: list[str], url: str) -> tuple[list[Listing], list[str]]:
    """The Landtag's Kleine Anfragen among the result rows, and notes on the rows skipped."""
    listings: list[Listing] = []
    notes: list[str] = []
    city = 0
    for block in blocks:
        text = _text(block)
        line = _LINE.search(text)
        if line is None:
            raise SourceError(url, f"a result row without its 'Drs …, … vom …' line: {text[:120]!r}")
        reference = f"{line[1]}/{line[2]}"
        if line[3] == "S":
            city += 1  # the Stadtbürgerschaft's questions go to the city, not to the Land's government
            continue
        kind = re.sub(r"\s+", " ", line[4]).strip()
        answered = kind.casefold() == ANSWERED.casefold()
        if not answered and kind.casefold() != ASKED.casefold():
            notes.append(f"Drs {reference}: a {kind!r}, not a Kleine Anfrage: skipped")
            continue
        pdf, record = _PDF.search(block), _RECORD_ID.search(block)
        if record is None or (answered and pdf is None):
            notes.append(f"Drs {reference}: the row links no PDF: skipped")
            continue
        title = _TITLE.search(block)
        day = datetime.datetime.strptime(line[5], "%d.%m.%Y").date()
        listings.append(
            Listing(
                external_id=record[1],
                reference=reference,
                title=_text(title[1]) if title else "",
                # An open question is listed (and counted nowhere) until its answer's paper comes.
                document_url=html.unescape(pdf[1]) if answered and pdf else None,
                version=f"{reference}:{line[5]}",
                answered_on=day if answered else None,
                asked_on=None if answered else day,
            )
        )
    if city:
        notes.append(f"{city} Kleine Anfrage(n) of the Stadtbürgerschaft: skipped (municipal, not the Land's)")
    return listings, notes


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()

