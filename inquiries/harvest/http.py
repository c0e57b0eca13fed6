"""The polite HTTP client of the harvester.

A good citizen of the parliaments' servers: it reads each host's robots.txt before the
first request and refuses what it forbids (``RobotsRefused``, never a silent skip), sends
one request at a time per host with a pause between them, asks conditionally with the
ETag / Last-Modified it kept, names itself and a contact address in the User-Agent, and
retries with growing pauses on 5xx answers and timeouts, but never on 4xx.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol
from urllib.parse import urlsplit

import httpx
from django.conf import settings


class HarvestHttpError(Exception):
    """A request that did not give a usable answer; ``url`` names the address."""

    def __init__(self, url: str, message: str, *, status: int | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message
        self.status = status


class RobotsRefused(HarvestHttpError):
    """The host's robots.txt forbids this address to our User-Agent."""

    def __init__(self, url: str) -> None:
        super().__init__(url, "refused by the host's robots.txt")


@dataclass
class Fetched:
    url: str
    status: int
    content: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")


class ValidatorStore(Protocol):
    """Keeps the ETag / Last-Modified of each address between runs."""

    def get(self, url: str) -> tuple[str, str]: ...

    def put(self, url: str, etag: str, last_modified: str) -> None: ...


class MemoryValidators:
    def __init__(self) -> None:
        self._data: dict[str, tuple[str, str]] = {}

    def get(self, url: str) -> tuple[str, str]:
        return self._data.get(url, ("", ""))

    def put(self, url: str, etag: str, last_modified: str) -> None:
        self._data[url] = (etag, last_modified)


class PoliteClient:
    """GET requests to the parliaments' servers, politely (see the module's docstring).

    ``transport`` replaces the network (tests pass an ``httpx.MockTransport`` or talk to a
    server on 127.0.0.1); ``sleep`` replaces ``time.sleep`` so that pauses can be observed.
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        delay: float | None = None,
        backoff: float | None = None,
        retries: int | None = None,
        timeout: float | None = None,
        validators: ValidatorStore | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.user_agent = user_agent or settings.HARVEST_USER_AGENT
        self.delay = settings.HARVEST_DELAY_MS / 1000 if delay is None else delay
        self.backoff = settings.HARVEST_BACKOFF_MS / 1000 if backoff is None else backoff
        self.retries = settings.HARVEST_RETRIES if retries is None else retries
        self.validators = validators or MemoryValidators()
        self.sleep = sleep
        self.log = log
        self._http = httpx.Client(
            transport=transport,
            timeout=settings.HARVEST_TIMEOUT_SECONDS if timeout is None else timeout,
            headers={"User-Agent": self.user_agent},
            follow_redirects=True,
        )
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._guard = threading.Lock()
        self.requests_made = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- the one public request ------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        conditional: bool = True,
    ) -> Fetched:
        """The answer to GET ``url``: 200 with content, or 304 when ``conditional`` and unchanged.

        Raises ``RobotsRefused`` when robots.txt forbids the address and ``HarvestHttpError``
        for a 4xx (at once) or when 5xx answers and timeouts outlast the retries.
        """
        full_url = str(httpx.URL(url, params=params)) if params else url
        host = _host(full_url)
        if not self._robots_for(host).can_fetch(self.user_agent, full_url):
            raise RobotsRefused(full_url)
        request_headers = dict(headers or {})
        if conditional:
            etag, last_modified = self.validators.get(full_url)
            if etag:
                request_headers["If-None-Match"] = etag
            if last_modified:
                request_headers["If-Modified-Since"] = last_modified
        response = self._send(host, full_url, request_headers)
        fetched = Fetched(full_url, response.status_code, response.content, {k.lower(): v for k, v in response.headers.items()})
        if fetched.status == 200 and (fetched.etag or fetched.last_modified):
            self.validators.put(full_url, fetched.etag, fetched.last_modified)
        return fetched

    def post_form(self, url: str, form: Mapping[str, str], *, headers: Mapping[str, str] | None = None) -> Fetched:
        """POST ``form`` (url-encoded) to a search interface that only answers POSTs (Parldok).

        The same manners as ``get``: robots.txt, one request at a time per host, retries.
        """
        host = _host(url)
        if not self._robots_for(host).can_fetch(self.user_agent, url):
            raise RobotsRefused(url)
        response = self._send(host, url, dict(headers or {}), form=form)
        return Fetched(url, response.status_code, response.content, {k.lower(): v for k, v in response.headers.items()})

    # --- robots.txt ------------------------------------------------------------------------

    def _robots_for(self, host: str) -> urllib.robotparser.RobotFileParser:
        if host in self._robots:
            return self._robots[host]
        parser = urllib.robotparser.RobotFileParser(f"{host}/robots.txt")
        try:
            response = self._send(host, f"{host}/robots.txt", {}, accept_4xx=True)
        except HarvestHttpError:
            # Unreachable robots.txt (5xx, timeouts): RFC 9309 says to assume everything is forbidden.
            parser.parse(["User-agent: *", "Disallow: /"])
        else:
            if response.status_code in (401, 403):
                parser.parse(["User-agent: *", "Disallow: /"])
            elif response.status_code >= 400:
                parser.parse([])  # no robots.txt: everything allowed
            else:
                parser.parse(response.text.splitlines())
        self._robots[host] = parser
        return parser

    # --- one request at a time per host, with retries ----------------------------------------

    def _send(
        self, host: str, url: str, headers: Mapping[str, str], *, accept_4xx: bool = False, form: Mapping[str, str] | None = None
    ) -> httpx.Response:
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            attempt = 0
            while True:
                self._wait_turn(host)
                try:
                    if form is None:
                        response = self._http.get(url, headers=headers)
                    else:
                        response = self._http.post(url, headers=headers, data=dict(form))
                    problem = f"server error {response.status_code}" if response.status_code >= 500 else None
                except httpx.TimeoutException:
                    response, problem = None, "timed out"
                except httpx.TransportError as exc:
                    response, problem = None, f"connection failed ({exc.__class__.__name__})"
                finally:
                    self._last_request[host] = time.monotonic()
                    self.requests_made += 1
                if problem is None:
                    assert response is not None
                    if response.status_code >= 400 and not accept_4xx:
                        # A client error will not go away by asking again.
                        raise HarvestHttpError(url, f"HTTP {response.status_code}", status=response.status_code)
                    return response
                if attempt >= self.retries:
                    status = response.status_code if response is not None else None
                    raise HarvestHttpError(url, f"{problem}, gave up after {attempt + 1} attempts", status=status)
                pause = self.backoff * (2**attempt)
                self.log(f"{url}: {problem}; retrying in {pause:g} s")
                self.sleep(pause)
                attempt += 1

    def _wait_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is None or self.delay <= 0:
            return
        remaining = self.delay - (time.monotonic() - last)
        if remaining > 0:
            self.sleep(remaining)


def _host(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HarvestHttpError(url, "not an http(s) address")
    return f"{parts.scheme}://{parts.netloc}"
