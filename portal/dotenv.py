"""Local settings from a git-ignored ``.env`` file, so `manage.py` works after `make run`.

`make run` writes ``.env`` (DEBUG=true and a generated SECRET_KEY); ``createsuperuser``,
``shell`` and ``dbshell`` then use the same settings without exporting anything. The
file only fills gaps: a variable set in the environment always wins. ``PORTAL_ENV_FILE``
names another file; set to the empty string it turns the file off (the test suite does,
so its checks of a bare environment see one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def parse(text: str, *, source: str = ".env") -> dict[str, str]:
    """``NAME=value`` lines; blank lines and ``#`` comments are skipped, one pair of quotes is removed."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ImproperlyConfigured(f"{source}: line {number} is not NAME=value")
        name, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def load(default: Path) -> Path | None:
    """Put the file's values into ``os.environ`` where nothing is set; the path read, or None."""
    named = os.environ.get("PORTAL_ENV_FILE")
    path = default if named is None else (Path(named) if named else None)
    if path is None or not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{path}: cannot read the local settings: {exc}") from exc
    for name, value in parse(text, source=str(path)).items():
        os.environ.setdefault(name, value)
    return path
