"""Numbered pages, the one engine of the REST API's and OParl's page-numbered lists.

Both lists are the same idea: a total, a page size, page ``number`` (1 …) and the rows
from ``offset`` on; an empty list still has its first page. What differs is only how
each protocol names the parameters and the links and how it reports a page past the
end (the API: 404 in its error shape; OParl: its own error object), so those stay
with them. The API's cursor pages (keyset, no total) are another idea and stay in
``inquiries.api.pagination``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import EmptyPage


class PageOutOfRange(EmptyPage):
    """A page number past the last page."""


@dataclass(frozen=True)
class NumberedPage:
    number: int
    size: int
    count: int

    @property
    def pages(self) -> int:
        """How many pages the list has; an empty list has one (empty) page."""
        return max(1, -(-self.count // self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return min(self.offset + self.size, self.count)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def numbered_page(count: int, number: int, size: int) -> NumberedPage:
    """Page ``number`` of ``count`` items in pages of ``size``; ``PageOutOfRange`` past the end."""
    page = NumberedPage(number=number, size=size, count=count)
    if number > page.pages:
        raise PageOutOfRange(f"Page {number} does not exist; there are {page.pages}.")
    return page
