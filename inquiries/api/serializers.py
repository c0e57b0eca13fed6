"""Serializers of the API v1: compact list items, complete details, tombstones and errors.

Every field has a ``help_text``: it is the field's description in the OpenAPI schema.
An inquiry's detail is exactly its inquiry.v1 record (``exchange.inquiry_to_record``),
so that it can be fed to ``import_inquiries`` as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from inquiries.answer_kinds import AnswerKind, RefusalReason
from inquiries.api.selectors import Tombstone
from inquiries.choices import DeadlineStatus, InquiryState
from inquiries.exchange import FORMAT, inquiry_to_record
from inquiries.models import Faction, Inquiry, InquiryKind, Ministry, Party, Person, RemovalKind
from inquiries.models.parliament import PARLIAMENT_CODES

MODIFIED_AT_HELP = (
    "When this object, or anything it shows, last changed; `modified_since` filters on it and sync lists are "
    "ordered by it."
)


def api_url(request: Any, name: str, pk: int) -> str:
    path = reverse(f"api:{name}-detail", kwargs={"pk": pk})
    return request.build_absolute_uri(path) if request is not None else path


def inquiries_url(request: Any, **params: str) -> str:
    """The API's inquiry list filtered by ``params``."""
    from urllib.parse import urlencode

    path = f"{reverse('api:inquiry-list')}?{urlencode(params)}"
    return request.build_absolute_uri(path) if request is not None else path


class LinkedSerializer(serializers.Serializer):
    """Adds ``url``, the object's address in the API."""

    url_name = ""
    url = serializers.SerializerMethodField(help_text="Address of this object in the API.")

    def get_url(self, obj: Any) -> str:
        return api_url(self.context.get("request"), self.url_name, obj.pk)


def web_url(serializer: serializers.Serializer, obj: Any) -> str:
    request = serializer.context.get("request")
    path = obj.get_absolute_url()
    return request.build_absolute_uri(path) if request is not None else path


# --- parliaments, terms, parties, factions ---------------------------------------------------


class TermSerializer(LinkedSerializer):
    url_name = "term"
    id = serializers.IntegerField(help_text="Stable identifier of the term.")
    parliament = serializers.CharField(source="parliament.code", help_text="Code of the parliament (BT, BW, NI …).")
    number = serializers.IntegerField(help_text="Number of the legislative term (Wahlperiode), e.g. 17.")
    start_date = serializers.DateField(allow_null=True, help_text="First day of the term, if known.")
    end_date = serializers.DateField(allow_null=True, help_text="Last day of the term; null while it runs or if unknown.")
    inquiry_count = serializers.IntegerField(help_text="Number of published inquiries of this term.")
    modified_at = serializers.DateTimeField(help_text=MODIFIED_AT_HELP)


class TermBriefSerializer(LinkedSerializer):
    url_name = "term"
    id = serializers.IntegerField(help_text="Stable identifier of the term.")
    number = serializers.IntegerField(help_text="Number of the legislative term.")
    start_date = serializers.DateField(allow_null=True, help_text="First day of the term, if known.")
    end_date = serializers.DateField(allow_null=True, help_text="Last day of the term, if known and over.")


class ParliamentSerializer(LinkedSerializer):
    url_name = "parliament"
    id = serializers.IntegerField(help_text="Stable identifier of the parliament.")
    code = serializers.ChoiceField(
        choices=PARLIAMENT_CODES, help_text="BT for the Bundestag, otherwise the state's two-letter code (BW, NI …)."
    )
    name = serializers.CharField(help_text="Name of the parliament, e.g. Landtag von Baden-Württemberg.")
    minor_deadline_days = serializers.IntegerField(
        allow_null=True, help_text="Days the government has to answer a Kleine Anfrage (minor inquiry); null if unknown."
    )
    major_deadline_days = serializers.IntegerField(
        allow_null=True, help_text="Days the government has to answer a Große Anfrage (major inquiry); null if unknown."
    )
    written_deadline_days = serializers.IntegerField(
        allow_null=True, help_text="Days the government has to answer a Schriftliche Frage; null if unknown."
    )
    inquiry_count = serializers.IntegerField(help_text="Number of published inquiries of this parliament.")
    terms = TermBriefSerializer(many=True, help_text="The parliament's legislative terms, newest first.")
    modified_at = serializers.DateTimeField(help_text=MODIFIED_AT_HELP)


