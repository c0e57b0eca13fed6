"""Schemathesis: generated requests against every operation of the API's own OpenAPI schema.

Runs in-process against the WSGI application on the test database (SQLite or
PostgreSQL), with every default check of schemathesis: no server errors,
documented status codes, content types and headers, bodies valid against the
schema, and invalid input rejected. One test per operation (schemathesis'
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

# Every default check, as configured by default, except one adjustment: values that
# are well-formed but name nothing (an unknown faction slug, a cursor not issued by
# the API, ``ordering`` together with ``modified_since``) are answered with a 400
# that names them, and a page beyond the last with 404. These are the API's
# documented answers, so positive data may get them too; 5xx never.
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}}}
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
