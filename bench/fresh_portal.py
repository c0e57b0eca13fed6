"""A migrated portal on a database and search index of its own, for the import scripts of bench/."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def set_up(prefix: str, *, use_database_url: bool, copy_of: Path | None = None) -> Path:
    """Set Django up on a fresh SQLite file in a new temporary folder (or on ``DATABASE_URL`` as
    it is, with ``use_database_url``), with the media and the engine's index in that folder,
    migrated and with an empty index; returns the folder. ``copy_of``: start instead from a copy
    of that folder's database and index (a folder this function made), as they are."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    if copy_of is not None:
        shutil.copy2(copy_of / "portal.sqlite3", workdir / "portal.sqlite3")
        shutil.copytree(copy_of / "search_index", workdir / "search_index", symlinks=True)
    if not use_database_url or copy_of is not None:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'portal.sqlite3'}"
    # DEBUG off, as in production and in bench/run.py's corpus builds (no debug cursor keeping
    # every statement). In alternating runs of 30,000 records on and off measured the same.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # The engine's index of this database, not the one of the checkout's own database.
    os.environ["SEARCH_INDEX_DIR"] = str(workdir / "search_index")

    import django
    from django.core.management import call_command

    django.setup()
    if copy_of is not None:
        return workdir
    call_command("migrate", verbosity=0)
    from inquiries import search

    if search.uses_engine():
        from inquiries.search import engine

        engine.create_empty()
    return workdir
