"""The one FilterSet of inquiry lists: the HTML list and feeds now, the API later.

Every parameter is validated; an invalid value makes the FilterSet invalid with a
message naming it (the API answers 400, the page shows the message). Categorical
filters take repeated values (``?faction=cdu&faction=spd``: either). Slugs of
factions and ministries are unique per parliament only, so ``faction=cdu`` means
the CDU group of every parliament unless ``parliament`` narrows it.
"""

from __future__ import annotations

import copy
import datetime
import functools
from functools import cached_property
from typing import Any, Iterable

import django_filters
from django import forms
from django.db.models import QuerySet
from django.core.validators import slug_re
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from inquiries import search
from inquiries.models import Faction, Inquiry, InquiryKind, Ministry, Parliament, Party, Person, Term
from inquiries.choices import AnswerKind, DeadlineStatus
from inquiries.models.parliament import PARLIAMENT_CODES
from inquiries.names import fold
from inquiries.query import FACET_PARAMETERS, InquiryQuery, Sort
from inquiries.search import text


class SearchQueryField(forms.CharField):
    """Free text of any length and content: the parser makes a query of it."""

    def to_python(self, value: Any) -> str:
        # Before the validators run, so NUL bytes are dropped instead of refused.
        return text.clean(super().to_python(value)).strip()


class BlankDroppingMixin:
    """Ignores empty values, which a plain GET form sends for "all" (``?faction=``)."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = [item for item in value if item not in ("", None)]
        # None chosen: an empty list, as Django's own multiple choice field cleans it; for a
        # model choice field instead of ``queryset.none()``, a clone of the queryset for each
        # of the three such fields on every page (``query._objects`` reads both).
        if not value and not self.required:
            return []
        return super().clean(value)


class MultipleChoiceField(BlankDroppingMixin, forms.MultipleChoiceField):
    pass


class LowerCaseMultipleChoiceField(MultipleChoiceField):
    def to_python(self, value: Any) -> list[str]:
        return [item.lower() for item in super().to_python(value)]


class SlugMultipleChoiceField(BlankDroppingMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> QuerySet:
        # Anything that cannot be a slug is refused before it reaches the database
        # (PostgreSQL rejects NUL bytes in parameters outright).
        for item in value:
            if not isinstance(item, str) or not slug_re.match(item):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item})
        return super()._check_values(value)


class DateOrDateTimeField(forms.Field):
    """An ISO 8601 date-time ("2024-02-28T12:00:00+01:00") or date (midnight, local time)."""

    default_error_messages = {"invalid": _("Bitte ein Datum (JJJJ-MM-TT) oder einen Zeitpunkt nach ISO 8601 angeben.")}

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        raw = str(value).strip()
        try:
            moment = parse_datetime(raw)
            if moment is None:
                day = parse_date(raw)
                moment = datetime.datetime.combine(day, datetime.time()) if day else None
        except ValueError:
            moment = None
        if moment is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
            # In UTC: databases refuse some offsets Python accepts (PostgreSQL: beyond ±15:59).
            return moment.astimezone(datetime.timezone.utc)
        except (OverflowError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SearchFilter(django_filters.CharFilter):
    field_class = SearchQueryField


class LowerCaseMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LowerCaseMultipleChoiceField


class ChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = MultipleChoiceField


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Objects of ``model`` by slug; several objects may share one (a slug is unique per
    parliament only). ``unknown`` is the message for a slug that names none."""

    field_class = SlugMultipleChoiceField

    def __init__(self, model: type, *, unknown: str, **kwargs: Any) -> None:
        super().__init__(
            queryset=model.objects.all(), to_field_name="slug", error_messages={"invalid_choice": unknown}, **kwargs
        )


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


# Kinds of answer one can filter by (an empty answer is no kind).
ANSWER_KIND_CHOICES = [(value, label) for value, label in AnswerKind.choices if value]


