"""Rows → OParl 1.1 objects (plain dicts ready for JSON).

Objects are loaded by ``inquiries.oparl.selectors`` (which annotates
``oparl_created``/``oparl_modified``). Following the spec, empty values are left
out, an embedded object drops the reference back to its parent, and a deleted
object keeps only ``id``, ``type``, ``created``, ``modified`` and ``deleted``.
Properties of our own carry the vendor prefix ``AnfragenPortal:``.
"""

from __future__ import annotations

import datetime
import mimetypes
import posixpath
from typing import Any, Mapping
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Faction, Inquiry, InquiryKind, InquiryState, Membership, MinisterialOffice, Ministry, Parliament, Person, Term
from inquiries.oparl.selectors import FileKind

OPARL_VERSION = "https://schema.oparl.org/1.1/"
VENDOR = "AnfragenPortal"
SYSTEM_NAME = "Anfragen-Portal"

# Fixed German names: OParl clients compare these, so they must not follow the UI language.
PAPER_TYPES = {
    InquiryKind.MINOR: "Kleine Anfrage",
    InquiryKind.MAJOR: "Große Anfrage",
    InquiryKind.WRITTEN: "Schriftliche Frage",
}
FACTION_TYPE = "Fraktion"
MINISTRY_TYPE = "Verwaltungsbereich"
MINISTRY_CLASSIFICATION = "Ministerium"
MEMBER_ROLE = "Mitglied"
OFFICE_ROLE = "Leitung"


def oparl_type(name: str) -> str:
    return f"{OPARL_VERSION}{name}"


class Urls:
    """Absolute URLs of the endpoint's objects and lists, built from the request.

    An object's URL is its OParl id, so these are the only place ids are made.
    """

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def route(self, name: str, *args: Any) -> str:
        return self.absolute(reverse(f"oparl:{name}", args=args))

    def web(self, obj: Any) -> str:
        return self.absolute(obj.get_absolute_url())

    def body(self, parliament: Parliament) -> str:
        return self.route("body", parliament.code.lower())

    def body_list(self, parliament: Parliament, name: str) -> str:
        return self.route(f"body-{name}", parliament.code.lower())

    def term(self, pk: int) -> str:
        return self.route("legislativeterm", pk)

    def faction(self, pk: int) -> str:
        return self.route("organization-faction", pk)

    def ministry(self, pk: int) -> str:
        return self.route("organization-ministry", pk)

    def person(self, pk: int) -> str:
        return self.route("person", pk)

    def membership(self, pk: int) -> str:
        return self.route("membership-faction", pk)

    def office(self, pk: int) -> str:
        return self.route("membership-office", pk)

    def paper(self, pk: int) -> str:
        return self.route("paper", pk)

    def file(self, pk: int, kind: FileKind) -> str:
        return self.route("file", pk, kind.value)


