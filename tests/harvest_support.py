"""A small HTTP server on 127.0.0.1 for the harvester's tests (loopback only, never the internet).

Each route maps a path to a function of the request that returns (status, headers, body);
every request is recorded with its query and headers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest

from inquiries.harvest.http import PoliteClient
from inquiries.harvest.validators import DatabaseValidators

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "harvest"

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class LocalServer:
    routes: dict[str, Callable[[Seen], Answer]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    base_url: str = ""

    def requests_to(self, path: str) -> list[Seen]:
        return [request for request in self.seen if request.path == path]

    def static(self, path: str, body: bytes, *, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.routes[path] = lambda request: (status, dict(headers or {}), body)


def start_server() -> tuple[LocalServer, Callable[[], None]]:
    state = LocalServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self._answer({})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            self._answer(form)

        def _answer(self, form: dict[str, str]) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            seen = Seen(parts.path, {**query, **form}, {k.lower(): v for k, v in self.headers.items()})
            state.seen.append(seen)
            route = state.routes.get(parts.path)
            status, headers, body = route(seen) if route else (404, {}, b"not found")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    return state, stop


DOCUMENTS = Path(__file__).resolve().parent / "fixtures" / "documents"


def serve_document(server: LocalServer, path: str, body: bytes, etag: str = '"1"') -> None:
    """A document under ``path`` with an ETag, answering 304 to a request that names it."""

    def answer(request: Seen) -> Answer:
        if request.headers.get("if-none-match") == etag:
            return 304, {"ETag": etag}, b""
        return 200, {"ETag": etag, "Content-Type": "application/pdf"}, body

    server.routes[path] = answer


# The fixtures of the harvest tests; a test module takes them with
# ``from tests.harvest_support import client, server``.
@pytest.fixture
def server() -> Iterator[LocalServer]:
    state, stop = start_server()
    yield state
    stop()


def polite_client(*, retries: int = 1) -> PoliteClient:
    """The harvester's client as a run builds it, without pauses, for the loopback server."""
    return PoliteClient(user_agent="TestHarvester/1.0 (redaktion@example.org)", delay=0, backoff=0, retries=retries, validators=DatabaseValidators())


@pytest.fixture
def client() -> Iterator[PoliteClient]:
    polite = polite_client()
    yield polite
    polite.close()
