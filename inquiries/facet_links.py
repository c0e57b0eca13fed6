"""Links of the visible facets and of the chosen-filter chips on the list page.

Built on the shape of ``selectors.Facet`` / ``FacetValue`` only (whatever computes them):
a value's link adds it to the URL's filters (or, when chosen, takes it out again), a chip
names one chosen parameter and links to the same URL without it. Every link drops
``page``, since another filter gives other pages.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.utils.formats import get_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext as _, ngettext

from inquiries.selectors.facets import Facet, FacetValue

# Parameters that are not filters (the search box, order and page are shown elsewhere).
NOT_FILTERS = frozenset({"q", "ordering", "page"})


@dataclass(frozen=True)
class FacetLink:
    value: FacetValue
    # None for a value no inquiry has (nothing to add).
    url: str | None


@dataclass(frozen=True)
class FacetSection:
    facet: Facet
    links: list[FacetLink]

    @property
    def chosen(self) -> int:
        return sum(1 for link in self.links if link.value.selected)

    @property
    def links_html(self) -> SafeString:
        """The ``<li>`` of each link, written here rather than by the template engine: a list
        page has some sixty of them, and in a template each costs a dozen lookups."""
        return self.written_links(_escape(_("gewählt, entfernen:")), thousands())

    def written_links(self, removing: str, grouped: Callable[[int], str]) -> SafeString:
        """``links_html`` with its label and count format given (looked up once per page)."""
        items = []
        for link in self.links:
            value = link.value
            label = f'<span class="facet-label">{_escape(str(value.label))}</span>'
            if value.selected:
                item = (f'<a class="facet-value chosen" href="{_escape(link.url)}" aria-current="true"><span class="visually-hidden">'
                        f'{removing} </span>{label} <span class="count">{grouped(value.count)}</span></a>')
            elif link.url:
                item = f'<a class="facet-value" href="{_escape(link.url)}">{label} <span class="count">{grouped(value.count)}</span></a>'
            else:
                item = f'<span class="facet-value empty">{label} <span class="count">0</span></span>'
            items.append(f"\n      <li>{item}</li>")
        return mark_safe("".join(items))  # noqa: S308 - every value escaped above


def sections_html(sections: Iterable[FacetSection]) -> SafeString:
    """The ``<details>`` of every facet with links, as ``inquiry_list.html``'s loop wrote them
    (0.4 ms of the template's lookups a page): the label, how many values are chosen, the links."""
    items = []
    removing, grouped = _escape(_("gewählt, entfernen:")), thousands()
    for section in sections:
        if not section.links:
            continue
        chosen = section.chosen
        label = _escape(str(section.facet.label))
        if chosen:
            counted = ngettext("%(counter)s gewählt", "%(counter)s gewählt", chosen) % {"counter": _escape(str(localize(chosen)))}
            label += f' <span class="facet-chosen">({counted})</span>'
        items.append(
            f'\n  <details class="facet"{" open" if chosen else ""}>\n    <summary><h3>{label}</h3></summary>\n'
            f'    <ul class="facet-values">{section.written_links(removing, grouped)}\n    </ul>\n  </details>'
        )
    return mark_safe("".join(items))  # noqa: S308 - labels escaped here, links in links_html


# Labels and links are plain ``str``: the standard library's ``html.escape`` escapes the same
# five characters as ``django.utils.html.escape``, without its lazy check and SafeString per call.
_escape = html.escape


def thousands() -> Callable[[int], str]:
    """A function writing a count as humanize's ``intcomma`` does in the active language
    ("12.345", "12,345"), with the separator looked up once instead of per count."""
    if get_format("NUMBER_GROUPING") != 3:
        return intcomma
    separator = get_format("THOUSAND_SEPARATOR")
    return lambda count: f"{count:,}".replace(",", separator)


@dataclass(frozen=True)
class Chip:
    """One chosen filter value, e.g. "Fraktion: FDP/DVP (BW)", and the URL without it."""

    name: str
    label: str
    value: str
    url: str


def _same(a: str, b: str) -> bool:
    # Parliament codes come in either case; slugs and choices are lower case anyway.
    return a.strip().casefold() == b.strip().casefold()


def _url(path: str, pairs: Iterable[tuple[str, str]]) -> str:
    pairs = [(name, value) for name, value in pairs if name != "page"]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _pairs(params: QueryDict) -> list[tuple[str, str]]:
    return [(name, value) for name in params for value in params.getlist(name)]


def without(path: str, params: QueryDict, name: str, value: str | None = None) -> str:
    """The URL of ``params`` without parameter ``name`` (or only without that ``value`` of it)."""
    return _url(path, [(key, item) for key, item in _pairs(params) if key != name or (value is not None and not _same(item, value))])


def only(path: str, params: QueryDict, names: Iterable[str]) -> str:
    """The URL of ``params`` with just the parameters ``names`` (e.g. all filters taken out)."""
    keep = set(names)
    return _url(path, [(key, item) for key, item in _pairs(params) if key in keep])


def with_value(path: str, params: QueryDict, name: str, value: FacetValue, *, multiple: bool) -> str:
    """The URL with ``value`` added to ``name`` (beside the chosen ones if ``multiple``)."""
    pairs = [(key, item) for key, item in _pairs(params) if key != name or multiple]
    pairs.append((name, value.value))
    present = {key for key, _item in pairs}
    pairs += [(key, item) for key, item in value.also if key not in present]
    return _url(path, pairs)


def _encoded(name: str, value: str) -> str:
    # One pair as ``urlencode`` writes it.
    return f"{quote_plus(name)}={quote_plus(value)}"


def facet_sections(path: str, params: QueryDict, facets: Iterable[Facet], multiple: Callable[[str], bool]) -> list[FacetSection]:
    """Every facet with a link per value: a chosen value links to the URL without it.

    The URLs are ``with_value``'s, built in one pass: the request's parameters are encoded
    once per page and the part all links of a facet share once per facet, so a link adds
    only its own value (a page has some sixty links)."""
    encoded = [(key, _encoded(key, item)) for key, item in _pairs(params) if key != "page"]
    sections = []
    for facet in facets:
        name = facet.name
        kept = [(key, text) for key, text in encoded if key != name or multiple(name)]
        present = {key for key, _text in kept} | {name}
        shared = [text for _key, text in kept]
        links = []
        for value in facet.values:
            if value.selected:
                url: str | None = without(path, params, name, value.value)
            elif value.count:
                added = [_encoded(name, value.value)]
                added += [_encoded(key, item) for key, item in value.also if key not in present and key != "page"]
                url = f"{path}?{'&'.join(shared + added)}"
            else:
                url = None
            links.append(FacetLink(value, url))
        sections.append(FacetSection(facet, links))
    return sections


def chips(path: str, params: QueryDict, labels: dict[str, str], value_labels: dict[tuple[str, str], str]) -> list[Chip]:
    """A chip for every value of every filter parameter in ``params``, in URL order.

    ``labels`` names the parameters, ``value_labels`` the values ((name, value casefolded)
    → label); a value without one shows as given, so an unknown one can be taken out too.
    """
    result = []
    for name, value in _pairs(params):
        if name in NOT_FILTERS or not value.strip():
            continue
        label = labels.get(name, name)
        shown = value_labels.get((name, value.strip().casefold()), value)
        result.append(Chip(name, label, shown, without(path, params, name, value)))
    return result


def facet_value_labels(facets: Iterable[Facet]) -> dict[tuple[str, str], str]:
    return {(facet.name, value.value.casefold()): value.label for facet in facets for value in facet.values}


def parameter_labels(filterset) -> dict[str, str]:
    """Labels of the FilterSet's parameters as its form names them, ranges split in two."""
    return dict(_parameter_labels(type(filterset.form), get_language()))


@functools.lru_cache(maxsize=32)
def _parameter_labels(form_class: type, language: str | None) -> dict[str, str]:
    # The labels are the form class's (lazy texts): translated once per language, not per page.
    labels = {}
    for name, field in form_class.base_fields.items():
        labels[name] = str(field.label)
    for name, after, before in (("asked", _("gestellt ab"), _("gestellt bis")), ("answered", _("beantwortet ab"), _("beantwortet bis"))):
        labels[f"{name}_after"] = str(after)
        labels[f"{name}_before"] = str(before)
    return labels
