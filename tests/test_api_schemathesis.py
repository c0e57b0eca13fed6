"""Schemathesis: generated requests against every operation of the API's own OpenAPI schema.

Runs in-process against the WSGI application on the test database (SQLite or
PostgreSQL), with every check of schemathesis (``--checks all``): no server errors,
documented status codes, content types and headers, bodies valid against the
schema, valid input accepted and invalid input rejected. One test per operation (schemathesis'
own pytest collection does not run under this pytest version, so the
operations are parametrized here from the generated schema).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings

from tests.api_support import api_world  # noqa: F401

# Enough examples to reach every parameter, few enough for well under a minute per database.
EXAMPLES = 10

# Every check schemathesis has (as `st run --checks all`), each as configured by default
# but one: values that are well-formed but name nothing (an unknown faction slug, a
# cursor the API never issued, a term number past 999) are answered with a 400 that
# names them, the API's documented answer, so positive data may get it too; 5xx never.
# Parameters the schema allows together are accepted together (tests/test_api_sync.py:
# ``ordering`` with ``modified_since`` or ``cursor``), and ``test_undeclared_methods_…``
# below covers what the CLI's coverage phase adds, which generated cases cannot reach.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"enabled": True, "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}}}
)

OPERATIONS = sorted(
    (path, method.upper())
    for path, operations in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in operations
)


@pytest.fixture
def api_schema(api_world, settings):  # noqa: F811
    # Hundreds of requests in a few seconds: the throttle would answer 429.
    settings.API_THROTTLE_RATE = ""
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    # As Django's test client does: the WSGI handler would close the connection after
    # each request, which ends the test's transaction on PostgreSQL.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application(), config=CONFIG)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_is_covered():
    assert len(OPERATIONS) >= 16
    assert ("/api/v1/inquiries/", "GET") in OPERATIONS and ("/api/v1/search/", "GET") in OPERATIONS


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_operation_conforms_to_the_schema(api_schema, path, method):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        case.call_and_validate()

    check()


UNDECLARED_METHODS = ["TRACE", "PUT", "POST", "PATCH", "DELETE"]


@pytest.mark.parametrize("template", sorted({path for path, _method in OPERATIONS}))
def test_undeclared_methods_answer_405_with_allow(api_world, client, template):  # noqa: F811
    """What schemathesis' unsupported_method check asks of every address of the schema:
    for an existing resource, one that names nothing and an id past the id pattern."""
    inquiry = api_world.police
    values = [
        {"id": str(inquiry.pk), "parliament": inquiry.parliament.code.lower(), "reference": inquiry.reference.replace("/", "-")},
        {"id": "987654321", "parliament": "xx", "reference": "99-99999"},
        {"id": "9" * 30, "parliament": "x" * 40, "reference": "x"},
    ]
    for value in values:
        path = template
        for name, text in value.items():
            path = path.replace("{" + name + "}", text)
        for method in UNDECLARED_METHODS:
            response = client.generic(method, path)
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            assert {item.strip() for item in response["Allow"].split(",")} == {"GET", "HEAD", "OPTIONS"}, f"{method} {path}"