def _datetime(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _object(type_name: str, id_: str, obj: Any, **properties: Any) -> dict[str, Any]:
    """An OParl object: id and type first, empty properties left out, times last."""
    data = {"id": id_, "type": oparl_type(type_name)}
    data.update({key: value for key, value in properties.items() if value not in (None, "", [], {})})
    data["created"] = _datetime(obj.oparl_created)
    data["modified"] = _datetime(obj.oparl_modified)
    return data


def deleted(type_name: str, id_: str, obj: Any) -> dict[str, Any]:
    return {
        "id": id_,
        "type": oparl_type(type_name),
        "created": _datetime(obj.oparl_created),
        "modified": _datetime(obj.oparl_modified),
        "deleted": True,
    }


# --- System, Body, LegislativeTerm ----------------------------------------------------------


def system(urls: Urls, times: Mapping[str, datetime.datetime | None]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": urls.route("system"),
        "type": oparl_type("System"),
        "oparlVersion": OPARL_VERSION,
        "body": urls.route("body-list"),
        "name": SYSTEM_NAME,
        "website": urls.absolute(reverse("inquiries:home")),
    }
    if times.get("created"):
        data["created"] = _datetime(times["created"])
        data["modified"] = _datetime(times["modified"])
    return data


def body(urls: Urls, parliament: Parliament) -> dict[str, Any]:
    data = _object(
        "Body",
        urls.body(parliament),
        parliament,
        system=urls.route("system"),
        shortName=parliament.code,
        name=parliament.name,
        classification="Parlament",
        organization=urls.body_list(parliament, "organizations"),
        person=urls.body_list(parliament, "persons"),
        meeting=urls.body_list(parliament, "meetings"),
        paper=urls.body_list(parliament, "papers"),
        file=urls.body_list(parliament, "files"),
        membership=urls.body_list(parliament, "memberships"),
        legislativeTermList=urls.body_list(parliament, "legislativeterms"),
    )
    # Required, so it stays even when empty.
    data["legislativeTerm"] = [legislative_term(urls, term, embedded=True) for term in parliament.terms.all()]
    return data


def legislative_term(urls: Urls, term: Term, *, embedded: bool = False) -> dict[str, Any]:
    return _object(
        "LegislativeTerm",
        urls.term(term.pk),
        term,
        body=None if embedded else urls.route("body", term.parliament.code.lower()),
        name=f"{term.number}. Wahlperiode",
        startDate=_date(term.start_date),
        endDate=_date(term.end_date),
    )


# --- Organization: factions and ministries ----------------------------------------------------


def faction(urls: Urls, group: Faction) -> dict[str, Any]:
    return _object(
        "Organization",
        urls.faction(group.pk),
        group,
        body=urls.body(group.parliament),
        name=group.name or group.short_name,
        shortName=group.short_name,
        organizationType=FACTION_TYPE,
        classification=FACTION_TYPE,
        membership=[urls.membership(member.pk) for member in group.memberships.all()],
        web=urls.web(group),
        **{f"{VENDOR}:party": (group.party.name or group.party.short_name) if group.party else None},
    )


def ministry(urls: Urls, department: Ministry) -> dict[str, Any]:
    return _object(
        "Organization",
        urls.ministry(department.pk),
        department,
        body=urls.body(department.parliament),
        name=department.name,
        shortName=department.short_name,
        organizationType=MINISTRY_TYPE,
        classification=MINISTRY_CLASSIFICATION,
        startDate=_date(department.valid_from),
        endDate=_date(department.valid_until),
        membership=[urls.office(held.pk) for held in department.offices.all()],
        web=urls.web(department),
        **{f"{VENDOR}:successor": urls.ministry(department.successor_id) if department.successor_id else None},
    )


# --- Person and Membership -------------------------------------------------------------------


def person(urls: Urls, someone: Person) -> dict[str, Any]:
    embedded = [membership(urls, member, embedded=True) for member in someone.memberships.all()]
    embedded += [office(urls, held, embedded=True) for held in someone.offices.all()]
    return _object(
        "Person",
        urls.person(someone.pk),
        someone,
        name=someone.full_name,
        familyName=someone.last_name,
        givenName=someone.first_name,
        title=someone.title.split(),
        membership=embedded,
        web=urls.web(someone),
        **{f"{VENDOR}:wikidata": someone.wikidata_id},
    )


def membership(urls: Urls, member: Membership, *, embedded: bool = False) -> dict[str, Any]:
    return _object(
        "Membership",
        urls.membership(member.pk),
        member,
        person=None if embedded else urls.person(member.person_id),
        organization=urls.faction(member.faction_id),
        role=MEMBER_ROLE,
        startDate=_date(member.start_date),
        endDate=_date(member.end_date),
        **{f"{VENDOR}:constituency": member.constituency},
    )


def office(urls: Urls, held: MinisterialOffice, *, embedded: bool = False) -> dict[str, Any]:
    return _object(
        "Membership",
        urls.office(held.pk),
        held,
        person=None if embedded else urls.person(held.person_id),
        organization=urls.ministry(held.ministry_id),
        role=held.role or OFFICE_ROLE,
        startDate=_date(held.start_date),
        endDate=_date(held.end_date),
    )


# --- Paper and File ---------------------------------------------------------------------------


def _is_deleted(inquiry: Inquiry) -> bool:
    return inquiry.state != InquiryState.PUBLISHED


def _paper_date(inquiry: Inquiry) -> datetime.date | None:
    """The date printed on the paper: the answer's, or the inquiry's while unanswered."""
    return inquiry.answered_on or inquiry.asked_on


def _unique(values: list[int]) -> list[int]:
    return list(dict.fromkeys(values))


def paper(urls: Urls, inquiry: Inquiry, related: Mapping[tuple[int, str], int]) -> dict[str, Any]:
    """``related`` maps (parliament id, reference) to the pk of a published paper."""
    if _is_deleted(inquiry):
        return deleted("Paper", urls.paper(inquiry.pk), inquiry)
    askers = list(inquiry.asker_links.all())
    factions = _unique([group.pk for group in inquiry.factions.all()] + [link.faction_id for link in askers if link.faction_id])
    related_ids = [related.get((inquiry.parliament_id, reference)) for reference in inquiry.related_references]
    files = [kind for kind, present in ((FileKind.DOCUMENT, inquiry.document), (FileKind.SOURCE, inquiry.source_url)) if present]
    return _object(
        "Paper",
        urls.paper(inquiry.pk),
        inquiry,
        body=urls.body(inquiry.parliament),
        name=inquiry.title,
        reference=inquiry.reference,
        date=_date(_paper_date(inquiry)),
        paperType=PAPER_TYPES[InquiryKind(inquiry.kind)],
        relatedPaper=[urls.paper(pk) for pk in _unique([pk for pk in related_ids if pk and pk != inquiry.pk])],
        mainFile=file(urls, inquiry, files[0], embedded=True) if files else None,
        auxiliaryFile=[file(urls, inquiry, kind, embedded=True) for kind in files[1:]],
        originatorPerson=[urls.person(pk) for pk in _unique([link.person_id for link in askers])],
        originatorOrganization=[urls.faction(pk) for pk in factions],
        underDirectionOf=[urls.ministry(inquiry.answering_ministry_id)] if inquiry.answering_ministry_id else [],
        keyword=list(inquiry.topics),
        web=urls.web(inquiry),
        **{
            f"{VENDOR}:askedOn": _date(inquiry.asked_on),
            f"{VENDOR}:answeredOn": _date(inquiry.answered_on),
            f"{VENDOR}:sourceNotice": inquiry.source_notice,
        },
    )


def _file_name(path: str) -> str:
    return posixpath.basename(unquote(urlsplit(path).path))


def file(urls: Urls, inquiry: Inquiry, kind: FileKind, *, embedded: bool = False) -> dict[str, Any]:
    """The paper's original document (``DOCUMENT``) or its copy at the source (``SOURCE``)."""
    id_ = urls.file(inquiry.pk, kind)
    if _is_deleted(inquiry):
        # OParl requires accessUrl on every File; a withdrawn document is no longer
        # served, so it points to this tombstone rather than to the content.
        return deleted("File", id_, inquiry) | {"accessUrl": id_}
    if kind == FileKind.DOCUMENT:
        access_url, name = urls.absolute(inquiry.document.url), f"Drucksache {inquiry.reference}"
    else:
        access_url, name = inquiry.source_url, f"Drucksache {inquiry.reference} (Quelle)"
    file_name = _file_name(access_url)
    return _object(
        "File",
        id_,
        inquiry,
        name=name,
        fileName=file_name,
        mimeType=mimetypes.guess_type(file_name)[0] if file_name else None,
        date=_date(_paper_date(inquiry)),
        accessUrl=access_url,
        paper=None if embedded else [urls.paper(inquiry.pk)],
        **{f"{VENDOR}:sourceNotice": inquiry.source_notice},
    )
