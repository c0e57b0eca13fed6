"""Shared fixtures. ``../shared`` is reached only through the ``shared_dir`` fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent


def _find_shared() -> Path:
    candidates = [os.environ.get("PORTAL_SHARED_DIR"), REPO_DIR.parent / "shared", REPO_DIR.parent.parent / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "formats" / "inquiry.v1.schema.json").is_file():
            return Path(candidate)
    raise RuntimeError(
        "The shared material (../shared) was not found next to the repository; "
        "set PORTAL_SHARED_DIR to its path."
    )


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ``shared/`` folder with real documents, data and standards."""
    return _find_shared()


@pytest.fixture(autouse=True)
def _empty_cache(settings) -> None:
    """Every test starts with an empty cache: a rolled-back test leaves the data version
    as it found it, so counts it cached would otherwise be taken for the next test's.

    Whole pages are not cached unless a test turns that on (tests/test_cache.py): many
    tests change rows behind the hooks' back, or replace them, and look at a page again.
    """
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(autouse=True)
def _search_index(settings, tmp_path_factory):
    """Every test gets an empty search index of its own (per xdist worker, per test),
    which takes in the test's change log on its first search: data a rolled-back test
    wrote never reaches the next one."""
    import shutil

    from inquiries.search import engine

    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("search-index")
    if settings.SEARCH_ENGINE == "tantivy":
        engine.create_empty()
    yield
    engine.close()
    shutil.rmtree(settings.SEARCH_INDEX_DIR, ignore_errors=True)
