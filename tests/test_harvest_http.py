"""The harvester's polite HTTP client against a server on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from inquiries.harvest.http import HarvestHttpError, PoliteClient, RobotsRefused
from tests.harvest_support import start_server


@pytest.fixture
def server():
    state, stop = start_server()
    yield state
    stop()


def client(**kwargs) -> tuple[PoliteClient, list[float]]:
    pauses: list[float] = []
    options = {"user_agent": "TestHarvester/1.0 (redaktion@example.org)", "delay": 0, "backoff": 0.5, "retries": 3}
    options.update(kwargs)
    return PoliteClient(sleep=pauses.append, **options), pauses


def test_sends_the_user_agent_and_reads_robots_txt_once_per_host(server):
    server.static("/robots.txt", b"User-agent: *\nDisallow: /private/\n")
    server.static("/a", b"A")
    server.static("/b", b"B")
    polite, _pauses = client()
    assert polite.get(f"{server.base_url}/a").content == b"A"
    assert polite.get(f"{server.base_url}/b").content == b"B"
    assert len(server.requests_to("/robots.txt")) == 1
    assert all(request.headers["user-agent"] == "TestHarvester/1.0 (redaktion@example.org)" for request in server.seen)


def test_a_path_forbidden_by_robots_txt_is_refused_and_never_requested(server):
    server.static("/robots.txt", b"User-agent: *\nDisallow: /\n")
    server.static("/doc.pdf", b"%PDF")
    polite, _pauses = client()
    with pytest.raises(RobotsRefused, match="robots.txt"):
        polite.get(f"{server.base_url}/doc.pdf")
    assert server.requests_to("/doc.pdf") == []


def test_a_missing_robots_txt_allows_everything(server):
    server.static("/doc", b"x")
    polite, _pauses = client()
    assert polite.get(f"{server.base_url}/doc").status == 200


def test_conditional_request_with_the_kept_etag_and_last_modified_gets_304(server):
    def answer(request):
        if request.headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Mon, 21 Sep 2026 09:20:44 GMT"}, b"export"

    server.routes["/export.xml"] = answer
    polite, _pauses = client()
    first = polite.get(f"{server.base_url}/export.xml")
    second = polite.get(f"{server.base_url}/export.xml")
    assert (first.status, first.content) == (200, b"export")
    assert second.not_modified
    sent = server.requests_to("/export.xml")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 21 Sep 2026 09:20:44 GMT"
    unconditional = polite.get(f"{server.base_url}/export.xml", conditional=False)
    assert unconditional.status == 200


def test_5xx_is_retried_with_growing_pauses(server):
    answers = iter([(503, {}, b""), (502, {}, b""), (200, {}, b"ok")])
    server.routes["/flaky"] = lambda request: next(answers)
    polite, pauses = client()
    assert polite.get(f"{server.base_url}/flaky").content == b"ok"
    assert pauses == [0.5, 1.0]
    assert len(server.requests_to("/flaky")) == 3


def test_5xx_beyond_the_retries_is_an_error_naming_the_url(server):
    server.static("/down", b"", status=500)
    polite, pauses = client(retries=2)
    with pytest.raises(HarvestHttpError, match="/down: server error 500, gave up after 3 attempts"):
        polite.get(f"{server.base_url}/down")
    assert pauses == [0.5, 1.0]


def test_4xx_is_not_retried(server):
    server.static("/gone", b"", status=404)
    polite, pauses = client()
    with pytest.raises(HarvestHttpError) as error:
        polite.get(f"{server.base_url}/gone")
    assert error.value.status == 404
    assert pauses == []
    assert len(server.requests_to("/gone")) == 1


def test_timeouts_are_retried():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if len(calls) < 3:
            raise httpx.ReadTimeout("slow", request=request)
        return httpx.Response(200, content=b"late")

    polite, pauses = client(transport=httpx.MockTransport(handler))
    assert polite.get("https://landtag.example/doc").content == b"late"
    assert pauses == [0.5]


def test_requests_to_one_host_keep_the_delay(server):
    server.static("/a", b"A")
    polite, pauses = client(delay=30)
    polite.get(f"{server.base_url}/a")
    polite.get(f"{server.base_url}/a")
    # robots.txt, then /a after a pause, then /a after another
    assert len(pauses) == 2 and all(0 < pause <= 30 for pause in pauses)
