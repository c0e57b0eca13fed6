"""The real demo data that `make run` loads."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from inquiries.exchange import inquiry_to_record
from inquiries.importers import kleineanfragen
from inquiries.models import Faction, Inquiry, MinisterialOffice, Ministry, Person
from tests.importer_cases import without_derived

pytestmark = pytest.mark.django_db

ARCHIVE_ROWS = 9771
ARCHIVE_UNIQUE = 9770  # the archive lists BW 15/809 twice


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--admin", stdout=_Sink(), stderr=_Sink())


class _Sink:
    def write(self, text: str) -> None:
        self.last = text

    def flush(self) -> None:
        pass


def test_demo_repo_copy_matches_shared(shared_dir):
    """The demo data `make run` loads (inquiries/demo_data) is the shared material the tests
    read (tests/fixtures/shared), unchanged: a change to one without the other is a mistake."""
    from inquiries.management.commands.load_demo_data import CSV_FILES, DEMO_DIR, SEED_FILE

    for name in CSV_FILES:
        assert (DEMO_DIR / name).read_bytes() == (shared_dir / "data" / "kleineanfragen" / name).read_bytes()
    assert (DEMO_DIR / SEED_FILE).read_bytes() == (shared_dir / "formats" / "example-bw-17-6206.jsonl").read_bytes()
    assert (DEMO_DIR / "bw17.yaml").read_bytes() == (shared_dir / "data" / "bw17.yaml").read_bytes()


def test_demo_load_is_complete_and_idempotent(demo, shared_dir):
    assert Inquiry.objects.published().count() == ARCHIVE_UNIQUE + 1
    counts = (Inquiry.objects.count(), Person.objects.count(), Ministry.objects.count(), Faction.objects.count())
    call_command("load_demo_data", stdout=_Sink(), stderr=_Sink())
    assert (Inquiry.objects.count(), Person.objects.count(), Ministry.objects.count(), Faction.objects.count()) == counts

    seed = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert without_derived(inquiry_to_record(Inquiry.objects.with_detail_related().get(reference="17/6206"))) == seed

    bw17 = Faction.objects.filter(parliament__code="BW", short_name__in=["GRÜNE", "CDU", "SPD", "FDP/DVP", "AfD"])
    assert bw17.count() == 5
    assert all(faction.party is not None for faction in bw17)

    current = Ministry.objects.filter(parliament__code="BW", valid_from=datetime.date(2021, 5, 12))
    assert current.count() == 12
    assert MinisterialOffice.objects.filter(ministry__in=current).values("ministry").distinct().count() == 12
    strobl = MinisterialOffice.objects.get(person__last_name="Strobl")
    assert strobl.role == "Minister des Inneren, für Digitalisierung und Kommunen"

    interior = Ministry.objects.get(name="Ministerium des Inneren, für Digitalisierung und Kommunen")
    assert [m.name for m in interior.name_history()] == [
        "Innenministerium",
        "Ministerium für Inneres, Digitalisierung und Migration",
        "Ministerium des Inneren, für Digitalisierung und Kommunen",
    ]

    weinmann = Person.objects.get(first_name="Nico", last_name="Weinmann")
    assert weinmann.faction_on(datetime.date(2024, 2, 7)).short_name == "FDP/DVP"
    assert weinmann.faction_on(datetime.date(2018, 3, 7)).short_name == "FDP/DVP"

    archive = Inquiry.objects.exclude(reference="17/6206")
    assert archive.filter(parliament__code="BT").count() == 6122
    assert archive.filter(parliament__code="BW", term__number=15).count() == 2263
    assert archive.filter(parliament__code="BW", term__number=16).count() == 1385
    assert not archive.exclude(source_notice__contains="kleineanfragen.de").exists()
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()


def test_archive_rows_have_askers_and_ministries(demo):
    example = Inquiry.objects.with_list_related().get(parliament__code="BW", reference="16/3425")
    assert example.title == "Hochwasserschutz im Landkreis Karlsruhe"
    assert [link.person.full_name for link in example.asker_links.all()] == [
        "Ulli Hockenberger",
        "Christine Neumann",
        "Joachim Kößler",
    ]
    assert {link.faction.short_name for link in example.asker_links.all()} == {"CDU"}
    assert example.answering_ministry.name == "Ministerium für Umwelt, Klima und Energiewirtschaft"
    assert example.answered_on == datetime.date(2018, 3, 7)
    # "Die Grünen" in the archive is the BW group GRÜNE, not a second group.
    assert not Faction.objects.filter(parliament__code="BW", short_name="Die Grünen").exists()
    assert Faction.objects.get(parliament__code="BW", short_name="GRÜNE").inquiries.exists()


def test_archive_row_count(shared_dir):
    paths = sorted((shared_dir / "data" / "kleineanfragen").glob("*.csv"))
    assert sum(len(kleineanfragen.read_rows(path)) for path in paths) == ARCHIVE_ROWS


def test_bad_csv_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        ",html_url,legislative_term,reference,title,interpellation_type,published_at,body,"
        "inquiring_parties_wikidata,inquiring_people_wikidata,answering_ministries_wikidata\n"
        "0,u,16,12,T,minor,2018-13-01,Baden-Württemberg,CDU,A B,M\n",
        encoding="utf-8",
    )
    with pytest.raises(kleineanfragen.CsvError, match="bad.csv: line 2"):
        kleineanfragen.read_rows(bad)
