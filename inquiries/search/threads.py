"""A few threads per process for the engine's work that can run beside a request's own.

tantivy releases the GIL while it searches and aggregates, so a page's facet counts can
be counted on one core while the request ranks, reads its rows and builds its snippets
on the other: a single visitor's search waits for the longer of the two, not their sum.
Under full load both cores are busy anyway and nothing is lost but a thread switch.

Only the index is read on these threads, never the database: Django's connections are
per thread, and a page must read one state of the database.
``settings.SEARCH_ENGINE_THREADS`` = 0 runs everything in the calling thread.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, TypeVar

from django.conf import settings

T = TypeVar("T")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None


def _executor() -> ThreadPoolExecutor | None:
    global _pool, _pool_pid
    threads = settings.SEARCH_ENGINE_THREADS
    if threads <= 0:
        return None
    # A pool made before a fork (gunicorn's preload) has no threads in the child: make a new one.
    if _pool is None or _pool_pid != os.getpid():
        with _lock:
            if _pool is None or _pool_pid != os.getpid():
                _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="search-engine")
                _pool_pid = os.getpid()
    return _pool


def submit(work: Callable[[], T]) -> Future[T]:
    """``work()`` started on an engine thread (or done at once without them); its result
    or exception comes out of the future's ``result()``."""
    pool = _executor()
    if pool is not None:
        return pool.submit(work)
    done: Future[T] = Future()
    try:
        done.set_result(work())
    except BaseException as error:  # noqa: BLE001 - handed to the caller as the pool would
        done.set_exception(error)
    return done
