"""Generated search queries and filter values never crash the list page, the feeds or the API.

A modest number of examples here; ``bench/bad_input.py`` runs the same tests with 10,000.
"""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.site_world import build_world

pytestmark = pytest.mark.django_db

SCALE = int(os.environ.get("BAD_INPUT_EXAMPLES_SCALE", "1"))
HYPOTHESIS = settings(
    deadline=None, derandomize=SCALE == 1, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def examples(count: int) -> settings:
    """``count`` examples in the suite, ``count`` × BAD_INPUT_EXAMPLES_SCALE in bench/bad_input.py."""
    return settings(HYPOTHESIS, max_examples=count * SCALE)

PARAMETERS = [
    "q", "parliament", "term", "kind", "faction", "person", "ministry", "status", "ordering", "page",
    "asked_after", "asked_before", "answered_after", "answered_before", "modified_since", "format", "limit", "offset",
    "page_size", "cursor", "search",
]
# Text a visitor or a script might send: search syntax, SQL and tsquery specials, control
# characters, NUL, very long words, numbers and dates at the edges.
TRICKY = st.sampled_from([
    "", " ", '"', '""', '"offene Frage', "-", "--", "!", "&", "|", ":*", "<->", "(", ")", "'", "\\", "%", "_", "*",
    "\x00", "a\x00b", "\t\n", "OR", "AND NOT", "-Schule", '"Landesregierung Schule"', "Schul*", "ä ö ü ß", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "0", "-1", "99999999999999999999", "1e309", "NaN", "2024-02-30", "0000-00-00", "9999-12-31", "2024-13-01T25:61",
    "bw", "BW", "xx", "fdp-dvp", "minor", "answered", "asked", "-asked", "relevance", "x" * 5000, "' OR 1=1 --",
])
VALUES = st.one_of(TRICKY, st.text(max_size=60), st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMETERS), VALUES), min_size=1, max_size=6)


def _api_list() -> list[str]:
    paths = []
    for name in ("api:inquiry-list", "api:search-list"):
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return paths


@pytest.fixture
def world():
    return build_world(extra=3)


def _assert_no_server_error(client: Client, path: str, query: list[tuple[str, str]]) -> None:
    response = client.get(path, query and _as_multidict(query))
    assert response.status_code < 500, (path, query, response.status_code)


def _as_multidict(query: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in query:
        data.setdefault(key, []).append(value)
    return data


@examples(80)
@given(query=QUERIES)
def test_list_page_survives_any_query(client, world, query):
    _assert_no_server_error(client, "/anfragen/", query)


@examples(40)
@given(query=QUERIES)
def test_feeds_survive_any_query(client, world, query):
    _assert_no_server_error(client, reverse("inquiries:inquiry-feed"), query)
    _assert_no_server_error(client, reverse("inquiries:person-feed", args=[world.asker.slug]), query)


@examples(40)
@given(query=QUERIES)
def test_api_and_home_survive_any_query(client, world, query):
    for path in ["/", *_api_list()]:
        _assert_no_server_error(client, path, query)


@examples(30)
@given(reference=st.text(max_size=40), parliament=st.text(min_size=1, max_size=5))
def test_inquiry_paths_survive_any_reference(client, world, reference, parliament):
    path = f"/{parliament}/drucksache/{reference}/"
    response = client.get(path.replace("\x00", "%00"))
    assert response.status_code < 500
