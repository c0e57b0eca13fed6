"""Bundestag: the DIP API (https://search.dip.bundestag.de/api/v1), JSON with cursor pages.

A Kleine Anfrage is a Vorgang with two Vorgangspositionen, the question ("Kleine Anfrage")
and the government's answer ("Antwort"), each a Drucksache with its PDF. The listing asks
for the positions changed in the window (``f.aktualisiert.start``/``.end``) and groups them
by Vorgang; a Vorgang of which the page holds only one half is completed with a request for
its positions. The end of the listing is a cursor that no longer moves.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, Iterator

from django.conf import settings

from inquiries.harvest.http import HarvestHttpError
from inquiries.harvest.sources.base import Listing, Page, Source, SourceError

PATH = "/api/v1/vorgangsposition"
QUESTION, ANSWER = "Kleine Anfrage", "Antwort"
# A guard against a cursor that never settles.
MAX_PAGES = 10_000


class BundestagSource(Source):
    code = "bt"
    parliament = "BT"
    interface = "DIP API (JSON, cursor pages, f.aktualisiert.start)"
    structured = True
    incremental = True
    default_base_url = "https://search.dip.bundestag.de"

    def __init__(self, client, *, base_url: str | None = None, api_key: str | None = None) -> None:
        super().__init__(client, base_url=base_url)
        self.api_key = settings.DIP_API_KEY if api_key is None else api_key

    def missing_configuration(self) -> str | None:
        if not self.api_key:
            return "bt: DIP_API_KEY is not set (the Bundestag publishes a public key on its DIP API page)"
        return None

    def _get(self, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        # The key goes in a header, so that it stays out of logged and stored addresses.
        fetched = self.client.get(
            f"{self.base_url}{PATH}",
            params={**params, "format": "json"},
            headers={"Authorization": f"ApiKey {self.api_key}", "Accept": "application/json"},
            conditional=False,
        )
        try:
            body = json.loads(fetched.content)
        except ValueError:
            raise SourceError(fetched.url, "DIP answered with something that is not JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("documents", []), list):
            raise SourceError(fetched.url, "DIP answered without a list of documents")
        return fetched.url, body

    def still_there(self, external_id: str) -> bool:
        """DIP answers ``GET /vorgang/{id}`` with 404 for a Vorgang it does not (or no longer) have.

        As far as we know, DIP's listing never says that something was removed (no deleted flag,
        no list of removed ids): a Vorgang that is gone simply stops appearing, so only asking
        for it tells.
        """
        try:
            self.client.get(
                f"{self.base_url}/api/v1/vorgang/{external_id}",
                params={"format": "json"},
                headers={"Authorization": f"ApiKey {self.api_key}", "Accept": "application/json"},
                conditional=False,
            )
        except HarvestHttpError as error:
            if error.status == 404:
                return False
            raise
        return True

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        params: dict[str, Any] = {"f.vorgangstyp": QUESTION}
        if since:
            params["f.aktualisiert.start"] = f"{since.isoformat()}T00:00:00"
        if until:
            params["f.aktualisiert.end"] = f"{until.isoformat()}T23:59:59"
        cursor = checkpoint.get("cursor")
        # DIP may hand out the last page again with the cursor that no longer moves.
        seen: set[str] = set()
        for _page in range(MAX_PAGES):
            url, body = self._get({**params, **({"cursor": cursor} if cursor else {})})
            positions = body.get("documents") or []
            next_cursor = body.get("cursor")
            listings = [listing for listing in self._listings(positions, url) if listing.external_id not in seen]
            seen.update(listing.external_id for listing in listings)
            yield Page(listings, {"cursor": next_cursor}, url)
            if not positions or not next_cursor or next_cursor == cursor:
                return
            cursor = next_cursor

    def _listings(self, positions: list[dict[str, Any]], url: str) -> list[Listing]:
        groups: dict[str, list[dict[str, Any]]] = {}
        for position in positions:
            if not isinstance(position, dict) or not position.get("vorgang_id"):
                raise SourceError(url, "a Vorgangsposition without vorgang_id")
            groups.setdefault(str(position["vorgang_id"]), []).append(position)
        listings = []
        for vorgang_id, group in groups.items():
            kinds = {position.get("vorgangsposition") for position in group}
            if not {QUESTION, ANSWER} <= kinds:
                _url, body = self._get({"f.vorgang": vorgang_id})
                group = body.get("documents") or group
            listings.append(vorgang_listing(vorgang_id, group))
        return listings


def vorgang_listing(vorgang_id: str, positions: list[dict[str, Any]]) -> Listing:
    """The listing of one Vorgang from its positions (question and, once given, answer)."""
    question = next((p for p in positions if p.get("vorgangsposition") == QUESTION), None)
    answer = next((p for p in positions if p.get("vorgangsposition") == ANSWER), None)
    question_paper = (question or {}).get("fundstelle") or {}
    answer_paper = (answer or {}).get("fundstelle") or {}
    return Listing(
        external_id=vorgang_id,
        reference=answer_paper.get("dokumentnummer") or question_paper.get("dokumentnummer") or "",
        title=(question or answer or {}).get("titel") or "",
        document_url=answer_paper.get("pdf_url") or None,
        version=max((str(p.get("aktualisiert") or "") for p in positions), default=""),
        askers=_askers(question),
        asked_on=_date(question_paper.get("datum")),
        answered_on=_date(answer_paper.get("datum")),
        ministry=_lead_ministry(answer),
    )


def _askers(question: dict[str, Any] | None) -> list[dict[str, str | None]] | None:
    """The MdBs of the question ("Dr. Julia Verlinden, MdB, BÜNDNIS 90/DIE GRÜNEN"), or None."""
    askers = []
    for activity in (question or {}).get("aktivitaet_anzeige") or []:
        parts = [part.strip() for part in str(activity.get("titel") or "").split(",")]
        if not parts or not parts[0]:
            continue
        faction = parts[2] if len(parts) > 2 else None
        askers.append({"name": parts[0], "faction": faction})
    return askers or None


def _lead_ministry(answer: dict[str, Any] | None) -> str | None:
    """The ministry DIP marks as lead (``federfuehrend``); the only one if there is one."""
    ressorts = [r for r in (answer or {}).get("ressort") or [] if isinstance(r, dict)]
    lead = [r for r in ressorts if r.get("federfuehrend")]
    chosen = lead[0] if lead else (ressorts[0] if len(ressorts) == 1 else None)
    return (chosen or {}).get("titel") or None


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
