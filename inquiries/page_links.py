"""The page links of the list and search page (``<nav class="pagination">``).

The template wrote each with ``{% querystring page=n %}`` and a ``{% blocktranslate %}``:
per link a copy of the request's parameters, their encoding and a translation lookup.
Here the parameters are encoded once, with the page number put into that text per link,
and the label is translated once per page; the HTML is the template's, byte for byte.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import QueryDict
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Stands for the page number in the encoded parameters: letters only, so encoding keeps it
# as it is, and a text nobody searches for (if the parameters hold it, each link is encoded
# on its own instead).
_SLOT = "PAGENUMBERSLOTXQZ"


def page_query(params: QueryDict) -> Callable[[int], str]:
    """``n`` → what ``{% querystring page=n %}`` writes for ``params`` (the request's GET)."""
    with_slot = params.copy()
    with_slot["page"] = _SLOT
    encoded = f"?{with_slot.urlencode()}"
    if encoded.count(_SLOT) == 1:
        return lambda number: encoded.replace(_SLOT, str(number))

    def each(number: int) -> str:
        copied = params.copy()
        copied["page"] = number
        return f"?{copied.urlencode()}"

    return each


@dataclass(frozen=True)
class Pagination:
    """The three parts of the links' list: the previous page, the numbered pages, the next page."""

    previous: SafeString
    pages: SafeString
    next: SafeString


def pagination(params: QueryDict, number: int, page_range: Iterable[int | str], ellipsis: str, *, has_previous: bool, has_next: bool) -> Pagination:
    """The links of page ``number`` of ``page_range`` (Django's elided range; ``ellipsis`` stands
    for the pages left out), as ``templates/inquiries/inquiry_list.html`` wrote them."""
    query = page_query(params)
    # blocktranslate's message, with its variable as a format placeholder.
    label = _('<span class="visually-hidden">Seite </span>%(number)s')
    items = []
    # The ellipsis is a lazy text: compared as such with every page number, it was translated each time.
    ellipsis = str(ellipsis)
    for page in page_range:
        if not isinstance(page, int) and str(page) == ellipsis:
            item = '<span aria-hidden="true">…</span>'
        else:
            text = label % {"number": formats.localize(page)}
            current = ' aria-current="page"' if page == number else ""
            item = f'<a href="{html.escape(query(page))}"{current}>{text}</a>'
        items.append(f"<li>{item}</li>")
    # The labels are printed as the catalogue has them, as ``{% translate %}`` prints a literal.
    previous = f'<li><a href="{html.escape(query(number - 1))}" rel="prev">{_("vorige Seite")}</a></li>' if has_previous else ""
    following = f'<li><a href="{html.escape(query(number + 1))}" rel="next">{_("nächste Seite")}</a></li>' if has_next else ""
    # Every parameter is escaped above; the labels are the translations' own markup.
    return Pagination(mark_safe(previous), mark_safe("".join(items)), mark_safe(following))  # noqa: S308