class PartySerializer(LinkedSerializer):
    url_name = "party"
    id = serializers.IntegerField(help_text="Stable identifier of the party.")
    short_name = serializers.CharField(help_text="Short name, e.g. FDP.")
    name = serializers.CharField(help_text="Full name; empty if not recorded.")
    slug = serializers.CharField(help_text="Short name for addresses; the `party` filter of factions takes it.")
    faction_ids = serializers.SerializerMethodField(help_text="Ids of the party's parliamentary groups (factions).")

    def get_faction_ids(self, party: Party) -> list[int]:
        return [faction.pk for faction in party.factions.all()]


class FactionSerializer(LinkedSerializer):
    url_name = "faction"
    id = serializers.IntegerField(help_text="Stable identifier of the faction.")
    parliament = serializers.CharField(source="parliament.code", help_text="Code of the parliament the group sits in.")
    short_name = serializers.CharField(help_text="Short name as printed, e.g. FDP/DVP.")
    name = serializers.CharField(help_text="Full name; empty if not recorded.")
    slug = serializers.CharField(
        help_text="Short name for addresses, unique within a parliament; the `faction` filters take it."
    )
    party_id = serializers.IntegerField(allow_null=True, help_text="Id of the party the group belongs to, if any.")
    web_url = serializers.SerializerMethodField(help_text="The faction's page on the website.")
    inquiries_url = serializers.SerializerMethodField(help_text="The API list of the faction's published inquiries.")
    modified_at = serializers.DateTimeField(help_text=MODIFIED_AT_HELP)

    def get_web_url(self, faction: Faction) -> str:
        return web_url(self, faction)

    def get_inquiries_url(self, faction: Faction) -> str:
        return inquiries_url(self.context.get("request"), parliament=faction.parliament.code.lower(), faction=faction.slug)


# --- people --------------------------------------------------------------------------------


class MembershipSerializer(serializers.Serializer):
    faction_id = serializers.IntegerField(help_text="Id of the faction.")
    faction = serializers.CharField(source="faction.short_name", help_text="Short name of the faction.")
    parliament = serializers.CharField(source="faction.parliament.code", help_text="Code of the faction's parliament.")
    start_date = serializers.DateField(allow_null=True, help_text="First day of the membership, if known.")
    end_date = serializers.DateField(allow_null=True, help_text="Last day of the membership; null while it lasts.")
    constituency = serializers.CharField(help_text="Constituency (Wahlkreis); empty if not recorded.")


class OfficeSerializer(serializers.Serializer):
    ministry_id = serializers.IntegerField(help_text="Id of the ministry (under the name it had then).")
    ministry = serializers.CharField(source="ministry.name", help_text="Name of the ministry.")
    role = serializers.CharField(help_text="Title of the office as printed; empty if not recorded.")
    start_date = serializers.DateField(allow_null=True, help_text="First day in office, if known.")
    end_date = serializers.DateField(allow_null=True, help_text="Last day in office; null while in office.")


class PersonSerializer(LinkedSerializer):
    url_name = "person"
    id = serializers.IntegerField(help_text="Stable identifier of the person.")
    name = serializers.CharField(help_text="First and last name without academic title.")
    title = serializers.CharField(help_text="Academic title, e.g. Dr.; empty if none.")
    first_name = serializers.CharField(help_text="First name(s).")
    last_name = serializers.CharField(help_text="Last name.")
    slug = serializers.CharField(help_text="Short name for addresses; the `person` filter of inquiries takes it.")
    wikidata_id = serializers.CharField(help_text="Wikidata item (Q…), empty if not known.")
    memberships = MembershipSerializer(many=True, help_text="Dated memberships of factions, oldest first.")
    web_url = serializers.SerializerMethodField(help_text="The person's page on the website.")
    inquiries_url = serializers.SerializerMethodField(help_text="The API list of the inquiries this person asked.")
    modified_at = serializers.DateTimeField(help_text=MODIFIED_AT_HELP)

    def get_web_url(self, person: Person) -> str:
        return web_url(self, person)

    def get_inquiries_url(self, person: Person) -> str:
        return inquiries_url(self.context.get("request"), person=person.slug)


class PersonDetailSerializer(PersonSerializer):
    offices = OfficeSerializer(many=True, help_text="Ministerial offices held, oldest first.")


# --- ministries ----------------------------------------------------------------------------


class MinistryNameSerializer(LinkedSerializer):
    url_name = "ministry"
    id = serializers.IntegerField(help_text="Id of the ministry under this name.")
    name = serializers.CharField(help_text="The name.")
    valid_from = serializers.DateField(allow_null=True, help_text="First day of this name, if known.")
    valid_until = serializers.DateField(allow_null=True, help_text="Last day of this name; null while current.")


class MinisterSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(help_text="Id of the person.")
    person = serializers.CharField(source="person.full_name", help_text="Name of the minister, with academic title.")
    role = serializers.CharField(help_text="Title of the office as printed; empty if not recorded.")
    start_date = serializers.DateField(allow_null=True, help_text="First day in office, if known.")
    end_date = serializers.DateField(allow_null=True, help_text="Last day in office; null while in office.")


class MinistrySerializer(LinkedSerializer):
    url_name = "ministry"
    id = serializers.IntegerField(help_text="Stable identifier of the ministry under this name.")
    parliament = serializers.CharField(source="parliament.code", help_text="Code of the parliament the government answers to.")
    name = serializers.CharField(help_text="Name, e.g. Ministerium des Inneren, für Digitalisierung und Kommunen.")
    short_name = serializers.CharField(help_text="Short name; empty if not recorded.")
    slug = serializers.CharField(
        help_text="Short name for addresses, unique within a parliament; the `ministry` filter of inquiries takes it."
    )
    valid_from = serializers.DateField(allow_null=True, help_text="First day of this name, if known.")
    valid_until = serializers.DateField(allow_null=True, help_text="Last day of this name; null while current.")
    successor_id = serializers.IntegerField(allow_null=True, help_text="Id of the ministry under its next name, if renamed.")
    predecessor_ids = serializers.SerializerMethodField(help_text="Ids of the ministries under their previous names.")
    web_url = serializers.SerializerMethodField(help_text="The ministry's page on the website.")
    inquiries_url = serializers.SerializerMethodField(help_text="The API list of the inquiries this ministry answered.")
    modified_at = serializers.DateTimeField(help_text=MODIFIED_AT_HELP)

    def get_predecessor_ids(self, ministry: Ministry) -> list[int]:
        return [predecessor.pk for predecessor in ministry.predecessors.all()]

    def get_web_url(self, ministry: Ministry) -> str:
        return web_url(self, ministry)

    def get_inquiries_url(self, ministry: Ministry) -> str:
        return inquiries_url(self.context.get("request"), parliament=ministry.parliament.code.lower(), ministry=ministry.slug)


class MinistryDetailSerializer(MinistrySerializer):
    name_history = serializers.SerializerMethodField(help_text="Every name of this ministry, oldest first, this one included.")
    ministers = MinisterSerializer(source="offices", many=True, help_text="Ministers who headed it under this name.")

    @extend_schema_field(MinistryNameSerializer(many=True))
    def get_name_history(self, ministry: Ministry) -> list[dict[str, Any]]:
        return MinistryNameSerializer(ministry.name_history(), many=True, context=self.context).data


# --- inquiries -----------------------------------------------------------------------------


class InquiryListSerializer(LinkedSerializer):
    """A published inquiry in a list: what a result row shows."""

    url_name = "inquiry"
    id = serializers.IntegerField(help_text="Stable identifier of the inquiry.")
    state = serializers.ChoiceField(
        choices=[InquiryState.PUBLISHED.value],
        help_text="Always `published` for inquiries; tombstones in sync lists say `withdrawn` or `deleted`.",
    )
    parliament = serializers.CharField(source="parliament.code", help_text="Code of the parliament (BT, BW, NI …).")
    term = serializers.IntegerField(source="term.number", help_text="Number of the legislative term.")
    reference = serializers.CharField(help_text="Printed-paper number (Drucksache) as printed, e.g. 17/6206.")
    kind = serializers.ChoiceField(
        choices=InquiryKind.choices,
        help_text="minor = Kleine Anfrage, major = Große Anfrage, written = Schriftliche Frage.",
    )
    title = serializers.CharField(help_text="Title of the inquiry.")
    asked_on = serializers.DateField(allow_null=True, help_text="Date the inquiry was sent to the government; the deadline runs from it.")
    answered_on = serializers.DateField(allow_null=True, help_text="Date of the government's answer; null while unanswered.")
    due_on = serializers.DateField(allow_null=True, help_text="Last day of the answer deadline; null if no rule is known.")
    status = serializers.SerializerMethodField(help_text="answered, open (deadline not yet passed) or overdue, as of today.")
    answer_days = serializers.IntegerField(allow_null=True, help_text="Days from asking to answering; null while unanswered.")
    askers = serializers.SerializerMethodField(help_text="Names of the members who asked, as printed, in printed order.")
    factions = serializers.SerializerMethodField(help_text="Short names of the asking parliamentary groups.")
    answering_ministry = serializers.CharField(
        source="answering_ministry.name", allow_null=True, default=None, help_text="Name of the ministry that answered."
    )
    source_url = serializers.CharField(help_text="Address of the document at its source; empty if not known.")
    source_notice = serializers.CharField(
        help_text="Attribution that must accompany this record wherever it is shown or passed on (e.g. the ODbL "
        "notice of kleineanfragen.de); empty if none."
    )
    web_url = serializers.SerializerMethodField(help_text="The inquiry's page on the website.")
    published_at = serializers.DateTimeField(help_text="When the inquiry was published on the portal.")
    modified_at = serializers.DateTimeField(help_text=MODIFIED_AT_HELP)

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineStatus.choices))
    def get_status(self, inquiry: Inquiry) -> str:
        return str(inquiry.deadline_status(self.context.get("today")))

    def get_askers(self, inquiry: Inquiry) -> list[str]:
        return [link.person.full_name for link in inquiry.asker_links.all()]

    def get_factions(self, inquiry: Inquiry) -> list[str]:
        return sorted(faction.short_name for faction in inquiry.factions.all())

    def get_web_url(self, inquiry: Inquiry) -> str:
        return web_url(self, inquiry)


