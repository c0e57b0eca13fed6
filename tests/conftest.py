"""Shared fixtures. The shared material (tests/fixtures/shared) is reached only through the ``shared_dir`` fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent
# The checkout's .env (written by `make run`) is not read by the suite or the processes it
# starts: tests of a bare environment must see one (portal/dotenv.py).
os.environ["PORTAL_ENV_FILE"] = ""
# The files of the project's shared material that the tests use, kept in the repository
# (tests/fixtures/shared/README.md names their sources and licences).
FIXTURE_SHARED_DIR = Path(__file__).resolve().parent / "fixtures" / "shared"


def _find_shared() -> Path:
    override = os.environ.get("PORTAL_SHARED_DIR")
    if not override:
        return FIXTURE_SHARED_DIR
    path = Path(override)
    if not (path / "formats" / "example-bw-17-6206.jsonl").is_file():
        raise RuntimeError(f"PORTAL_SHARED_DIR={override} holds no formats/example-bw-17-6206.jsonl; unset it to use {FIXTURE_SHARED_DIR}.")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared material (real documents, data, standards): ``tests/fixtures/shared``,
    or the folder ``PORTAL_SHARED_DIR`` names."""
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


@pytest.fixture(params=["tantivy", "database"])
def backend(request, settings, db):
    """The search backend of a test that runs on both: asked for before the test's data, so
    its inquiries are indexed by this backend."""
    from inquiries import search

    settings.SEARCH_ENGINE = request.param
    if request.param == "database":
        search.rebuild_index()
    return request.param
