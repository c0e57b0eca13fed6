"""E-mail alerts: double opt-in, digests, unsubscribe, privacy and abuse limits."""

from __future__ import annotations

import datetime
import os
import re
import smtplib
import string
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries.alerts import queries, selectors, services
from inquiries.alerts.models import TOKEN_LENGTH, DigestFrequency, Subscription
from inquiries.models import InquiryState
from inquiries.services.workflow import withdraw
from tests.conftest import REPO_DIR
from tests.factories import FactionFactory, InquiryFactory, MinistryFactory, ParliamentFactory, PersonFactory

SITE = "https://anfragen.example"
SUBSCRIBE = reverse("alerts:subscribe")
# A fixed point well in the past, so that every run below is "now" for the code
# while the rows' real creation times stay later (no confirmation expires by accident).
T0 = timezone.now().replace(microsecond=0) - datetime.timedelta(days=60)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = "Anfragen-Portal <alerts@anfragen.example>"
    # Rate-limit counters live in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    bw = ParliamentFactory(code="BW")
    spd = FactionFactory(parliament=bw, short_name="SPD", slug="spd")
    cdu = FactionFactory(parliament=bw, short_name="CDU", slug="cdu")
    erika = PersonFactory(first_name="Erika", last_name="Beispiel", slug="erika-beispiel")
    ministry = MinistryFactory(parliament=bw, name="Innenministerium", slug="innenministerium")
    return {"bw": bw, "spd": spd, "cdu": cdu, "erika": erika, "ministry": ministry}


def subscribe(client: Client, query: str = "", email: str = "leser@example.org", frequency: str = "daily", **extra):
    url = SUBSCRIBE + (f"?{query}" if query else "")
    return client.post(url, {"email": email, "frequency": frequency}, **extra)


def links(message: mail.EmailMessage) -> dict[str, str]:
    """The site's links in a mail's text, by kind, as paths."""
    found: dict[str, str] = {}
    for url in re.findall(re.escape(SITE) + r"/\S+", message.body):
        path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
        for kind, marker in [("confirm", "/bestaetigen/"), ("unsubscribe", "/abbestellen/"), ("feed", "/anfragen/feed/"), ("results", "/anfragen/?")]:
            if marker in path:
                found.setdefault(kind, path)
    return found


def html_of(message: mail.EmailMultiAlternatives) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def confirmed(query: str = "", *, frequency: str = DigestFrequency.DAILY, at: datetime.datetime = T0, email: str = "leser@example.org") -> Subscription:
    subscription = Subscription.objects.create(email=email, query=queries.follow(query).query, frequency=frequency)
    assert services.confirm(subscription, now=at)
    return subscription


def digest_run(now: datetime.datetime, **kwargs) -> services.DigestRun:
    return services.send_due_digests(now=now, **kwargs)


# --- subscribing and confirming -----------------------------------------------------------


def test_subscribe_page_describes_what_is_followed_with_its_feed(client, world):
    response = client.get(SUBSCRIBE + "?q=Polizei&faction=spd&parliament=bw&ordering=-asked&page=3")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<dt>Suchbegriffe</dt><dd>„Polizei“</dd>" in html
    assert "<dt>Fraktion</dt><dd>SPD (BW)</dd>" in html
    assert "<dt>Parlament</dt><dd>BW</dd>" in html
    # The feed of the same search, with the canonical parameters (no page, no ordering).
    assert 'href="/anfragen/feed/?faction=spd&amp;parliament=bw&amp;q=Polizei"' in html
    assert 'type="application/atom+xml"' in html
    assert 'action="/benachrichtigungen/abonnieren/?faction=spd&amp;parliament=bw&amp;q=Polizei"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_email">E-Mail-Adresse</label>' in html
    assert '<legend>Wie oft?</legend>' in html
    assert "<script" not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_slug_shared_across_parliaments_is_described_as_the_filter_applies(client, world):
    FactionFactory(parliament=ParliamentFactory(code="BT"), short_name="SPD", slug="spd")
    assert "<dt>Fraktion</dt><dd>SPD (BT), SPD (BW)</dd>" in client.get(SUBSCRIBE + "?faction=spd").content.decode()
    assert "<dt>Fraktion</dt><dd>SPD (BT)</dd>" in client.get(SUBSCRIBE + "?faction=spd&parliament=bt").content.decode()


