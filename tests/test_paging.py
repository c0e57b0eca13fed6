"""``inquiries.paging``: the numbered pages of the REST API and of OParl."""

from __future__ import annotations

import pytest

from inquiries.paging import NumberedPage, PageOutOfRange, numbered_page


@pytest.mark.parametrize(
    ("count", "number", "size", "offset", "end", "pages", "previous", "next_"),
    [
        (0, 1, 50, 0, 0, 1, False, False),
        (1, 1, 50, 0, 1, 1, False, False),
        (50, 1, 50, 0, 50, 1, False, False),
        (51, 2, 50, 50, 51, 2, True, False),
        (120, 2, 50, 50, 100, 3, True, True),
    ],
)
def test_a_page_knows_its_rows_and_neighbours(count, number, size, offset, end, pages, previous, next_):
    page = numbered_page(count, number, size)
    assert (page.offset, page.end, page.pages, page.has_previous, page.has_next) == (offset, end, pages, previous, next_)


def test_a_page_past_the_end_is_refused_with_the_number_of_pages():
    with pytest.raises(PageOutOfRange, match="Page 4 does not exist; there are 3."):
        numbered_page(120, 4, 50)
    assert numbered_page(0, 1, 10) == NumberedPage(number=1, size=10, count=0)


def test_the_api_and_oparl_answer_a_page_past_the_end_in_their_own_shape(client, db):
    api = client.get("/api/v1/parliaments/", {"page": 2})
    assert api.status_code == 404 and "Page 2 does not exist; there are 1." in api.json()["detail"]
    oparl = client.get("/oparl/v1/bodies/", {"page": 2})
    assert oparl.status_code == 404
