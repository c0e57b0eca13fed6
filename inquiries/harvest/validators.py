"""The HTTP validators (ETag, Last-Modified) kept in the database between runs."""

from __future__ import annotations

import hashlib

from inquiries.models import HttpValidator


def _key(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


class DatabaseValidators:
    def get(self, url: str) -> tuple[str, str]:
        row = HttpValidator.objects.filter(url_sha256=_key(url)).first()
        return (row.etag, row.last_modified) if row else ("", "")

    def put(self, url: str, etag: str, last_modified: str) -> None:
        HttpValidator.objects.update_or_create(
            url_sha256=_key(url), defaults={"url": url, "etag": etag[:300], "last_modified": last_modified[:100]}
        )
