"""Validation against the published JSON schemas of OParl 1.1 and Popolo (read from the shared material, ``shared_dir``).

Everything is resolved locally: the OParl schemas name embedded objects with a
``"schema": "File.json"`` hint, which is followed here by hand; the Popolo
schemas ``$ref`` each other by their popoloproject.com ids, which a local
registry answers. Nothing is fetched from the internet.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft3Validator, Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT3

OPARL_TYPE = re.compile(r"^https://schema\.oparl\.org/1\.1/(\w+)$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return bool(DATE.match(value))


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time with a UTC offset (OParl: a time without zone is ambiguous)."""
    if not isinstance(value, str):
        return True
    if not DATE_TIME.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("url")(_is_url)
    checker.checks("uri")(_is_url)
    checker.checks("date")(_is_date)
    checker.checks("date-time")(_is_date_time)
    checker.checks("email")(lambda value: not isinstance(value, str) or "@" in value)
    return checker


class OParlSchemas:
    """The schemas in ``standards/oparl/spec_schema`` of the shared material, one per object type."""

    def __init__(self, directory: Path) -> None:
        self.schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in directory.glob("*.json")}
        checker = format_checker()
        self.validators = {name: Draft7Validator(schema, format_checker=checker) for name, schema in self.schemas.items()}

    def errors(self, obj: Any, *, where: str = "") -> list[str]:
        """Every problem of an OParl object, its embedded objects included."""
        if not isinstance(obj, dict):
            return [f"{where or '(object)'}: not a JSON object"]
        match = OPARL_TYPE.match(str(obj.get("type", "")))
        if match is None or match.group(1) not in self.schemas:
            return [f"{where or obj.get('id')}: unknown type {obj.get('type')!r}"]
        name = match.group(1)
        where = where or str(obj.get("id"))
        problems = [
            f"{where}/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in self.validators[name].iter_errors(obj)
        ]
        for key, spec in self.schemas[name]["properties"].items():
            if key not in obj or spec.get("references") == "externalList":
                continue
            target = spec.get("schema") or spec.get("items", {}).get("schema")
            if not target or not str(target).endswith(".json"):
                continue
            values = obj[key] if isinstance(obj[key], list) else [obj[key]]
            for index, value in enumerate(values):
                problems += self.embedded_errors(value, target.removesuffix(".json"), where=f"{where}/{key}/{index}")
        return problems

    def embedded_errors(self, value: Any, expected: str, *, where: str) -> list[str]:
        if not isinstance(value, dict) or value.get("type") != f"https://schema.oparl.org/1.1/{expected}":
            return [f"{where}: expected an embedded {expected}, got {value!r:.80}"]
        return self.errors(value, where=where)


class PopoloSchemas:
    """The Popolo schemas, ``$ref``-ing each other through a local registry."""

    def __init__(self, directory: Path) -> None:
        schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in directory.glob("*.json")}
        resources = [(schema["id"].rstrip("#"), Resource.from_contents(schema, default_specification=DRAFT3)) for schema in schemas.values()]

        def refuse(uri: str) -> Resource:
            raise NoSuchResource(ref=uri)

        registry = Registry(retrieve=refuse).with_resources(resources)
        checker = format_checker()
        self.validators = {
            name: Draft3Validator(schema, registry=registry, format_checker=checker) for name, schema in schemas.items()
        }

    def errors(self, obj: Any, kind: str) -> list[str]:
        """Problems of ``obj`` as a Popolo ``kind`` (person, organization, membership)."""
        return [
            f"{kind} {obj.get('id') if isinstance(obj, dict) else obj!r}/{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in self.validators[kind].iter_errors(obj)
        ]