def test_following_everything_is_allowed(client, world):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    assert "Alle neu veröffentlichten Anfragen, ohne Filter." in response.content.decode()


def test_subscribing_sends_one_confirmation_mail_and_stores_an_unconfirmed_row(client, world, mailoutbox):
    response = subscribe(client, "faction=spd&parliament=bw", email="Leser@Example.ORG", frequency="weekly")
    assert response.status_code == 303
    assert response["Location"] == reverse("alerts:subscribe-sent")
    assert "Bitte bestätigen Sie Ihre Adresse" in client.get(response["Location"]).content.decode()

    subscription = Subscription.objects.get()
    assert subscription.email == "Leser@example.org"  # domain folded, local part kept
    assert subscription.query == "faction=spd&parliament=bw"
    assert subscription.frequency == DigestFrequency.WEEKLY
    assert subscription.confirmed_at is None and subscription.sent_until is None

    [message] = mailoutbox
    assert message.to == ["Leser@example.org"]
    assert message.from_email == "Anfragen-Portal <alerts@anfragen.example>"
    assert message.subject.startswith("Bitte bestätigen")
    assert "Fraktion: SPD (BW)" in message.body and "wöchentlich" in message.body
    found = links(message)
    assert found["confirm"] == reverse("alerts:confirm", kwargs={"token": subscription.token})
    assert found["unsubscribe"] == reverse("alerts:unsubscribe", kwargs={"token": subscription.token})
    assert message.extra_headers["List-Unsubscribe"] == f"<{SITE}{reverse('alerts:unsubscribe-one-click', kwargs={'token': subscription.token})}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reverse("alerts:confirm", kwargs={"token": subscription.token}) in html_of(message)