class InquiryFilterSet(django_filters.FilterSet):
    """Validates the list's parameters and turns them into one ``InquiryQuery`` (``query``),
    which does the filtering and ordering; the filters here only make the form."""

    q = SearchFilter(label=_("Suchbegriffe"), method="filter_q")
    parliament = LowerCaseMultipleChoiceFilter(
        label=_("Parlament"),
        choices=[(code.lower(), code) for code in PARLIAMENT_CODES],
        method="filter_parliament",
        error_messages={"invalid_choice": _("Unbekanntes Parlament: „%(value)s“.")},
    )
    term = IntegerFilter(label=_("Wahlperiode"), field_name="term__number", min_value=1, max_value=999)
    kind = ChoicesFilter(
        label=_("Art"),
        choices=InquiryKind.choices,
        # A column of the inquiry itself repeats no rows; DISTINCT over whole rows costs much.
        distinct=False,
        error_messages={"invalid_choice": _("Unbekannte Art: „%(value)s“.")},
    )
    faction = SlugsFilter(
        Faction, label=_("Fraktion"), method="filter_faction", unknown=_("Unbekannte Fraktion: „%(value)s“.")
    )
    person = SlugsFilter(
        Person, label=_("Fragesteller(in)"), method="filter_person", unknown=_("Unbekannte Person: „%(value)s“.")
    )
    ministry = SlugsFilter(
        Ministry, label=_("antwortendes Ministerium"), method="filter_ministry", unknown=_("Unbekanntes Ministerium: „%(value)s“.")
    )
    status = django_filters.ChoiceFilter(
        label=_("Stand"),
        choices=DeadlineStatus.choices,
        method="filter_status",
        error_messages={"invalid_choice": _("Unbekannter Stand: „%(value)s“.")},
    )
    answer_kind = ChoicesFilter(
        label=_("Art der Antwort"),
        choices=ANSWER_KIND_CHOICES,
        method="filter_answer_kind",
        error_messages={"invalid_choice": _("Unbekannte Art der Antwort: „%(value)s“.")},
    )
    asked = django_filters.DateFromToRangeFilter(label=_("gestellt"), field_name="asked_on")
    answered = django_filters.DateFromToRangeFilter(label=_("beantwortet"), field_name="answered_on")
    modified_since = DateOrDateTimeFilter(label=_("geändert seit"), field_name="updated_at", lookup_expr="gte")
    # Applied last, in filter_queryset, where the default depends on whether q was given.
    ordering = django_filters.ChoiceFilter(
        label=_("Sortierung"),
        choices=list(Sort.CHOICES.items()),
        method="keep",
        error_messages={"invalid_choice": _("Unbekannte Sortierung: „%(value)s“.")},
    )

    # Filters that facets count over; each facet leaves out its own parameters.
    FACET_PARAMETERS = FACET_PARAMETERS

    class Meta:
        model = Inquiry
        fields: list[str] = []

    # The filtering itself is ``InquiryQuery.filter``; these methods only give each
    # parameter its type (drf-spectacular reads it from ``value``'s annotation).

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def filter_parliament(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset

    def filter_faction(self, queryset: QuerySet, name: str, value: Iterable[Faction]) -> QuerySet:
        return queryset

    def filter_person(self, queryset: QuerySet, name: str, value: Iterable[Person]) -> QuerySet:
        return queryset

    def filter_ministry(self, queryset: QuerySet, name: str, value: Iterable[Ministry]) -> QuerySet:
        return queryset

    def filter_answer_kind(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    # --- the whole set ----------------------------------------------------------------

    def get_form_class(self) -> type[forms.Form]:
        # The form's fields depend on the declarations only (labels and messages are lazy,
        # translated when shown), never on the request: made once per class instead of
        # thirteen fields with their choices per request. Each form copies them, as always.
        return _form_class(type(self))

    @cached_property
    def query(self) -> InquiryQuery:
        """The request as one typed, immutable query, built once; only of a valid FilterSet."""
        if not (self.is_bound and self.form.is_valid()):
            raise ValueError("InquiryFilterSet.query needs valid parameters; check is_valid() first.")
        return InquiryQuery.from_cleaned(self.form.cleaned_data, page=self.data.get("page"))

    @property
    def _valid_query(self) -> InquiryQuery:
        # What the page shows beside an invalid request: no search, the default ordering.
        return self.query if self.is_bound and self.form.is_valid() else _NO_QUERY

    @property
    def search_text(self) -> str:
        """The search box's text if valid, else ''."""
        return self._valid_query.text

    @property
    def parsed_query(self) -> search.ParsedQuery:
        return self._valid_query.parsed

    @property
    def sort(self) -> str:
        """The ordering in effect: the requested one, else relevance with a search, else newest answer."""
        return self._valid_query.sort

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.query.ordered(self.query.filter(queryset))


_NO_QUERY = InquiryQuery()


# django-filter deep-copies a FilterSet's filters for every instance, and Django a form's
# fields for every form, so that an instance may change its own; these never do (the
# filtering is ``InquiryQuery``'s, the fields only clean values), and the deep copies of
# thirteen filters and fields with their choices, widgets and querysets were a good part
# of the list page's CPU (about 0.6 ms of a search page). The dictionaries below answer
# ``copy.deepcopy`` with shallow copies instead.


class _ShallowCopiedFilters(dict):
    """A FilterSet's ``base_filters`` whose instances get shallow copies: each instance still
    sets ``parent`` and ``model`` on filters of its own."""

    def __deepcopy__(self, memo: dict) -> dict:
        return {name: copy.copy(filter_) for name, filter_ in self.items()}


class _SharedFields(dict):
    """A form class's ``base_fields`` that its forms share: fields only clean and validate,
    with no state of a request."""

    def __deepcopy__(self, memo: dict) -> dict:
        return dict(self)


InquiryFilterSet.base_filters = _ShallowCopiedFilters(InquiryFilterSet.base_filters)


@functools.cache
def _form_class(filterset_class: type[django_filters.FilterSet]) -> type[forms.Form]:
    """The form of ``filterset_class``, as django-filter's ``get_form_class`` makes it for
    each instance, from copies of its filters (the class's own keep no fields); its forms
    share the fields (``_SharedFields``)."""
    filters = {name: copy.deepcopy(filter_) for name, filter_ in filterset_class.base_filters.items()}
    for filter_ in filters.values():
        filter_.model = filterset_class._meta.model
    fields = {name: filter_.field for name, filter_ in filters.items()}
    form_class = type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)
    form_class.base_fields = _SharedFields(form_class.base_fields)
    return form_class


# --- the other resources of the API ------------------------------------------------------
#
# Small FilterSets over the querysets of ``inquiries.api.selectors`` (which annotate
# ``modified_at``). Ordering values are a whitelist; every ordering ends in the
# primary key, so pages never overlap.


class TotalOrderingFilter(django_filters.OrderingFilter):
    """``?ordering=name`` or ``-name`` from a whitelist; ties broken by primary key."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        if ordering[-1].lstrip("-") != "pk":
            ordering.append("pk")
        return qs.order_by(*ordering)


def _parliament_filter(method: str) -> LowerCaseMultipleChoiceFilter:
    return LowerCaseMultipleChoiceFilter(
        label=_("Parlament"),
        choices=[(code.lower(), code) for code in PARLIAMENT_CODES],
        method=method,
        error_messages={"invalid_choice": _("Unbekanntes Parlament: „%(value)s“.")},
    )


def _modified_since() -> DateOrDateTimeFilter:
    return DateOrDateTimeFilter(label=_("geändert seit"), field_name="modified_at", lookup_expr="gte")


class ParliamentFilterSet(django_filters.FilterSet):
    modified_since = _modified_since()
    ordering = TotalOrderingFilter(fields=(("code", "code"), ("name", "name"), ("pk", "id")))

    class Meta:
        model = Parliament
        fields: list[str] = []


class TermFilterSet(django_filters.FilterSet):
    parliament = _parliament_filter("filter_parliament")
    number = IntegerFilter(label=_("Nummer"), field_name="number", min_value=1, max_value=999)
    modified_since = _modified_since()
    ordering = TotalOrderingFilter(fields=(("number", "number"), ("start_date", "start_date"), ("pk", "id")))

    class Meta:
        model = Term
        fields: list[str] = []

    def filter_parliament(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(parliament__code__in=[code.upper() for code in value]) if value else queryset


class PartyFilterSet(django_filters.FilterSet):
    # Parties keep no change time, so every party counts as possibly changed.
    modified_since = DateOrDateTimeFilter(label=_("geändert seit"), method="keep_all")
    ordering = TotalOrderingFilter(fields=(("short_name", "short_name"), ("name", "name"), ("pk", "id")))

    class Meta:
        model = Party
        fields: list[str] = []

    def keep_all(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset


class FactionFilterSet(django_filters.FilterSet):
    parliament = _parliament_filter("filter_parliament")
    party = SlugsFilter(Party, label=_("Partei"), method="filter_party", unknown=_("Unbekannte Partei: „%(value)s“."))
    modified_since = _modified_since()
    ordering = TotalOrderingFilter(fields=(("short_name", "short_name"), ("name", "name"), ("pk", "id")))

    class Meta:
        model = Faction
        fields: list[str] = []

    def filter_parliament(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(parliament__code__in=[code.upper() for code in value]) if value else queryset

    def filter_party(self, queryset: QuerySet, name: str, value: Iterable[Party]) -> QuerySet:
        parties = list(value)
        return queryset.filter(party__in=parties) if parties else queryset


class PersonFilterSet(django_filters.FilterSet):
    parliament = _parliament_filter("filter_parliament")
    faction = SlugsFilter(
        Faction, label=_("Fraktion"), method="filter_faction", unknown=_("Unbekannte Fraktion: „%(value)s“.")
    )
    name = SearchFilter(label=_("Name"), method="filter_name")
    modified_since = _modified_since()
    ordering = TotalOrderingFilter(fields=(("last_name", "name"), ("pk", "id")))

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_parliament(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        return queryset.public(parliament=list(value))

    def filter_faction(self, queryset: QuerySet, name: str, value: Iterable[Faction]) -> QuerySet:
        factions = list(value)
        if not factions:
            return queryset
        return queryset.filter(pk__in=Person.objects.filter(memberships__faction__in=factions).values("pk"))

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # Folded like the stored key, so "Ruelke" finds "Rülke".
        for word in fold(value).replace("|", " ").split()[:10]:
            queryset = queryset.filter(name_key__contains=word)
        return queryset


class MinistryFilterSet(django_filters.FilterSet):
    parliament = _parliament_filter("filter_parliament")
    current = django_filters.ChoiceFilter(
        label=_("heute gültiger Name"),
        choices=[("true", _("ja")), ("false", _("nein"))],
        method="filter_current",
        error_messages={"invalid_choice": _("Bitte „true“ oder „false“ angeben, nicht „%(value)s“.")},
    )
    modified_since = _modified_since()
    ordering = TotalOrderingFilter(fields=(("name", "name"), ("valid_from", "valid_from"), ("pk", "id")))

    class Meta:
        model = Ministry
        fields: list[str] = []

    def filter_parliament(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(parliament__code__in=[code.upper() for code in value]) if value else queryset

    def filter_current(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        valid = Ministry.objects.valid_on(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=valid) if value == "true" else queryset.exclude(pk__in=valid)
