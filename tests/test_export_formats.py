"""One inquiry.v1 exporter: the JSONL export, the dumps and the API detail give the same records,
in the same order and spelling."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import call_command

from inquiries import dumps
from inquiries.exchange import record_json
from tests.api_support import API, api  # noqa: F401
from tests.factories import InquiryFactory, ParliamentFactory, PersonFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def test_export_dump_and_api_detail_write_the_same_records(api, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    bw, bt = ParliamentFactory(code="BW", name="Landtag"), ParliamentFactory(code="BT", name="Bundestag")
    person = PersonFactory(first_name="Anna", last_name="Grün")
    inquiries = [
        InquiryFactory(parliament=bw, reference="17/20", title="Zweite „Anfrage“ – mit Umlauten: Grün", askers=[person]),
        InquiryFactory(parliament=bw, reference="17/3", title="Erste"),
        InquiryFactory(parliament=bt, reference="19/7", title="Bund"),
    ]
    QuestionFactory(inquiry=inquiries[0], text="Wie?", answer="So.")
    exported = io.StringIO()
    call_command("export_inquiries", stdout=exported, stderr=io.StringIO())
    export_lines = exported.getvalue().splitlines()

    dump = dumps.write_dump(tmp_path / "dumps")
    with gzip.open(tmp_path / "dumps" / dump.file, "rt", encoding="utf-8") as packed:
        dump_lines = packed.read().splitlines()

    assert export_lines == dump_lines
    # Parliament, term, then the number of the paper: 17/3 before 17/20.
    assert [json.loads(line)["reference"] for line in export_lines] == ["19/7", "17/3", "17/20"]
    assert all(line == record_json(json.loads(line)) for line in export_lines)
    assert "Grün" in export_lines[2] and '","' in export_lines[2] and '": ' not in export_lines[2]
    for inquiry, line in zip([inquiries[2], inquiries[1], inquiries[0]], export_lines):
        detail = api.get(f"{API}inquiries/{inquiry.pk}/")
        assert detail.status_code == 200
        assert detail.json() == json.loads(line)
