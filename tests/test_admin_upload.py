"""Uploading an answer document in the admin: the importer makes a draft that opens for review."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries.importers.common import VERSION as COMMON_VERSION
from inquiries.models import Inquiry, InquiryState, SourceDocument
from tests.admin_helpers import admin_url
from tests.workflow_factories import UserFactory, administrator, editor, publisher

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_upload(shared_dir) -> SimpleUploadedFile:
    data = (shared_dir / "documents" / "bw-17-6206-antwort.txt").read_bytes()
    return SimpleUploadedFile("bw-17-6206-antwort.txt", data, content_type="text/plain")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_editor_uploads_a_document_and_gets_the_draft(client, seed_upload):
    client.force_login(editor())
    page = client.get(admin_url("changelist"))
    assert admin_url("upload") in page.content.decode()
    response = client.post(admin_url("upload"), {"document": seed_upload, "format": ""}, follow=True)
    inquiry = Inquiry.objects.get(reference="17/6206")
    assert response.redirect_chain[-1][0] == admin_url("change", inquiry.pk)
    assert inquiry.state == InquiryState.DRAFT
    assert inquiry.questions.count() == 9
    assert SourceDocument.objects.filter(inquiry=inquiry).count() == 1
    messages = [str(message) for message in response.context["messages"]]
    assert any("17/6206" in message and "bw-17-6206-antwort.txt" in message for message in messages)


def test_a_forced_layout_that_does_not_fit_is_an_error_and_saves_nothing(client, seed_upload):
    client.force_login(editor())
    response = client.post(admin_url("upload"), {"document": seed_upload, "format": "ni"})
    assert response.status_code == 400
    assert "bw-17-6206-antwort.txt" in response.content.decode()
    assert not Inquiry.objects.exists()
    assert not SourceDocument.objects.exists()


def test_junk_is_refused_with_a_message_naming_the_file(client):
    client.force_login(administrator())
    junk = SimpleUploadedFile("junk.bin", bytes(range(256)) * 64, content_type="application/octet-stream")
    response = client.post(admin_url("upload"), {"document": junk, "format": ""})
    assert response.status_code == 400
    assert "junk.bin" in response.content.decode()
    assert not Inquiry.objects.exists()


def test_missing_file_is_a_form_error(client):
    client.force_login(editor())
    response = client.post(admin_url("upload"), {"format": ""})
    assert response.status_code == 400
    assert not Inquiry.objects.exists()


@pytest.mark.parametrize("make_user", [publisher, lambda: UserFactory(roles=[])])
def test_only_importers_may_upload(client, seed_upload, make_user):
    client.force_login(make_user())
    assert client.get(admin_url("upload")).status_code == 403
    assert client.post(admin_url("upload"), {"document": seed_upload}).status_code == 403
    assert not Inquiry.objects.exists()


def test_anonymous_visitors_are_sent_to_the_login(client, seed_upload):
    response = client.post(admin_url("upload"), {"document": seed_upload})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Inquiry.objects.exists()


def test_the_draft_review_shows_what_the_parser_left_empty(client, shared_dir):
    # A Bundestag answer does not print the day the question was asked; the parser leaves the
    # date empty rather than guess, and the editor sees it named with the unanswered questions.
    data = (shared_dir / "documents" / "bt" / "bt-21-1096.txt").read_bytes()
    text = data.decode()
    # the last answer cut off: questions 3 to 8 stay unanswered
    partly = text[: text.index("Die Fragen 3 bis 8 werden gemeinsam beantwortet.")].encode()
    client.force_login(editor())
    upload = SimpleUploadedFile("bt-21-1096.txt", partly, content_type="text/plain")
    response = client.post(admin_url("upload"), {"document": upload, "format": ""}, follow=True)
    inquiry = Inquiry.objects.get(reference="21/1096")
    assert inquiry.state == InquiryState.DRAFT
    messages = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Nicht gelesen, bitte ergänzen: Datum der Frage; Frage 3: Antwort") for message in messages)
    page = response.content.decode()
    assert "Nicht gelesen (bitte prüfen)" in page
    assert "hat diese Angaben nicht lesen können und leer gelassen" in page
    for label in ("Datum der Frage", "Frage 3: Antwort", "Frage 8: Antwort"):
        assert f"<li>{label}</li>" in page


def test_a_complete_draft_says_so(client, shared_dir):
    data = (shared_dir / "documents" / "be" / "be-19-10006.txt").read_bytes()
    client.force_login(editor())
    response = client.post(
        admin_url("upload"), {"document": SimpleUploadedFile("be-19-10006.txt", data), "format": ""}, follow=True
    )
    assert f"Alles gelesen (Parser common, Version {COMMON_VERSION}+data." in response.content.decode()


def test_a_document_without_an_inquiry_is_refused_naming_it(client):
    client.force_login(editor())
    letter = SimpleUploadedFile("rundbrief.txt", "Liebe Kolleginnen und Kollegen,\nam Freitag ist Betriebsausflug.\n".encode())
    response = client.post(admin_url("upload"), {"document": letter, "format": ""})
    assert response.status_code == 400
    assert "rundbrief.txt: unknown layout" in response.content.decode()
    assert not Inquiry.objects.exists() and not SourceDocument.objects.exists()
