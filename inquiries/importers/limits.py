"""How much one document parse may take: lines, pages and time (issue 18).

An answer document has a few hundred to a few thousand lines; a file of a million lines
or sixty thousand pages is none, and parsing it must not hold a web worker until the
server kills it. So a document is refused early when it has more lines
(``DOCUMENT_MAX_LINES``) or pages (``DOCUMENT_MAX_PAGES``) than the settings allow, and
the parse runs in a forked helper process that is stopped after
``DOCUMENT_PARSE_SECONDS`` (keep it below the server's timeout, gunicorn's 30 s by
default). Each refusal is a ``DocumentError`` naming the file, the limit and its setting.
A limit of 0 turns it off.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from multiprocessing.connection import Connection
from typing import Any, Callable, TypeVar

from django.conf import settings

from inquiries.importers.base import DocumentError

T = TypeVar("T")


def max_lines() -> int:
    return settings.DOCUMENT_MAX_LINES


def max_pages() -> int:
    return settings.DOCUMENT_MAX_PAGES


def parse_seconds() -> float:
    return settings.DOCUMENT_PARSE_SECONDS


def check_lines(name: str, text: str) -> None:
    """Refuse a text with more lines than ``DOCUMENT_MAX_LINES`` before it is parsed."""
    limit = max_lines()
    if not limit:
        return
    # Old Mac files end lines with CR alone; normalising makes lines of them later.
    lines = max(text.count("\n"), text.count("\r")) + 1
    if lines > limit:
        raise DocumentError(
            name,
            f"too many lines: {lines:,} lines, the limit is {limit:,} (DOCUMENT_MAX_LINES); "
            "an answer document has far fewer — is this the right file?",
        )


def check_pages(name: str, pages: int) -> None:
    """Refuse a PDF with more pages than ``DOCUMENT_MAX_PAGES`` before its text is extracted."""
    limit = max_pages()
    if limit and pages > limit:
        raise DocumentError(
            name,
            f"too many pages: {pages:,} pages, the limit is {limit:,} (DOCUMENT_MAX_PAGES); "
            "an answer document has far fewer — is this the right file?",
        )


def _budget_available() -> bool:
    # A forked helper inherits the loaded parsers, schema and settings at no cost; where
    # processes cannot be forked, the line and page limits alone bound the parse.
    return "fork" in multiprocessing.get_all_start_methods()


def within_budget(name: str, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)`` in a helper process stopped after ``DOCUMENT_PARSE_SECONDS``.

    ``function`` must not touch the database (the parsers do not). Its result, or the
    ``DocumentError`` it raised, comes back as if it had run here.
    """
    seconds = parse_seconds()
    if not seconds or not _budget_available():
        return function(*args, **kwargs)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    helper = context.Process(target=_run, args=(sending, function, args, kwargs), daemon=True)
    helper.start()
    sending.close()
    try:
        if not receiving.poll(seconds):
            raise DocumentError(
                name,
                f"parsing took longer than {seconds:g} s and was stopped (DOCUMENT_PARSE_SECONDS); "
                "the document is too large or not an answer document",
            )
        try:
            kind, value = receiving.recv()
        except EOFError:
            helper.join(5)
            raise DocumentError(
                name, f"the parser stopped without a result (exit status {helper.exitcode}); the document may be too large"
            ) from None
    finally:
        receiving.close()
        if helper.is_alive():
            helper.kill()
        helper.join(5)
    if kind == "result":
        return value
    if kind == "document-error":
        raise DocumentError(*value)
    raise value


def _run(sending: Connection, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        outcome: tuple[str, Any] = ("result", function(*args, **kwargs))
    except DocumentError as error:
        outcome = ("document-error", (error.name, error.problem))
    except BaseException as error:  # a parser's bug: raised again in the caller, as far as it can be
        try:
            pickle.dumps(error)
            outcome = ("error", error)
        except Exception:
            outcome = ("error", RuntimeError(f"{type(error).__name__}: {error}"))
    try:
        sending.send(outcome)
    finally:
        sending.close()
        # Nothing of the parent's (database connections, temporary files) is cleaned up here.
        os._exit(0)