class TombstoneSerializer(LinkedSerializer):
    """A withdrawn or deleted inquiry in a sync list (``modified_since``): delete your copy."""

    url_name = "inquiry"
    id = serializers.IntegerField(help_text="Id the inquiry had; its detail now answers 410 Gone.")
    state = serializers.ChoiceField(choices=RemovalKind.choices, help_text="withdrawn or deleted.")
    parliament = serializers.CharField(help_text="Code of the parliament.")
    term = serializers.IntegerField(help_text="Number of the legislative term.")
    reference = serializers.CharField(help_text="Printed-paper number the inquiry had.")
    modified_at = serializers.DateTimeField(help_text="When it was withdrawn or deleted (or last changed after withdrawal).")

    def get_url(self, tombstone: Tombstone) -> str:
        return api_url(self.context.get("request"), self.url_name, tombstone.id)


class HighlightSerializer(serializers.Serializer):
    title = serializers.CharField(
        allow_null=True, help_text="The title with matched words in <mark>, HTML-escaped; null if the title did not match."
    )
    field = serializers.ChoiceField(
        choices=["question", "answer"], allow_null=True, help_text="Where the excerpt comes from; null without excerpt."
    )
    excerpt = serializers.CharField(
        allow_null=True, help_text="An excerpt with matched words in <mark>, HTML-escaped; null if none matched."
    )


class SearchResultSerializer(InquiryListSerializer):
    rank = serializers.FloatField(source="search_rank", help_text="Relevance to the query; higher is better.")
    highlight = serializers.SerializerMethodField(help_text="Where the inquiry matched the query.")

    @extend_schema_field(HighlightSerializer)
    def get_highlight(self, inquiry: Inquiry) -> dict[str, Any]:
        found = self.context.get("highlights", {}).get(inquiry.pk)
        return {
            "title": str(found.title) if found and found.title else None,
            "field": found.field if found else None,
            "excerpt": str(found.excerpt) if found and found.excerpt else None,
        }


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The filter value that selects this entry.")
    label = serializers.CharField(help_text="What to show for it.")
    count = serializers.IntegerField(help_text="Published inquiries matching the query and the other filters with this value.")
    selected = serializers.BooleanField(help_text="Whether the request filters by this value.")


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The filter parameter this facet counts (parliament, term, kind …).")
    label = serializers.CharField(help_text="What to show for it.")
    values = FacetValueSerializer(many=True, help_text="Its values with counts.")


@extend_schema_serializer(many=False)
class SearchPageSerializer(serializers.Serializer):
    """One page of search results."""

    count = serializers.IntegerField(help_text="Number of matching inquiries on all pages.")
    next = serializers.URLField(allow_null=True, help_text="Address of the next page; null on the last.")
    previous = serializers.URLField(allow_null=True, help_text="Address of the previous page; null on the first.")
    query = serializers.CharField(help_text="The query as understood (empty if nothing in it was searchable).")
    facets = FacetSerializer(many=True, help_text="Counts per value of each filter, over the matching inquiries.")
    results = SearchResultSerializer(many=True, help_text="The matching inquiries of this page.")


# --- the inquiry.v1 record (detail) --------------------------------------------------------


class RecordAskerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Full name as printed, without 'Abg.'; academic titles kept.")
    faction = serializers.CharField(allow_null=True, help_text="Parliamentary group at the time of asking; null for members without one.")


class RecordSignerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Name of the signer, usually the minister.")
    role = serializers.CharField(allow_null=True, help_text="Title of the signer's office as printed.")


