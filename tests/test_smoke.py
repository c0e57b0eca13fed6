"""The portal answers on its main addresses with the seed loaded."""

from __future__ import annotations

import json

import pytest

from inquiries.services.upsert import upsert_inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(shared_dir):
    record = json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])
    return upsert_inquiry(record, state="published")[0]


def test_home_page(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    assert "Beteiligung der Landespolizei" in response.content.decode()


def test_inquiry_page_pairs_questions_and_answers(client, seed):
    response = client.get(seed.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="frage-9"' in html
    assert html.index("Welche Stelle innerhalb der Polizeiorganisation") < html.index("Das Innovation-Hub (I-HUB)")


def test_admin_login_page(client):
    assert client.get("/admin/login/").status_code == 200


def test_admin_for_superuser(admin_client, seed):
    response = admin_client.get("/admin/inquiries/inquiry/")
    assert response.status_code == 200
    assert "17/6206" in response.content.decode()
    assert admin_client.get(f"/admin/inquiries/inquiry/{seed.pk}/change/").status_code == 200
