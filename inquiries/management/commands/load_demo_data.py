"""Load the portal's real demo data; running it again adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from tqdm import tqdm

from inquiries.choices import InquiryState
from inquiries.models import Inquiry
from inquiries.services.bulk import load_kleineanfragen
from inquiries.services.reference_data import load_reference_data
from inquiries.services.upsert import upsert_inquiry

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo_data"
CSV_FILES = ["requests-baden-wurttemberg-15.csv", "requests-baden-wurttemberg-16.csv", "requests-bundestag-19.csv"]
SEED_FILE = "seed-bw-17-6206.jsonl"


class Command(BaseCommand):
    help = "Load reference data, the seed inquiry 17/6206 and 9,771 inquiries of the kleineanfragen.de archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-archive", action="store_true", help="skip the kleineanfragen.de CSV files")
        parser.add_argument(
            "--admin",
            action="store_true",
            default=None,
            help="create the local demo login admin/admin (default: only when DEBUG is on)",
        )

    def handle(self, *args, **options) -> None:
        load_reference_data(DEMO_DIR / "bw_history.yaml", DEMO_DIR / "bw17.yaml")
        self.stdout.write("Reference data: parliaments, terms, parties, factions, ministries, ministers.")

        seed = json.loads((DEMO_DIR / SEED_FILE).read_text(encoding="utf-8").splitlines()[0])
        if not Inquiry.objects.filter(parliament__code=seed["parliament"], reference=seed["reference"]).exists():
            upsert_inquiry(seed, state=InquiryState.PUBLISHED)
            self.stdout.write(f"Seed inquiry {seed['reference']} loaded.")

        if not options["no_archive"]:
            created = load_kleineanfragen(
                [DEMO_DIR / name for name in CSV_FILES],
                progress=lambda rows: tqdm(rows, desc="kleineanfragen.de", unit=" rows"),
            )
            self.stdout.write(f"Archive: {created} inquiries added (source: kleineanfragen.de, ODbL).")

        make_admin = options["admin"] if options["admin"] is not None else settings.DEBUG
        if make_admin:
            self._demo_admin()

    def _demo_admin(self) -> None:
        user_model = get_user_model()
        if not user_model.objects.filter(username="admin").exists():
            user_model.objects.create_superuser("admin", "admin@example.invalid", "admin")
            self.stdout.write("Demo login for local use: admin / admin at /admin/")