def test_confirmation_link_confirms_and_digests_start_from_then(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    before = timezone.now()
    response = client.get(links(mailoutbox[0])["confirm"])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Benachrichtigung bestätigt" in html and "täglich" in html
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at >= before
    assert subscription.sent_until == subscription.confirmed_at
    # Opening the link again changes nothing.
    assert client.get(links(mailoutbox[0])["confirm"]).status_code == 200
    assert Subscription.objects.get().confirmed_at == subscription.confirmed_at


def test_whole_flow_from_form_to_digest(client, world, mailoutbox):
    subscribe(client, "faction=spd&parliament=bw")
    client.get(links(mailoutbox[0])["confirm"])
    subscription = Subscription.objects.get()
    new = InquiryFactory(title="Polizei in Ulm", factions=[world["spd"]], published_at=subscription.confirmed_at + HOUR)
    InquiryFactory(title="Polizei in Bonn", factions=[world["cdu"]], published_at=subscription.confirmed_at + HOUR)
    mailoutbox.clear()
    run = digest_run(subscription.confirmed_at + DAY)
    assert run.sent == 1
    [message] = mailoutbox
    assert new.title in message.body and "Polizei in Bonn" not in message.body


def test_unconfirmed_addresses_get_nothing(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    mailoutbox.clear()
    InquiryFactory(factions=[world["spd"]], published_at=timezone.now() - HOUR)
    run = digest_run(timezone.now() + 8 * DAY)
    assert mailoutbox == []
    assert run.sent == 0 and run.digests == []


def test_unconfirmed_addresses_expire(client, world, mailoutbox):
    subscribe(client, "faction=spd", email="alt@example.org")
    subscribe(client, "faction=spd", email="neu@example.org")
    old = Subscription.objects.get(email="alt@example.org")
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - 8 * DAY)
    run = digest_run(timezone.now())
    assert run.expired == 1
    assert list(Subscription.objects.values_list("email", flat=True)) == ["neu@example.org"]
    # Its link no longer works.
    response = client.get(links(mailoutbox[0])["confirm"])
    assert response.status_code == 404
    assert "nicht (mehr) gültig" in response.content.decode()


def test_an_expired_link_not_yet_cleaned_up_does_not_confirm(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    Subscription.objects.update(created_at=timezone.now() - 8 * DAY)
    assert client.get(links(mailoutbox[0])["confirm"]).status_code == 404
    assert not Subscription.objects.exists()


def test_the_page_does_not_tell_whether_an_address_is_subscribed(client, world, mailoutbox):
    first = subscribe(client, "faction=spd")
    client.get(links(mailoutbox[0])["confirm"])
    token = Subscription.objects.get().token
    again = subscribe(client, "faction=spd", frequency="weekly")
    other = subscribe(client, "faction=spd", email="jemand@example.org")
    assert first.status_code == again.status_code == other.status_code == 303
    assert first["Location"] == again["Location"] == other["Location"]
    # The subscriber, and only they, are told in their own inbox; nothing changed.
    notice = mailoutbox[1]
    assert notice.to == ["leser@example.org"]
    assert "bereits" in notice.subject
    assert "confirm" not in links(notice)
    assert links(notice)["unsubscribe"] == reverse("alerts:unsubscribe", kwargs={"token": token})
    subscription = Subscription.objects.get(email="leser@example.org")
    assert (subscription.token, subscription.frequency) == (token, DigestFrequency.DAILY)


def test_asking_again_before_confirming_replaces_the_link(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    subscribe(client, "faction=spd", frequency="weekly")
    first, second = (links(message)["confirm"] for message in mailoutbox)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert Subscription.objects.get().frequency == DigestFrequency.WEEKLY


def test_addresses_compare_without_case(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    client.get(links(mailoutbox[0])["confirm"])
    subscribe(client, "faction=spd", email="LESER@example.org")
    assert Subscription.objects.count() == 1
    assert "bereits" in mailoutbox[-1].subject


def test_the_same_search_in_any_spelling_is_one_subscription(world):
    spellings = [
        "faction=spd&parliament=bw&q=Polizei",
        "q=+Polizei+&parliament=bw&faction=spd&ordering=-asked&page=2",
        "faction=spd&faction=spd&kind=&parliament=bw&q=Polizei&unknown=1",
        "?faction=spd&parliament=bw&q=Polizei",
    ]
    assert {queries.follow(spelling).query for spelling in spellings} == {"faction=spd&parliament=bw&q=Polizei"}
    assert queries.follow("kind=major&kind=minor").query == queries.follow("kind=minor&kind=major").query
    # A single-valued parameter keeps the value the list page would use (the last).
    assert queries.follow("term=16&term=17").query == "term=17"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("faction=niemand", "Unbekannte Fraktion: „niemand“"),
        ("person=niemand", "Unbekannte Person: „niemand“"),
        ("ministry=niemand", "Unbekanntes Ministerium: „niemand“"),
        ("parliament=xx", "Unbekanntes Parlament: „xx“"),
        ("term=abc", "Wahlperiode"),
        ("status=bald", "Unbekannter Stand"),
        ("asked_after=gestern", "gestellt"),
        ("person=%00", "Unbekannte Person"),
        ("q=" + "x" * 3000, "zu lang"),
    ],
)
def test_bad_filters_are_refused_with_a_message(client, world, mailoutbox, query, message):
    response = client.get(SUBSCRIBE + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert 'name="email"' not in html
    posted = subscribe(client, query)
    assert posted.status_code == 400
    assert not Subscription.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "frequency": "daily"}, "email", "Bitte geben Sie Ihre E-Mail-Adresse an."),
        ({"email": "kein-at-zeichen", "frequency": "daily"}, "email", "gültige E-Mail-Adresse"),
        ({"email": "leser@example.org", "frequency": "stündlich"}, "frequency", "stündlich"),
    ],
)
def test_form_errors_are_linked_to_their_fields(client, world, mailoutbox, data, field, message):
    response = client.post(SUBSCRIBE + "?faction=spd", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if field == "email":
        assert 'aria-invalid="true"' in html and 'aria-describedby="email-help email-error"' in html
        assert '<a href="#id_email">' in html
    else:
        assert 'aria-describedby="frequency-error"' in html
    assert mailoutbox == [] and not Subscription.objects.exists()


def test_forms_need_the_csrf_token(world, mailoutbox):
    client = Client(enforce_csrf_checks=True)
    assert subscribe(client, "faction=spd").status_code == 403
    assert not Subscription.objects.exists()
    page = client.get(SUBSCRIBE + "?faction=spd")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(SUBSCRIBE + "?faction=spd", {"email": "leser@example.org", "frequency": "daily", "csrfmiddlewaretoken": token})
    assert response.status_code == 303

    subscription = Subscription.objects.get()
    unsubscribe = reverse("alerts:unsubscribe", kwargs={"token": subscription.token})
    assert Client(enforce_csrf_checks=True).post(unsubscribe).status_code == 403
    assert Subscription.objects.exists()


# --- rate limits ------------------------------------------------------------------------


def test_requests_per_address_are_limited_without_telling(client, world, mailoutbox):
    responses = [subscribe(client, f"q=thema{n}", REMOTE_ADDR=f"10.0.0.{n}") for n in range(7)]
    assert {response.status_code for response in responses} == {303}
    assert {response["Location"] for response in responses} == {reverse("alerts:subscribe-sent")}
    assert len(mailoutbox) == 5  # LIMIT_PER_ADDRESS
    assert Subscription.objects.count() == 5


def test_requests_per_client_are_limited(client, world, mailoutbox):
    statuses = [subscribe(client, "q=polizei", email=f"leser{n}@example.org", REMOTE_ADDR="192.0.2.7").status_code for n in range(21)]
    assert statuses[:20] == [303] * 20
    assert statuses[20] == 429
    assert len(mailoutbox) == 20
    # Another client is not affected.
    assert subscribe(client, "q=polizei", email="anders@example.org", REMOTE_ADDR="192.0.2.8").status_code == 303


def test_a_failing_mail_server_gives_a_clear_message(client, world, settings):
    settings.EMAIL_BACKEND = "tests.test_alerts.FailingBackend"
    response = subscribe(client, "faction=spd")
    assert response.status_code == 503
    assert "konnte gerade nicht versandt werden" in response.content.decode()


# --- digests ----------------------------------------------------------------------------


@pytest.fixture
def news(world):
    """Inquiries around T0 for a subscription to the SPD group, confirmed at T0."""
    spd, cdu, erika, ministry = world["spd"], world["cdu"], world["erika"], world["ministry"]
    made = {
        "old": InquiryFactory(title="Alte Anfrage der SPD", factions=[spd], published_at=T0 - HOUR),
        "ulm": InquiryFactory(
            title="Polizei in Ulm",
            reference="17/6206",
            factions=[spd],
            askers=[(erika, spd)],
            answering_ministry=ministry,
            published_at=T0 + HOUR,
        ),
        "schulen": InquiryFactory(title="Schulen in Ulm", factions=[spd], published_at=T0 + 2 * HOUR),
        "cdu": InquiryFactory(title="Polizei in Bonn", factions=[cdu], published_at=T0 + HOUR),
        "draft": InquiryFactory(title="Entwurf der SPD", factions=[spd], state=InquiryState.DRAFT),
        "gone": InquiryFactory(title="Zurückgezogene Anfrage der SPD", factions=[spd], published_at=T0 + HOUR),
    }
    withdraw(made["gone"], reason="von den Fragestellern zurückgezogen")
    return made


def test_digest_lists_new_matching_published_inquiries_only(world, news, mailoutbox):
    subscription = confirmed("faction=spd&parliament=bw")
    run = digest_run(T0 + DAY)
    assert (run.sent, run.inquiries) == (1, 2)
    [message] = mailoutbox
    assert message.to == ["leser@example.org"]
    assert message.subject == "2 neue Anfragen: Parlament: BW; Fraktion: SPD (BW)"
    html = html_of(message)
    for text in (message.body, html):
        assert "Polizei in Ulm" in text and "Schulen in Ulm" in text
        for absent in ("Alte Anfrage", "Polizei in Bonn", "Entwurf", "Zurückgezogene"):
            assert absent not in text
        assert "BW Drucksache 17/6206" in text
        assert "Erika Beispiel (SPD)" in text
        assert "Antwort: Innenministerium" in text
        assert f"{SITE}/bw/drucksache/17-6206/" in text
    # Oldest first, as published.
    assert message.body.index("Polizei in Ulm") < message.body.index("Schulen in Ulm")
    assert links(message)["results"] == "/anfragen/?faction=spd&parliament=bw"
    assert links(message)["feed"] == "/anfragen/feed/?faction=spd&parliament=bw"
    assert links(message)["unsubscribe"] == reverse("alerts:unsubscribe", kwargs={"token": subscription.token})
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    subscription.refresh_from_db()
    assert subscription.last_sent_at == T0 + DAY
    assert subscription.sent_until == T0 + DAY - selectors.PUBLICATION_SETTLE_TIME


def test_next_digest_has_only_what_came_after(world, news, mailoutbox):
    confirmed("faction=spd")
    digest_run(T0 + DAY)
    mailoutbox.clear()
    run = digest_run(T0 + 2 * DAY)
    assert mailoutbox == [] and run.sent == 0 and run.nothing_new == 1
    InquiryFactory(title="Neue Anfrage zu Brücken", factions=[world["spd"]], published_at=T0 + 2 * DAY + HOUR)
    digest_run(T0 + 3 * DAY)
    [message] = mailoutbox
    assert message.subject.startswith("1 neue Anfrage: ")
    assert "Neue Anfrage zu Brücken" in message.body and "Polizei in Ulm" not in message.body


def test_daily_and_weekly_timing(world, news, mailoutbox):
    daily = confirmed("faction=spd", frequency=DigestFrequency.DAILY, email="taeglich@example.org")
    weekly = confirmed("faction=spd", frequency=DigestFrequency.WEEKLY, email="woechentlich@example.org")
    digest_run(T0 + DAY)
    assert [message.to for message in mailoutbox] == [["taeglich@example.org"]]
    InquiryFactory(title="Anfrage am dritten Tag", factions=[world["spd"]], published_at=T0 + 3 * DAY - HOUR)
    mailoutbox.clear()
    for day in range(2, 7):
        digest_run(T0 + day * DAY)
    assert [message.to for message in mailoutbox] == [["taeglich@example.org"]]
    mailoutbox.clear()
    # A cron job a few minutes early still counts as a week.
    digest_run(T0 + 7 * DAY - datetime.timedelta(minutes=5))
    [message] = mailoutbox
    assert message.to == ["woechentlich@example.org"]
    assert all(title in message.body for title in ("Polizei in Ulm", "Schulen in Ulm", "Anfrage am dritten Tag"))
    weekly.refresh_from_db()
    daily.refresh_from_db()
    assert weekly.last_sent_at == T0 + 7 * DAY - datetime.timedelta(minutes=5)
    assert daily.last_sent_at == T0 + 3 * DAY


def test_inquiries_published_just_before_a_run_wait_for_the_next(world, mailoutbox):
    # An import may still be committing what it stamped a moment ago.
    subscription = confirmed("faction=spd")
    InquiryFactory(title="Gerade erst", factions=[world["spd"]], published_at=T0 + DAY - datetime.timedelta(minutes=1))
    assert digest_run(T0 + DAY).sent == 0
    digest_run(T0 + 2 * DAY)
    [message] = mailoutbox
    assert "Gerade erst" in message.body
    subscription.refresh_from_db()
    assert subscription.last_sent_at == T0 + 2 * DAY


def test_only_one_frequency_when_asked(world, news, mailoutbox):
    confirmed("faction=spd", frequency=DigestFrequency.DAILY, email="taeglich@example.org")
    confirmed("faction=spd", frequency=DigestFrequency.WEEKLY, email="woechentlich@example.org")
    digest_run(T0 + 8 * DAY, frequency=DigestFrequency.WEEKLY)
    assert [message.to for message in mailoutbox] == [["woechentlich@example.org"]]


def test_search_terms_person_and_ministry_can_be_followed(world, news, mailoutbox):
    confirmed("q=Polizei", email="suche@example.org")
    confirmed("person=erika-beispiel", email="person@example.org")
    confirmed("ministry=innenministerium&parliament=bw", email="ministerium@example.org")
    digest_run(T0 + DAY)
    by_address = {message.to[0]: message.body for message in mailoutbox}
    assert "Polizei in Ulm" in by_address["suche@example.org"] and "Polizei in Bonn" in by_address["suche@example.org"]
    assert "Schulen in Ulm" not in by_address["suche@example.org"]
    assert "Polizei in Ulm" in by_address["person@example.org"] and "Schulen" not in by_address["person@example.org"]
    assert "Polizei in Ulm" in by_address["ministerium@example.org"] and "Bonn" not in by_address["ministerium@example.org"]


def test_long_digests_link_to_the_rest(world, mailoutbox, monkeypatch):
    monkeypatch.setattr(services, "MAX_DIGEST_ENTRIES", 2)
    for n in range(5):
        InquiryFactory(title=f"Anfrage {n} der SPD", factions=[world["spd"]], published_at=T0 + (n + 1) * HOUR)
    confirmed("faction=spd")
    digest_run(T0 + DAY)
    [message] = mailoutbox
    assert message.subject.startswith("5 neue Anfragen")
    assert "Anfrage 0 der SPD" in message.body and "Anfrage 1 der SPD" in message.body
    assert "Anfrage 2 der SPD" not in message.body
    assert "… und 3 weitere:" in message.body


def test_digest_queries_do_not_grow_with_entries(world, mailoutbox, django_assert_max_num_queries):
    def add(count: int, start: int) -> None:
        for n in range(count):
            person = PersonFactory()
            InquiryFactory(
                factions=[world["spd"]],
                askers=[(person, world["spd"])],
                answering_ministry=world["ministry"],
                published_at=T0 + (start + n + 1) * datetime.timedelta(minutes=1),
            )

    add(2, 0)
    first = confirmed("faction=spd", email="eins@example.org")
    with CaptureQueriesContext(connection) as few:
        digest_run(T0 + DAY)
    add(12, 100)
    first.delete()
    confirmed("faction=spd", email="zwei@example.org")
    with django_assert_max_num_queries(len(few)):
        digest_run(T0 + DAY)
    assert len(mailoutbox) == 2 and mailoutbox[1].subject.startswith("14 neue Anfragen")


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server went away")


def test_watermark_stays_when_sending_fails(world, news, settings, mailoutbox):
    subscription = confirmed("faction=spd")
    settings.EMAIL_BACKEND = "tests.test_alerts.FailingBackend"
    run = digest_run(T0 + DAY)
    assert run.failed == 1 and run.sent == 0
    subscription.refresh_from_db()
    assert subscription.sent_until == T0 and subscription.last_sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digest_run(T0 + DAY + HOUR).sent == 1
    assert "Polizei in Ulm" in mailoutbox[0].body


def test_a_filter_that_became_invalid_sends_nothing(world, news, mailoutbox, caplog):
    subscription = confirmed("person=erika-beispiel")
    Subscription.objects.filter(pk=subscription.pk).update(query="person=nicht-mehr-da")
    run = digest_run(T0 + DAY)
    assert run.invalid == 1 and mailoutbox == []
    assert "no longer valid" in caplog.text
    assert "leser@example.org" not in caplog.text


# --- the command ------------------------------------------------------------------------


def test_command_sends_due_digests_and_reports(world, mailoutbox, capsys):
    now = timezone.now()
    subscription = confirmed("faction=spd", at=now - 2 * DAY)
    InquiryFactory(title="Polizei in Ulm", factions=[world["spd"]], published_at=now - DAY)
    pending = Subscription.objects.create(email="spaet@example.org", query="")
    Subscription.objects.filter(pk=pending.pk).update(created_at=now - 8 * DAY)

    call_command("send_alert_digests", "--dry-run")
    out = capsys.readouterr().out
    assert f"subscription {subscription.pk} would get a digest of 1 new inquiries" in out
    assert "1 unconfirmed addresses to delete" in out
    assert mailoutbox == [] and Subscription.objects.count() == 2
    subscription.refresh_from_db()
    assert subscription.last_sent_at is None

    call_command("send_alert_digests", "--frequency", "weekly")
    assert mailoutbox == []
    call_command("send_alert_digests", "--frequency", "daily")
    out = capsys.readouterr().out
    assert "1 digests sent (1 inquiries)" in out and "1 unconfirmed addresses deleted" in out
    assert "leser@example.org" not in out
    assert len(mailoutbox) == 1
    assert list(Subscription.objects.all()) == [subscription]

    call_command("send_alert_digests")
    assert len(mailoutbox) == 1
    assert "0 digests sent" in capsys.readouterr().out


def test_command_refuses_bad_options_and_missing_site_url(world, settings):
    with pytest.raises(CommandError):
        call_command("send_alert_digests", "--frequency", "hourly")
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL must be set"):
        call_command("send_alert_digests")


def test_command_fails_loudly_when_mail_cannot_be_sent(world, settings):
    now = timezone.now()
    confirmed("faction=spd", at=now - 2 * DAY)
    InquiryFactory(factions=[world["spd"]], published_at=now - DAY)
    settings.EMAIL_BACKEND = "tests.test_alerts.FailingBackend"
    with pytest.raises(CommandError, match="1 digests could not be sent"):
        call_command("send_alert_digests")


# --- unsubscribing ----------------------------------------------------------------------


def test_unsubscribe_asks_on_get_and_deletes_on_post(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    client.get(links(mailoutbox[0])["confirm"])
    url = links(mailoutbox[0])["unsubscribe"]
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<form class="alert-form" method="post" action="{url}">' in html and "Abbestellen</button>" in html
    assert page["Referrer-Policy"] == "no-referrer"
    assert Subscription.objects.exists()  # a link scanner's GET changes nothing
    done = client.post(url)
    assert done.status_code == 200
    assert "Sie erhalten keine E-Mails mehr" in done.content.decode()
    assert not Subscription.objects.exists()
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_unsubscribing_a_pending_request_deletes_it(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    client.post(links(mailoutbox[0])["unsubscribe"])
    assert not Subscription.objects.exists()


def test_one_click_unsubscribe_of_rfc_8058(world, news, mailoutbox):
    subscription = confirmed("faction=spd")
    keep = confirmed("faction=spd", email="bleibt@example.org")
    digest_run(T0 + DAY)
    header = next(message for message in mailoutbox if message.to == ["leser@example.org"]).extra_headers["List-Unsubscribe"]
    url = urlsplit(header.strip("<>")).path
    mail_program = Client(enforce_csrf_checks=True)  # posts without cookies or CSRF token
    assert mail_program.post(url, {"List-Unsubscribe": "Something-Else"}).status_code == 400
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    response = mail_program.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert list(Subscription.objects.all()) == [keep]
    # Multipart bodies are allowed by the RFC too; the row is already gone.
    assert mail_program.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    # Opened in a browser, the link asks first.
    browser = Client().get(reverse("alerts:unsubscribe-one-click", kwargs={"token": keep.token}))
    assert browser.status_code == 302
    assert browser["Location"] == reverse("alerts:unsubscribe", kwargs={"token": keep.token})


# --- tokens and privacy -----------------------------------------------------------------


def test_tokens_are_long_random_and_not_derived_from_the_row(world):
    made = [confirmed(f"q=thema{n}", email="leser@example.org") for n in range(40)]
    tokens = [subscription.token for subscription in made]
    assert len(set(tokens)) == len(tokens)
    alphabet = set(string.ascii_letters + string.digits + "-_")
    assert all(len(token) == TOKEN_LENGTH and set(token) <= alphabet for token in tokens)
    # No two tokens share a long common prefix (they are not counters or timestamps).
    assert max(len(_common_prefix(a, b)) for a, b in zip(tokens, tokens[1:])) < 8


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@pytest.mark.parametrize("name", ["alerts:confirm", "alerts:unsubscribe"])
def test_unknown_and_near_tokens_get_the_same_answer(client, world, name):
    subscription = confirmed("faction=spd")
    token = subscription.token
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = []
    for guess in [flipped, token[:-1], str(subscription.pk), "1", "x" * TOKEN_LENGTH]:
        response = client.get(reverse(name, kwargs={"token": guess}))
        # The page's own content (the header's language form carries the path and a fresh CSRF token).
        main = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
        answers.append((response.status_code, main))
    assert len(set(answers)) == 1 and answers[0][0] == 404
    assert client.post(reverse("alerts:unsubscribe", kwargs={"token": flipped})).status_code == 404
    assert Subscription.objects.get() == subscription


def test_pages_never_show_a_token_or_an_address_they_were_not_given(client, world, mailoutbox):
    subscribe(client, "faction=spd")
    subscription = Subscription.objects.get()
    for response in [client.get(SUBSCRIBE + "?faction=spd"), subscribe(client, "faction=spd"), client.get(reverse("alerts:subscribe-sent"))]:
        assert subscription.token.encode() not in response.content
        assert b"leser@example.org" not in response.content


def test_admin_lists_addresses_read_only_without_tokens(admin_client, world):
    subscription = confirmed("faction=spd")
    listing = admin_client.get(reverse("admin:alerts_subscription_changelist"))
    assert listing.status_code == 200
    assert b"leser@example.org" in listing.content and subscription.token.encode() not in listing.content
    assert admin_client.get(reverse("admin:alerts_subscription_add")).status_code == 403
    detail = admin_client.get(reverse("admin:alerts_subscription_change", args=[subscription.pk]))
    assert detail.status_code == 200 and subscription.token.encode() not in detail.content
    assert 'name="email"' not in detail.content.decode()


# --- links to follow --------------------------------------------------------------------


def test_list_page_links_to_following_its_search(client, world):
    html = client.get(reverse("inquiries:inquiry-list") + "?q=Polizei&faction=spd&page=2&ordering=-asked").content.decode()
    assert 'href="/benachrichtigungen/abonnieren/?q=Polizei&amp;faction=spd"' in html
    invalid = client.get(reverse("inquiries:inquiry-list") + "?faction=niemand").content.decode()
    assert "/benachrichtigungen/abonnieren/" not in invalid


# The one-liners of docs/alerts.md for the person, faction and ministry pages.
FOLLOW_SNIPPETS = {
    "person": '{% include "inquiries/includes/follow.html" with query="person="|add:person.slug %}',
    "faction": '{% include "inquiries/includes/follow.html" with query="parliament="|add:faction.parliament.code|lower|add:"&faction="|add:faction.slug %}',
    "ministry": '{% include "inquiries/includes/follow.html" with query="parliament="|add:ministry.parliament.code|lower|add:"&ministry="|add:ministry.slug %}',
}


@pytest.mark.parametrize(
    ("kind", "query", "title"),
    [
        ("person", "person=erika-beispiel", "Polizei in Ulm"),
        ("faction", "parliament=bw&faction=spd", "Schulen in Ulm"),
        ("ministry", "parliament=bw&ministry=innenministerium", "Polizei in Ulm"),
    ],
)
def test_follow_include_links_the_subscribe_page_and_the_feed(client, world, news, kind, query, title):
    assert FOLLOW_SNIPPETS[kind] in (REPO_DIR / "docs" / "alerts.md").read_text(encoding="utf-8")
    page_object = {"person": world["erika"], "faction": world["spd"], "ministry": world["ministry"]}[kind]
    html = Template(FOLLOW_SNIPPETS[kind]).render(Context({kind: page_object}))
    escaped = query.replace("&", "&amp;")
    assert f'href="/benachrichtigungen/abonnieren/?{escaped}"' in html
    assert f'href="/anfragen/feed/?{escaped}"' in html
    assert client.get(SUBSCRIBE + "?" + query).status_code == 200
    assert title in client.get(reverse("inquiries:inquiry-feed") + "?" + query).content.decode()


# --- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"SITE_URL": "anfragen.example"}, "SITE_URL must start with http:// or https://"),
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be a whole number"),
    ],
)
def test_bad_mail_settings_stop_the_start(environment, message):
    keep = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "SITE_URL", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO_DIR,
        env={**keep, "DEBUG": "true", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert message in result.stderr
