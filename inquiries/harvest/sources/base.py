"""What every source adapter provides: its listing, page by page, as ``Listing`` entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator

from inquiries.harvest.http import PoliteClient


class SourceError(Exception):
    """The source answered with something the adapter cannot read; ``url`` names where."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class SourceNotReady(Exception):
    """The source cannot be harvested here as configured (no API key, not implemented …)."""


@dataclass
class Listing:
    """One inquiry as the source lists it.

    ``document_url`` is the answer's document (None while unanswered); ``version`` is the
    source's change mark for the entry (empty when the source has none, then the document
    is fetched conditionally each time); ``withdrawn`` says the source deleted the entry.
    Structured fields (askers, dates, ministry) are None when the source does not give them.
    """

    external_id: str
    reference: str = ""
    title: str = ""
    document_url: str | None = None
    version: str = ""
    withdrawn: bool = False
    page_url: str = ""
    askers: list[dict[str, str | None]] | None = None
    asked_on: datetime.date | None = None
    answered_on: datetime.date | None = None
    ministry: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "reference": self.reference,
            "title": self.title,
            "document_url": self.document_url,
            "version": self.version,
            "withdrawn": self.withdrawn,
            "page_url": self.page_url,
            "askers": self.askers,
            "asked_on": self.asked_on.isoformat() if self.asked_on else None,
            "answered_on": self.answered_on.isoformat() if self.answered_on else None,
            "ministry": self.ministry,
        }


@dataclass
class Page:
    """Entries of one page of the listing, and the checkpoint to resume after them.

    ``notes`` are problems that did not stop the listing (e.g. an export not published);
    the run records them among its errors with the page's ``url``.
    """

    listings: list[Listing]
    checkpoint: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    notes: list[str] = field(default_factory=list)


class Source:
    """A parliament's documentation system. Subclasses implement ``pages``."""

    code: ClassVar[str]
    parliament: ClassVar[str]
    interface: ClassVar[str]
    # Whether the source gives askers, dates and ministry as data (then they take precedence).
    structured: ClassVar[bool] = False
    implemented: ClassVar[bool] = True
    # A recorded real answer of the source is among the tests' fixtures.
    tested: ClassVar[bool] = True
    # What ``--list`` must say about the source besides its state (a known limit), or "",
    # and the state it shows instead of "working" while that limit stands.
    caveat: ClassVar[str] = ""
    limited_state: ClassVar[str] = ""
    default_base_url: ClassVar[str] = ""

    def __init__(self, client: PoliteClient, *, base_url: str | None = None) -> None:
        self.client = client
        self.base_url = (base_url or self.default_base_url).rstrip("/")

    def missing_configuration(self) -> str | None:
        """Why the source cannot run as configured, or None."""
        return None

    def still_there(self, external_id: str) -> bool | None:
        """Whether the source still has the entry (``harvest --verify``); None: it cannot be asked."""
        return None

    def pages(
        self, *, since: datetime.date | None, until: datetime.date | None, checkpoint: dict[str, Any]
    ) -> Iterator[Page]:
        """The listing from ``checkpoint`` on (empty: from the start) for the window."""
        raise NotImplementedError
