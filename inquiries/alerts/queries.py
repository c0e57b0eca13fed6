"""The followed query: canonical form, validation and a description for people.

A subscription follows the inquiry list's filter parameters (``InquiryFilterSet``).
They are stored in one canonical form, so the same search entered twice (in any
parameter order, with blank "all" values) is one subscription: only the
FilterSet's own parameters, without the page and the ordering (a digest is
always in order of publication), blank values dropped, repeated values of a
multi-valued parameter deduplicated and sorted, the last value of a single one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlencode

from django import forms
from django.db.models import Model
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from inquiries.selectors import listing
from inquiries.filters import InquiryFilterSet, SearchQueryField
from inquiries.query import InquiryQuery

# Parameters that change how a list is shown, not which inquiries it holds.
NOT_FOLLOWED = frozenset({"ordering", "page"})
MAX_QUERY_LENGTH = 2000


class InvalidQuery(Exception):
    """The parameters cannot be followed; ``errors`` maps a parameter's label to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def messages(self) -> list[str]:
        return [f"{label}: {message}" for label, messages in self.errors.items() for message in messages]


@dataclass(frozen=True)
class FollowedQuery:
    query: str  # canonical query string without "?", '' for every inquiry
    filterset: InquiryFilterSet  # bound to ``query`` and valid

    @property
    def description(self) -> list[tuple[str, str]]:
        return describe(self.filterset)

    @property
    def inquiry_query(self) -> InquiryQuery:
        """The followed parameters as the list's query object."""
        return self.filterset.query

    def matching(self):
        """Every published inquiry that matches, unordered."""
        return listing.matching(self.inquiry_query)


def _parameter_names(name: str, field: forms.Field) -> list[str]:
    """The URL parameters a form field reads."""
    widget = field.widget
    if not isinstance(widget, forms.MultiWidget):
        return [name]
    # django-filter's range widgets name their parts "<name>_after" / "<name>_before".
    if hasattr(widget, "suffixed"):
        return [widget.suffixed(name, suffix) for suffix in widget.suffixes]
    return [f"{name}{suffix}" for suffix in widget.widgets_names]


def _parameters(filterset: InquiryFilterSet) -> dict[str, bool]:
    """The URL parameters the FilterSet reads, each with whether it takes several values."""
    names: dict[str, bool] = {}
    for name, field in filterset.form.fields.items():
        if name not in NOT_FOLLOWED:
            multiple = bool(getattr(field.widget, "allow_multiple_selected", False))
            names.update(dict.fromkeys(_parameter_names(name, field), multiple))
    return names


def canonical(data: Mapping[str, Any] | QueryDict) -> str:
    """The canonical query string of the followed parameters in ``data`` (not validated)."""
    data = data if isinstance(data, QueryDict) else _querydict(data)
    pairs: list[tuple[str, str]] = []
    for name, multiple in sorted(_parameters(InquiryFilterSet()).items()):
        values = [value.strip() for value in data.getlist(name) if isinstance(value, str) and value.strip()]
        if not values:
            continue
        pairs.extend((name, value) for value in (sorted(set(values)) if multiple else values[-1:]))
    return urlencode(pairs)


def _querydict(data: Mapping[str, Any]) -> QueryDict:
    result = QueryDict(mutable=True)
    for name, value in data.items():
        result.setlist(name, list(value) if isinstance(value, (list, tuple)) else [value])
    return result


def follow(data: Mapping[str, Any] | QueryDict | str) -> FollowedQuery:
    """Validate followed parameters (a query string or request data); raises ``InvalidQuery``."""
    query = canonical(QueryDict(data.lstrip("?")) if isinstance(data, str) else data)
    if len(query) > MAX_QUERY_LENGTH:
        raise InvalidQuery({_("Suche"): [_("Die Suche ist zu lang, um ihr zu folgen (höchstens %(count)d Zeichen).") % {"count": MAX_QUERY_LENGTH}]})
    filterset = InquiryFilterSet(QueryDict(query), queryset=listing.inquiry_search_base())
    if not filterset.is_valid():
        form = filterset.form
        raise InvalidQuery(
            {str(form.fields[name].label if name in form.fields else name): list(messages) for name, messages in form.errors.items()}
        )
    return FollowedQuery(query=query, filterset=filterset)


def describe(filterset: InquiryFilterSet) -> list[tuple[str, str]]:
    """What a valid FilterSet selects, as (label, value) lines; empty for every inquiry."""
    lines = []
    data = filterset.form.cleaned_data
    # A slug names a faction or ministry in every parliament; show those of the chosen ones.
    parliaments = {code.upper() for code in data.get("parliament") or []}
    for name, value in data.items():
        field = filterset.form.fields[name]
        given = any(filterset.data.get(parameter) for parameter in _parameter_names(name, field))
        if name in NOT_FOLLOWED or not given or value in (None, ""):
            continue
        shown = _show(field, value, parliaments)
        if shown:
            lines.append((str(field.label), shown))
    return lines


def _show(field: forms.Field, value: Any, parliaments: set[str]) -> str:
    if isinstance(field, SearchQueryField):
        return f"„{value}“"
    if isinstance(value, slice):
        start, stop = (_day(value.start), _day(value.stop))
        if start and stop:
            return _("%(start)s bis %(stop)s") % {"start": start, "stop": stop}
        return _("ab %(day)s") % {"day": start} if start else _("bis %(day)s") % {"day": stop}
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    choices = {str(key): str(label) for key, label in getattr(field, "choices", []) if not isinstance(label, (list, tuple))}
    items = list(value) if isinstance(value, (list, tuple)) or hasattr(value, "model") else [value]
    if parliaments:
        items = [item for item in items if not hasattr(item, "parliament") or item.parliament.code in parliaments]
    shown = []
    for item in items:
        text = str(item) if isinstance(item, Model) else choices.get(str(item), str(item))
        if text not in shown:
            shown.append(text)
    return ", ".join(shown)


def _day(moment: datetime.datetime | datetime.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return formats.date_format(moment, "DATE_FORMAT")
