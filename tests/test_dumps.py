"""The bulk download (dump_inquiries) and the open-data page that links it."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from inquiries import dumps
from inquiries.exchange import inquiry_to_record, validate_record
from inquiries.models import Inquiry
from tests.api_support import api_world  # noqa: F401


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def read_records(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def test_dump_holds_every_published_inquiry_as_inquiry_v1(api_world, media):
    dump = dumps.write_dump()
    path = media / "dumps" / dump.file
    records = read_records(path)
    for record in records:
        validate_record(record)
    assert sorted((record["parliament"], record["reference"]) for record in records) == [("BT", "19/3"), ("BW", "17/100"), ("BW", "17/6206")]
    police = next(record for record in records if record["reference"] == "17/6206")
    assert police == json.loads(json.dumps(inquiry_to_record(Inquiry.objects.with_detail_related().get(pk=api_world.police.pk))))
    assert dump.records == 3
    assert dump.bytes == path.stat().st_size
    assert dump.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert dump.format == "inquiry.v1"


def test_dump_metadata_names_the_licences(api_world, media):
    dump = dumps.write_dump()
    metadata = json.loads((media / "dumps" / dump.file.replace(".jsonl.gz", ".json")).read_text(encoding="utf-8"))
    assert metadata["records"] == 3
    assert "§ 5 UrhG" in metadata["licence"]["name"]
    [source] = metadata["sources"]
    assert source["name"] == "kleineanfragen.de"
    assert "ODbL" in source["attribution"] and source["records"] == 1
    assert source["licence_url"].startswith("https://opendatacommons.org/licenses/odbl/")
    assert dumps.latest_dump() == dump


def test_dump_is_reproducible_and_drafts_stay_out(api_world, media):
    first = dumps.write_dump()
    second = dumps.write_dump()
    assert first.sha256 == second.sha256
    text = gzip.decompress((media / "dumps" / first.file).read_bytes()).decode()
    assert "17/999" not in text and "Geheim" not in text and "17/998" not in text


def test_old_dumps_are_pruned(api_world, media):
    moments = [datetime.datetime(2026, 1, day, 12, tzinfo=datetime.timezone.utc) for day in (1, 2, 3, 4)]
    for moment in moments:
        dumps.write_dump(now=moment, keep=2)
    names = sorted(path.name for path in (media / "dumps").iterdir())
    assert names == [
        "inquiries-2026-01-03.json", "inquiries-2026-01-03.jsonl.gz", "inquiries-2026-01-04.json", "inquiries-2026-01-04.jsonl.gz"
    ]
    assert dumps.latest_dump().file == "inquiries-2026-01-04.jsonl.gz"


def test_command(api_world, media):
    out = StringIO()
    call_command("dump_inquiries", stdout=out)
    assert "3 inquiries written to inquiries-" in out.getvalue()
    target = media / "elsewhere"
    call_command("dump_inquiries", "--directory", str(target), "--keep", "1", stdout=StringIO())
    assert len(list(target.glob("*.jsonl.gz"))) == 1
    with pytest.raises(CommandError, match="--keep"):
        call_command("dump_inquiries", "--keep", "0")
    blocker = media / "file"
    blocker.write_text("not a directory")
    with pytest.raises(CommandError, match="cannot write"):
        call_command("dump_inquiries", "--directory", str(blocker / "sub"))


def test_open_data_page_links_the_latest_dump(api_world, media):
    page = Client().get(reverse("inquiries:open-data"))
    assert page.status_code == 200
    assert "kleineanfragen.de" in page.content.decode() and "ODbL" in page.content.decode()
    assert "dumps/" not in page.content.decode()
    dump = dumps.write_dump()
    html = Client().get(reverse("inquiries:open-data")).content.decode()
    link = reverse("inquiries:open-data-dump", args=[dump.file])
    assert f'href="{link}"' in html
    assert dump.sha256 in html
    assert "Open Database License (ODbL 1.0)" in html
    assert reverse("api:docs") in html
    download = Client().get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/gzip"
    assert b"".join(download.streaming_content) == (media / "dumps" / dump.file).read_bytes()


def test_footer_links_the_open_data_page(db):
    assert reverse("inquiries:open-data") in Client().get("/").content.decode()


@pytest.mark.parametrize("name", ["inquiries-2026-01-01.jsonl.gz", "..%2F..%2Fdb.sqlite3", "inquiries-2026-01-01.json", "x.gz"])
def test_only_dump_files_are_served(api_world, media, name):
    dumps.write_dump(now=datetime.datetime(2026, 1, 2, 12, tzinfo=datetime.timezone.utc))
    assert Client().get(f"/offene-daten/{name}").status_code == 404