class RecordTableSerializer(serializers.Serializer):
    caption = serializers.CharField(allow_null=True, help_text="Caption as printed ('Tabelle 1: …'), if any.")
    header = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="Header rows, each a list of cells; empty where the header could not be split into its columns.",
    )
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="Rows of the body, each a list of cells as printed ('10 470', '1.159', '–'); an empty cell is ''.",
    )
    span = serializers.ListField(
        child=serializers.IntegerField(min_value=0), min_length=2, max_length=2, required=False,
        help_text="Start and end (character offsets) of the answer's lines the table was read from.",
    )


class RecordQuestionSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="Label as printed: '1', '2', '3a' …")
    text = serializers.CharField(help_text="The question.")
    answer = serializers.CharField(allow_null=True, help_text="The answer to it; paragraphs separated by a blank line.")
    answer_kind = serializers.ChoiceField(
        choices=[choice for choice in AnswerKind.values if choice], allow_null=True,
        help_text="Kind of the answer, by the portal's rules: full, reference, partly_refused, refused, classified; null without answer.",
    )
    refusal_reason = serializers.ChoiceField(
        choices=[choice for choice in RefusalReason.values if choice], allow_null=True,
        help_text="Reason of a refusal as named in the answer; null where nothing is refused.",
    )
    tables = RecordTableSerializer(many=True, required=False, help_text="Tables printed in the answer (only where there are some); CSV at the inquiry page's …/frage-<number>/tabelle-<k>.csv.")


class InquiryRecordSerializer(serializers.Serializer):
    """A published inquiry complete with questions and answers, as an inquiry.v1 record.

    The fields and their order are those of ``inquiry.v1.schema.json``; the record
    validates against it and can be imported as it is.
    """

    format = serializers.ChoiceField(choices=[FORMAT], help_text="Marker of the format's version: inquiry.v1.")
    parliament = serializers.ChoiceField(choices=PARLIAMENT_CODES, help_text="BT = Bundestag; otherwise the state's two-letter code.")
    term = serializers.IntegerField(min_value=1, help_text="Legislative term (Wahlperiode).")
    reference = serializers.CharField(help_text="Printed-paper number as printed, term/number, e.g. 17/6206; unique within a parliament.")
    kind = serializers.ChoiceField(
        choices=InquiryKind.choices, help_text="minor = Kleine Anfrage, major = Große Anfrage, written = Schriftliche Frage."
    )
    title = serializers.CharField(help_text="Title of the inquiry.")
    asked_on = serializers.DateField(allow_null=True, help_text="Date the inquiry was submitted or forwarded to the government.")
    answered_on = serializers.DateField(allow_null=True, help_text="Date of the government's answer; null while unanswered.")
    askers = RecordAskerSerializer(many=True, help_text="Members who asked, in printed order.")
    factions = serializers.ListField(child=serializers.CharField(), help_text="Asking parliamentary groups (for a Große Anfrage the group itself).")
    answering_ministry = serializers.CharField(allow_null=True, help_text="Full name of the ministry that answered.")
    consulted_ministries = serializers.ListField(
        child=serializers.CharField(), help_text="Ministries the answer was given in agreement with ('im Einvernehmen mit')."
    )
    copied_to = serializers.ListField(child=serializers.CharField(), help_text="Recipients of a copy ('nachrichtlich').")
    signed_by = RecordSignerSerializer(allow_null=True, help_text="Who signed the answer; null if not recorded.")
    explanation = serializers.CharField(allow_null=True, help_text="The askers' reasoning or preliminary remark (Begründung).")
    government_preface = serializers.CharField(allow_null=True, help_text="The government's preliminary remark (Vorbemerkung).")
    questions = RecordQuestionSerializer(many=True, help_text="The numbered questions, each with its answer, in printed order.")
    related_references = serializers.ListField(
        child=serializers.CharField(), help_text="Other printed papers of the same parliament this one refers to."
    )
    topics = serializers.ListField(child=serializers.CharField(), help_text="Topics (keywords) of the inquiry.")
    full_text = serializers.CharField(allow_null=True, help_text="The whole printed text, if recorded.")
    source_url = serializers.URLField(allow_null=True, help_text="Address of the document at its source.")

    def to_representation(self, inquiry: Inquiry) -> dict[str, Any]:
        return inquiry_to_record(inquiry)


# --- errors --------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (400, 404, 405, 410, 429 …)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable, machine-readable code: invalid, not_found, gone, method_not_allowed, throttled …")
    detail = serializers.CharField(help_text="What went wrong, for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For invalid parameters: messages per parameter name; otherwise empty.",
    )


def today() -> datetime.date:
    return timezone.localdate()
