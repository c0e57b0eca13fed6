"""An inquiry withdrawn before it was ever published is as unknown as a draft on every public path.

The walk asks every public address once before the inquiry exists and once after it was
drafted and withdrawn: each answer must be the same (no title, no count, no change time
moved), and the addresses that name it directly answer 404, not the 410 of an inquiry
that was withdrawn after publication.
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from inquiries import dumps
from inquiries.alerts.queries import follow
from inquiries.alerts.selectors import digest_inquiries
from inquiries.models import AnswerTable, Inquiry, InquiryState
from inquiries.services import workflow
from tests.factories import InquiryFactory, QuestionFactory
from tests.site_world import build_world

SECRET_TITLE = "Tarnkappenbomber über Heilbronn"
# In the secret title and in a published one, so that a search for it has results (an empty feed says "now").
SHARED_WORD = "Heilbronn"
SECRET_WORD = "Tarnkappenbomber"
SECRET_REFERENCE = "17/4242"
SECRET_QUESTION = "Wie viele Tarnkappenbomber kreisen über Friedrichshafen?"
SECRET_REASON = "Vor der Veröffentlichung von den Fragestellern zurückgezogen."


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.API_THROTTLE_RATE = ""
    return build_world()


def public_addresses(world) -> list[str]:
    """Every public address that could list, count or describe an inquiry of this world."""
    asker, faction, ministry = world.asker, world.fdp, world.ministry
    person_page = asker.get_absolute_url()
    faction_page = faction.get_absolute_url()
    ministry_page = ministry.get_absolute_url()
    site = [
        "/", "/anfragen/", f"/anfragen/?q={SECRET_WORD}", f"/anfragen/?q={SHARED_WORD}", "/anfragen/?status=answered", "/anfragen/?sort=newest",
        "/personen/", person_page, "/fraktionen/", faction_page, "/ministerien/", ministry_page,
        "/statistik/", "/offene-daten/",
        "/anfragen/feed/", f"/anfragen/feed/?q={SHARED_WORD}", f"{person_page}feed/", f"{faction_page}feed/", f"{ministry_page}feed/",
        "/sitemap.xml", "/sitemap-anfragen.xml", "/sitemap-personen.xml", "/sitemap-fraktionen.xml", "/sitemap-ministerien.xml",
    ]
    api = [
        f"/api/v1/{resource}/" for resource in ("parliaments", "terms", "parties", "factions", "people", "ministries", "inquiries")
    ] + [
        "/api/v1/inquiries/?format=csv",
        f"/api/v1/inquiries/?q={SECRET_WORD}",
        "/api/v1/inquiries/?modified_since=2000-01-01",
        "/api/v1/inquiries/?modified_since=2000-01-01&format=csv",
        f"/api/v1/search/?q={SECRET_WORD}",
        f"/api/v1/search/?q={SHARED_WORD}",
        f"/api/v1/search/?q={SECRET_WORD}&format=csv",
    ]
    oparl = [
        "/oparl/v1/", "/oparl/v1/bodies/", "/oparl/v1/body/bw/", "/oparl/v1/body/bw/papers/", "/oparl/v1/body/bw/files/",
        "/oparl/v1/body/bw/persons/", "/oparl/v1/body/bw/organizations/", "/oparl/v1/body/bw/legislativeterms/",
        f"/oparl/v1/legislativeterm/{world.term.pk}/",
    ]
    popolo = ["/popolo/v1/", "/popolo/v1/persons.json", "/popolo/v1/organizations.json", "/popolo/v1/memberships.json", "/popolo/v1/export.json"]
    return site + api + oparl + popolo


# Parts of an answer that differ between two requests whatever the data (form tokens), and
# the API's relevance score: the full-text index holds drafts too, so their words weigh in
# its corpus statistics (known, see the report of issue 18); order and results must not move.
_NOISE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"rank":[0-9.e+-]+')


def walk(world) -> dict[str, str]:
    cache.clear()
    client = APIClient()
    answers = {}
    for address in public_addresses(world):
        response = client.get(address)
        assert response.status_code == 200, (address, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        answers[address] = _NOISE.sub("", body.decode())
        for header in ("Last-Modified", "Content-Length"):
            answers[f"{address} {header}"] = response.get(header, "")
    return answers


def exports(tmp_path) -> dict[str, str]:
    """The bulk downloads and export commands, as text."""
    dump = dumps.write_dump(tmp_path / "dumps", now=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.timezone.utc))
    out = StringIO()
    call_command("export_inquiries", stdout=out, stderr=StringIO())
    popolo = tmp_path / "popolo.json"
    call_command("export_popolo", output=popolo, stdout=StringIO())
    return {
        "dump": gzip.decompress((tmp_path / "dumps" / dump.file).read_bytes()).decode(),
        "dump metadata": json.dumps({key: value for key, value in json.loads((tmp_path / "dumps" / dump.file.replace(".jsonl.gz", ".json")).read_text()).items() if key not in {"created", "sha256"}}),
        "export_inquiries": out.getvalue(),
        "export_popolo": popolo.read_text(encoding="utf-8"),
    }


def withdrawn_draft(world) -> Inquiry:
    """Drafted by the world's asker for its faction to its ministry, then withdrawn unpublished (as the admin does)."""
    inquiry = InquiryFactory(
        parliament=world.parliament, term=world.term, reference=SECRET_REFERENCE, title=SECRET_TITLE, draft=True,
        answering_ministry=world.ministry, askers=[(world.asker, world.fdp)], factions=[world.fdp],
        signed_by=world.minister, signed_by_role="Minister des Inneren",
        source_url="https://example.org/17_4242.pdf",
    )
    question = QuestionFactory(inquiry=inquiry, position=1, number="1", text=SECRET_QUESTION, answer="Keine.")
    AnswerTable.objects.create(question=question, position=1, caption=SECRET_TITLE, rows=[[SECRET_WORD, "1"]])
    workflow.withdraw(inquiry, reason=SECRET_REASON)
    inquiry.refresh_from_db()
    assert (inquiry.state, inquiry.published_at) == (InquiryState.WITHDRAWN, None)
    return inquiry


