"""Names of parliaments, terms, factions and ministries for facets and filters, read once per
data version.

The search engine counts facets by id; their labels come from these four small tables. They
are read in one query when the data version (``versions.current()``, one row read once per
request) is new to this process, and kept until it changes: every write of an inquiry and
every saved or deleted parliament, term, faction or ministry gives a new version, so no page
shows a name older than its data.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from inquiries import versions


@dataclass(frozen=True)
class FacetNames:
    # pk → (code, name)
    parliaments: dict[int, tuple[str, str]]
    # pk → (number, parliament code)
    terms: dict[int, tuple[int, str]]
    # pk → (slug, name, parliament code)
    ministries: dict[int, tuple[str, str, str]]
    # pk → (slug, short name, parliament code)
    factions: dict[int, tuple[str, str, str]]

    def parliament_ids(self, codes: list[str]) -> list[int]:
        wanted = {code.upper() for code in codes}
        return [pk for pk, (code, _name) in self.parliaments.items() if code in wanted]

    def term_ids(self, number: int) -> list[int]:
        return [pk for pk, (term_number, _code) in self.terms.items() if term_number == number]


_lock = threading.Lock()
_kept: tuple[str, FacetNames] | None = None


def _read() -> FacetNames:
    """The four tables in one query (``UNION ALL``): a miss costs one round trip, not four."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast

    from inquiries.models import Faction, Ministry, Parliament, Term

    def rows(model, kind: str, a: str, b: str, code: str | None):
        text = CharField()
        return model.objects.order_by().values_list(
            Value(kind, output_field=text), "pk", Cast(a, text), Cast(b, text) if b else Value("", output_field=text),
            Cast(code, text) if code else Value("", output_field=text),
        )

    parliaments, terms, ministries, factions = {}, {}, {}, {}
    union = rows(Parliament, "p", "code", "name", None).union(
        rows(Term, "t", "number", "", "parliament__code"),
        rows(Ministry, "m", "slug", "name", "parliament__code"),
        rows(Faction, "f", "slug", "short_name", "parliament__code"),
        all=True,
    )
    for kind, pk, a, b, code in union:
        if kind == "p":
            parliaments[pk] = (a, b)
        elif kind == "t":
            terms[pk] = (int(a), code)
        elif kind == "m":
            ministries[pk] = (a, b, code)
        else:
            factions[pk] = (a, b, code)
    return FacetNames(parliaments=parliaments, terms=terms, ministries=ministries, factions=factions)


def current() -> FacetNames:
    """The names as of the data this request sees."""
    global _kept
    token = versions.current()
    kept = _kept
    if kept is not None and kept[0] == token and token:
        return kept[1]
    names = _read()
    with _lock:
        _kept = (token, names)
    return names
