"""The Content-Security-Policy header: django-csp's own, built once for responses that change nothing of it (portal/csp.py)."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from portal.csp import CSPMiddleware

pytestmark = pytest.mark.django_db


def _through_middleware(view):
    request = RequestFactory().get("/anywhere/")
    middleware = CSPMiddleware(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def test_pages_and_the_api_carry_django_csps_policy(client):
    for url in ("/", "/anfragen/", "/api/v1/inquiries/", "/robots.txt"):
        response = client.get(url)
        assert response[HEADER] == build_policy()
        assert HEADER_REPORT_ONLY not in response


def test_a_view_that_changes_the_policy_gets_its_own():
    @csp_update({"img-src": ["https://maps.example"]})
    def updated(request):
        return HttpResponse("map")

    @csp_exempt()
    def exempt(request):
        return HttpResponse("exempt")

    _, response = _through_middleware(updated)
    assert "img-src 'self' data: https://maps.example" in response[HEADER]
    _, response = _through_middleware(exempt)
    assert HEADER not in response


def test_a_nonce_asked_for_before_the_header_is_in_it_and_after_is_an_error(settings):
    from csp.constants import NONCE
    from csp.exceptions import CSPNonceError

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}}

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    request, response = _through_middleware(with_nonce)
    assert f"'nonce-{response.content.decode()}'" in response[HEADER]
    request, response = _through_middleware(lambda request: HttpResponse("plain"))
    assert response[HEADER] == build_policy()
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_a_changed_setting_changes_the_header(client, settings):
    before = client.get("/robots.txt")[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https://img.example"]}}
    changed = client.get("/robots.txt")[HEADER]
    assert changed != before and "https://img.example" in changed
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/robots.txt")[HEADER_REPORT_ONLY] == "default-src 'none'"