def test_a_draft_withdrawn_before_publication_changes_no_public_answer(world, tmp_path):
    before, before_exports = walk(world), exports(tmp_path / "before")
    secret = withdrawn_draft(world)
    after, after_exports = walk(world), exports(tmp_path / "after")

    changed = [address for address in before if before[address] != after[address]]
    assert changed == []
    assert [name for name in before_exports if before_exports[name] != after_exports[name]] == []
    # (Searches for the secret word echo it; that they are unchanged is checked above.)
    unasked = [text for address, text in after.items() if SECRET_WORD not in address]
    for text in [*unasked, *after_exports.values()]:
        assert SECRET_WORD not in text and SECRET_REFERENCE not in text and SECRET_REASON not in text
    # The walk did reach the inquiries: the published ones are there.
    assert world.main.title in after["/anfragen/"] and world.main.title in after[f"/anfragen/feed/?q={SHARED_WORD}"] and world.main.reference in after_exports["dump"]
    assert secret.pk not in {row["id"] for row in json.loads(after["/api/v1/inquiries/?modified_since=2000-01-01"])["results"]}


def test_every_address_of_a_draft_withdrawn_before_publication_is_404(world):
    secret = withdrawn_draft(world)
    client = APIClient()
    addresses = [
        secret.get_absolute_url(),
        f"{secret.get_absolute_url()}frage-1/tabelle-1.csv",
        f"/api/v1/inquiries/{secret.pk}/",
        "/api/v1/inquiries/bw/17-4242/",
        f"/oparl/v1/paper/{secret.pk}/",
        f"/oparl/v1/file/{secret.pk}/source/",
        f"/oparl/v1/file/{secret.pk}/document/",
    ]
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 404, (address, response.status_code)
        text = response.content.decode()
        assert SECRET_WORD not in text and SECRET_REASON not in text, address


def test_no_digest_mails_it(world):
    secret = withdrawn_draft(world)
    followed = follow(f"q={SECRET_WORD}")
    far_past = timezone.now() - datetime.timedelta(days=3650)
    assert secret not in digest_inquiries(followed, far_past, timezone.now() + datetime.timedelta(days=1), limit=50)


def test_withdrawn_after_publication_leaves_only_its_tombstone(world):
    """The counterpart: once public, a withdrawn inquiry answers 410 where it is addressed, and lists still leave it out."""
    inquiry = withdrawn_draft(world)
    Inquiry.objects.filter(pk=inquiry.pk).update(published_at=timezone.now() - datetime.timedelta(days=1))
    client = APIClient()
    page = client.get(inquiry.get_absolute_url())
    assert page.status_code == 410 and SECRET_TITLE in page.content.decode() and SECRET_QUESTION not in page.content.decode()
    assert client.get(f"/api/v1/inquiries/{inquiry.pk}/").status_code == 410
    table = client.get(f"{inquiry.get_absolute_url()}frage-1/tabelle-1.csv")
    assert table.status_code == 410 and SECRET_WORD not in table.content.decode()
    assert client.get(f"/oparl/v1/paper/{inquiry.pk}/").json()["deleted"] is True
    assert SECRET_TITLE not in client.get(f"/anfragen/?q={SECRET_WORD}").content.decode()
    assert list(Inquiry.objects.public().filter(pk=inquiry.pk)) == [inquiry]
    assert not Inquiry.objects.published().filter(pk=inquiry.pk).exists()


def test_the_newest_change_reads_the_same_public_inquiries(world):
    """``public_by_change`` (the API lists' Last-Modified) holds exactly ``public()``: a newer
    draft and a draft withdrawn before publication move no change time, a retracted one does."""
    draft = withdrawn_draft(world)
    newest = Inquiry.objects.public_by_change().order_by("-updated_at").values_list("updated_at", flat=True).first()
    assert set(Inquiry.objects.public_by_change().values_list("pk", flat=True)) == set(Inquiry.objects.public().values_list("pk", flat=True))
    assert draft.updated_at > newest
    Inquiry.objects.filter(pk=draft.pk).update(published_at=timezone.now() - datetime.timedelta(days=1))
    assert Inquiry.objects.public_by_change().order_by("-updated_at").values_list("pk", flat=True).first() == draft.pk
