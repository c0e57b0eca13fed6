"""Strict parsing of settings from the environment.

A bad value must stop the start with a message that names the variable, so every
reader here raises ``ImproperlyConfigured`` instead of guessing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def get_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    """Read ``name``, or the contents of the file named by ``name_FILE`` (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name!r}: {exc.strerror}") from exc
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"{name} must be set")
        return default
    return value


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}")


def get_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, got {value}")
    return value


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} must be a comma-separated list without empty items, got {raw!r}")
    return items


_URL_PATH = re.compile(r"^(?:[A-Za-z0-9._~-]+/)+$")


def get_url_path(name: str, default: str) -> str:
    """A relative URL path such as ``admin/`` or ``intern/redaktion/`` (segments, each ending in "/")."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not _URL_PATH.match(value) or any(segment in {".", ".."} for segment in value.split("/")):
        raise ImproperlyConfigured(
            f"{name} must be a relative path of letters, digits and . _ ~ - ending in '/', e.g. 'redaktion/', got {raw!r}"
        )
    return value


def get_database(name: str, default: str) -> dict:
    import dj_database_url

    raw = get_str(name, default)
    assert raw is not None
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
        raise ImproperlyConfigured(f"{name} must point to SQLite or PostgreSQL, got {raw!r}")
    if engine == "django.db.backends.sqlite3":
        # Django's backend, remembering the placeholder conversion of each statement (portal/sqlite3/base.py).
        config["ENGINE"] = "portal.sqlite3"
        # Tests in memory, as for Django's own engine name (pytest-django's workers would
        # otherwise name a file after the database's path).
        config["TEST"] = {"NAME": ":memory:"}
        options = config.setdefault("OPTIONS", {})
        # Wait instead of failing when the dev server and a loader write at once.
        options["timeout"] = 20
        # Write-ahead log: readers never wait for a writer, and a commit needs no fsync
        # of the database file (synchronous=NORMAL is durable across application crashes
        # in this mode; only a power loss may undo the last commits). A rollback journal
        # with its fsync per commit made imports several times slower. 16 KB pages (for a
        # new file only) hold a whole inquiry's text in fewer overflow pages.
        options["init_command"] = "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
        # Kept open between requests, as PostgreSQL's are: opening a file costs more than an
        # inquiry page's queries (SQLite reads and parses the whole schema on a connection's
        # first statement, then runs the PRAGMAs above; the close of a process's last one
        # checkpoints the log): 2.7 -> 1.0 ms of CPU per API detail (results-page14.md). In
        # autocommit every statement is a read transaction of its own, so a kept connection
        # sees each commit of another process as a new one would (tests/test_settings.py).
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = False
    else:
        # Django's backend with a cursor whose statements are prepared on the server
        # (portal/postgresql/base.py), for the reads every request repeats. Off for a pooler
        # that cannot keep named statements (docs/deploy.md).
        config["ENGINE"] = "portal.postgresql"
        if get_bool("DATABASE_PREPARED_STATEMENTS", True):
            # Any number turns psycopg's statement cache on; only the prepared cursor asks
            # it to prepare (on a statement's first run), Django's own cursors never do.
            config.setdefault("OPTIONS", {})["prepare_threshold"] = 5
    return config
