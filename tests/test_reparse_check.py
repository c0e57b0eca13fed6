"""`manage.py reparse_documents --check` (also `manage.py reparse --check`): every kept original
is parsed again and compared with its kept record; nothing is saved. The same parser version
must give the same record; what a new version reads differently is reported as a change."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inquiries.importers.common import VERSION as COMMON_VERSION
from inquiries.models import Inquiry, SourceDocument
from inquiries.services.documents import check_documents, import_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def imported(shared_dir):
    names = []
    for stem in ("bt/bt-21-1096", "be/be-19-10006", "sl-15-1284-answer"):
        path = shared_dir / "documents" / f"{stem}.txt"
        import_document(path.name, path.read_bytes())
        names.append(path.name)
    return names


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_unchanged_documents_give_the_same_record(imported):
    out, err = run("reparse_documents", "--check")
    for name in imported:
        assert f"{name}: same record (parser version " in out
    assert "3 documents checked: 3 same, 0 changed by a new parser version, 0 faults." in out
    assert err == ""


def test_the_short_name_reparse_does_the_same(imported):
    out, _ = run("reparse", "--check")
    assert "3 documents checked: 3 same" in out


def test_check_saves_nothing(imported):
    before = list(Inquiry.objects.order_by("pk").values_list("pk", "updated_at"))
    kept = {source.pk: source.imported_at for source in SourceDocument.objects.all()}
    run("reparse_documents", "--check")
    assert list(Inquiry.objects.order_by("pk").values_list("pk", "updated_at")) == before
    assert {source.pk: source.imported_at for source in SourceDocument.objects.all()} == kept


def test_a_difference_under_the_same_version_is_a_fault(imported):
    source = SourceDocument.objects.get(original_name="bt-21-1096.txt")
    source.parsed["record"]["title"] = "Ein anderer Titel"
    source.save(update_fields=["parsed"])
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 documents differ under the same parser version or cannot be parsed"):
        call_command("reparse_documents", "--check", stdout=out, stderr=err)
    assert f"bt-21-1096.txt: differs in title although the parser version is the same ({COMMON_VERSION}+data." in err.getvalue()


def test_a_new_parser_version_is_reported_as_a_change(imported):
    source = SourceDocument.objects.get(original_name="be-19-10006.txt")
    record = source.parsed["record"]
    record["extraction"]["version"] = "0"
    record["answered_on"] = None
    source.save(update_fields=["parsed"])
    out, err = run("reparse_documents", "--check")
    assert f"be-19-10006.txt: differs in answered_on, extraction (parser version 0 → {COMMON_VERSION}+data." in out
    assert "1 changed by a new parser version, 0 faults." in out and err == ""
    [check] = [check for check in check_documents() if check.source.pk == source.pk]
    assert check.differences == ["answered_on", "extraction"] and not check.same_version


def test_a_lost_original_is_a_fault_naming_it(imported, media):
    shutil.rmtree(media)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("reparse_documents", "--check", stdout=out, stderr=err)
    assert "bt-21-1096.txt: the kept original file is missing" in err.getvalue()


def test_check_takes_no_format(imported):
    with pytest.raises(CommandError, match="takes no --format"):
        call_command("reparse_documents", "--check", "--format", "sl", stdout=io.StringIO(), stderr=io.StringIO())


def test_documents_with_tables_give_the_same_record(shared_dir):
    from tests.answer_table_docs import table_pdf

    import_document("bt-21-9999.pdf", table_pdf())
    path = shared_dir / "documents" / "bt" / "bt-21-424.txt"
    import_document(path.name, path.read_bytes())
    assert SourceDocument.objects.filter(parsed__record__questions__0__tables__isnull=False).count() == 2
    out, err = run("reparse_documents", "--check")
    assert "2 documents checked: 2 same, 0 changed by a new parser version, 0 faults." in out
    assert err == ""
