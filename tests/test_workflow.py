"""The state machine draft → published → withdrawn (→ published), its checks, and that only
published inquiries ever reach the public pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from inquiries.models import Inquiry, InquiryState
from inquiries.services import changes, upsert, workflow
from inquiries.validation import question_number_problems
from tests.workflow_factories import (
    AskerFactory,
    FactionFactory,
    InquiryFactory,
    MembershipFactory,
    PersonFactory,
    QuestionFactory,
    TermFactory,
    inquiry_with_questions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(monkeypatch) -> list[list[int]]:
    """The ids passed to the inquiries_changed hook, call by call."""
    calls: list[list[int]] = []
    monkeypatch.setattr(changes, "inquiries_changed", lambda ids: calls.append(list(ids)))
    return calls


# --- transitions ------------------------------------------------------------------------------


def test_publish_a_draft_sets_state_and_published_at_and_calls_the_hook(changed):
    inquiry = inquiry_with_questions()
    assert inquiry.published_at is None

    workflow.publish(inquiry)

    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert stored.state == InquiryState.PUBLISHED
    assert stored.published_at is not None
    assert inquiry.state == InquiryState.PUBLISHED  # the caller's object follows
    assert changed == [[inquiry.pk]]


def test_publish_uses_a_given_time_for_the_first_publication(changed):
    inquiry = inquiry_with_questions()
    at = datetime.datetime(2024, 3, 1, 9, 30, tzinfo=datetime.timezone.utc)
    workflow.publish(inquiry, at=at)
    assert Inquiry.objects.get(pk=inquiry.pk).published_at == at


def test_publishing_twice_is_refused_with_a_clear_message(changed):
    inquiry = inquiry_with_questions(reference="17/4711")
    workflow.publish(inquiry)
    with pytest.raises(workflow.TransitionError, match=r"17/4711 ist bereits veröffentlicht"):
        workflow.publish(inquiry)
    assert changed == [[inquiry.pk]]


def test_a_draft_withdrawn_before_publication_never_becomes_public(client, changed):
    inquiry = inquiry_with_questions(reference="17/4712")
    workflow.withdraw(inquiry, reason="Von den Fragestellern vor der Veröffentlichung zurückgezogen.")
    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert (stored.state, stored.published_at) == (InquiryState.WITHDRAWN, None)
    assert changed == [[inquiry.pk]]
    assert inquiry.title not in client.get(reverse("inquiries:inquiry-list")).content.decode()


def test_a_published_inquiry_cannot_go_back_to_draft():
    inquiry = InquiryFactory(published=True)
    assert not workflow.can_transition(inquiry, InquiryState.DRAFT)


def test_withdraw_needs_a_reason(changed):
    inquiry = InquiryFactory(published=True)
    with pytest.raises(workflow.TransitionError, match="Grund"):
        workflow.withdraw(inquiry, reason="   ")
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED


def test_withdraw_a_published_inquiry_keeps_the_reason(changed):
    inquiry = InquiryFactory(published=True)
    workflow.withdraw(inquiry, reason="  Doppelt eingestellt.  ")
    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert stored.state == InquiryState.WITHDRAWN
    assert stored.withdrawn_reason == "Doppelt eingestellt."
    assert changed == [[inquiry.pk]]


def test_withdrawing_twice_is_refused(changed):
    inquiry = InquiryFactory(withdrawn=True, reference="17/4713")
    with pytest.raises(workflow.TransitionError, match=r"17/4713 ist bereits zurückgezogen"):
        workflow.withdraw(inquiry, reason="noch einmal")


def test_a_withdrawn_inquiry_can_be_published_again_keeping_its_first_publication(changed):
    inquiry = inquiry_with_questions()
    workflow.publish(inquiry)
    first = Inquiry.objects.get(pk=inquiry.pk).published_at
    workflow.withdraw(inquiry, reason="Prüfung")
    workflow.publish(inquiry)
    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert stored.state == InquiryState.PUBLISHED
    assert stored.published_at == first
    assert stored.withdrawn_reason == ""
    assert len(changed) == 3


def test_the_transition_table_is_the_workflow():
    assert workflow.TRANSITIONS == {
        InquiryState.DRAFT: {InquiryState.PUBLISHED, InquiryState.WITHDRAWN},
        InquiryState.PUBLISHED: {InquiryState.WITHDRAWN},
        InquiryState.WITHDRAWN: {InquiryState.PUBLISHED},
    }


def test_the_state_is_checked_on_the_stored_row_not_a_stale_object(changed):
    inquiry = inquiry_with_questions(reference="17/4714")
    stale = Inquiry.objects.get(pk=inquiry.pk)
    workflow.publish(inquiry)
    with pytest.raises(workflow.TransitionError, match="bereits veröffentlicht"):
        workflow.publish(stale)


# --- checks before publishing ------------------------------------------------------------------


def test_publish_refuses_question_numbers_with_a_gap(changed):
    inquiry = InquiryFactory(reference="17/4715")
    QuestionFactory(inquiry=inquiry, position=1, number="1")
    QuestionFactory(inquiry=inquiry, position=2, number="3")
    with pytest.raises(workflow.TransitionError) as error:
        workflow.publish(inquiry)
    assert "17/4715 kann nicht veröffentlicht werden" in str(error.value)
    assert "auf Frage „1“ folgt „3“" in str(error.value)
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.DRAFT
    assert changed == []


def test_publish_refuses_an_asker_outside_the_faction_on_the_asked_date(changed):
    inquiry = InquiryFactory(asked_on=datetime.date(2024, 2, 7))
    person = PersonFactory(first_name="Anna", last_name="Muster")
    faction = FactionFactory(parliament=inquiry.parliament, short_name="FDP/DVP")
    MembershipFactory(person=person, faction=faction, start_date=datetime.date(2021, 5, 1), end_date=datetime.date(2023, 12, 31))
    AskerFactory(inquiry=inquiry, person=person, faction=faction, membership=False)
    with pytest.raises(workflow.TransitionError, match="Anna Muster war am 7.2.2024 nicht Mitglied der Fraktion FDP/DVP"):
        workflow.publish(inquiry)


def test_publish_refuses_a_reference_of_another_term(changed):
    term = TermFactory(number=16)
    inquiry = InquiryFactory(parliament=term.parliament, term=term, reference="17/99")
    with pytest.raises(workflow.TransitionError, match="gehört nicht zur 16. Wahlperiode"):
        workflow.publish(inquiry)


def test_publication_problems_is_empty_for_a_complete_inquiry():
    assert workflow.publication_problems(inquiry_with_questions(count=4)) == []


# --- validation messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (["1", "2", "3a", "3b"], None),
        (["1", "2", "3", "3a", "3b", "4"], None),
        (["I", "I.1", "I.2", "II", "II.1"], None),
        (["1.", "2.", "3 a)", "3 b)"], None),
        (["1", "3"], "auf Frage „1“ folgt „3“"),
        (["1", "2", "2"], "Fragenummer „2“ kommt mehrmals vor"),
        (["1", "2b"], "auf Frage „1“ folgt „2b“"),
        (["2", "3"], "muss mit 1 (oder 1a, I) beginnen"),
        (["1", "zwei"], "Fragenummer „zwei“ ist nicht lesbar"),
    ],
)
def test_question_number_messages(numbers, message):
    problems = question_number_problems(numbers)
    if message is None:
        assert problems == []
    else:
        assert any(message in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("17-6206", "hat nicht die Form Wahlperiode/Nummer"),
        ("17/", "hat nicht die Form Wahlperiode/Nummer"),
        ("123/4", "hat nicht die Form Wahlperiode/Nummer"),
        ("16/6206", "gehört nicht zur 17. Wahlperiode"),
    ],
)
def test_inquiry_clean_checks_the_reference(reference, message):
    inquiry = InquiryFactory.build(parliament=TermFactory().parliament, term=TermFactory(), reference=reference)
    with pytest.raises(ValidationError) as error:
        inquiry.clean()
    assert message in " ".join(error.value.message_dict["reference"])


def test_inquiry_clean_refuses_an_answer_before_the_question():
    inquiry = InquiryFactory.build(
        parliament=TermFactory().parliament,
        term=TermFactory(),
        reference="17/1",
        asked_on=datetime.date(2024, 2, 7),
        answered_on=datetime.date(2024, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        inquiry.clean()
    assert error.value.message_dict["answered_on"] == ["Das Antwortdatum (1.2.2024) liegt vor dem Datum der Anfrage (7.2.2024)."]


def test_inquiry_clean_accepts_a_correct_inquiry():
    term = TermFactory()
    InquiryFactory.build(parliament=term.parliament, term=term, reference="17/6206").clean()


def test_asker_clean_checks_the_faction_on_the_asked_date():
    inquiry = InquiryFactory(asked_on=datetime.date(2024, 2, 7))
    asker = AskerFactory(inquiry=inquiry, membership=False)
    with pytest.raises(ValidationError) as error:
        asker.clean()
    assert "nicht Mitglied der Fraktion" in error.value.message_dict["faction"][0]
    MembershipFactory(person=asker.person, faction=asker.faction, start_date=datetime.date(2024, 1, 1), end_date=None)
    asker.clean()


def test_asker_clean_refuses_a_faction_of_another_parliament():
    inquiry = InquiryFactory()
    other = FactionFactory(parliament__code="NI", parliament__name="Niedersächsischer Landtag")
    asker = AskerFactory.build(inquiry=inquiry, person=PersonFactory(), faction=other)
    with pytest.raises(ValidationError, match="anderen Parlament"):
        asker.clean()


# --- drafts and withdrawn inquiries never reach the public pages ----------------------------------


@pytest.fixture
def three_states():
    """A published, a draft and a withdrawn inquiry sharing asker, faction and ministry."""
    published = inquiry_with_questions(published=True, title="Sichtbare Anfrage zum Radverkehr")
    asker = published.asker_links.get()
    ministry = published.answering_ministry
    hidden = {}
    for state in ("draft", "withdrawn"):
        inquiry = InquiryFactory(
            title=f"Geheime {state} Anfrage",
            answering_ministry=ministry,
            **({"withdrawn": True} if state == "withdrawn" else {}),
        )
        QuestionFactory(inquiry=inquiry, position=1, number="1", text=f"Geheime Frage {state}", answer=f"Geheime Antwort {state}")
        AskerFactory(inquiry=inquiry, person=asker.person, faction=asker.faction, membership=False)
        inquiry.factions.add(asker.faction)
        hidden[state] = inquiry
    return published, hidden, asker


def test_public_pages_show_only_published_inquiries(client, three_states):
    published, hidden, asker = three_states
    pages = [
        reverse("inquiries:home"),
        reverse("inquiries:inquiry-list"),
        asker.person.get_absolute_url(),
        asker.faction.get_absolute_url(),
        published.answering_ministry.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "Geheime" not in content, url
    assert "Sichtbare Anfrage zum Radverkehr" in client.get(reverse("inquiries:inquiry-list")).content.decode()


def test_the_page_of_a_draft_does_not_exist(client, three_states):
    _published, hidden, _asker = three_states
    response = client.get(hidden["draft"].get_absolute_url())
    assert response.status_code == 404
    assert "Geheime" not in response.content.decode()


def test_the_page_of_a_withdrawn_inquiry_shows_none_of_its_content(client, three_states):
    _published, hidden, _asker = three_states
    response = client.get(hidden["withdrawn"].get_absolute_url())
    content = response.content.decode()
    assert response.status_code != 200 or "zurückgezogen" in content.lower()
    assert "Geheime Frage withdrawn" not in content
    assert "Geheime Antwort withdrawn" not in content


def test_withdrawing_takes_an_inquiry_off_the_public_pages(client, changed):
    inquiry = inquiry_with_questions()
    workflow.publish(inquiry)
    assert client.get(inquiry.get_absolute_url()).status_code == 200
    assert inquiry.title in client.get(reverse("inquiries:inquiry-list")).content.decode()

    workflow.withdraw(inquiry, reason="Doppelt")

    assert inquiry.title not in client.get(reverse("inquiries:inquiry-list")).content.decode()
    assert inquiry.title not in client.get(reverse("inquiries:home")).content.decode()
    question = inquiry.questions.first()
    assert question.answer not in client.get(inquiry.get_absolute_url()).content.decode()


# --- imports do not bypass the workflow ---------------------------------------------------------------


def _seed(shared_dir) -> dict:
    import json

    return json.loads((shared_dir / "formats" / "example-bw-17-6206.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_a_reimport_never_takes_a_published_inquiry_back_to_draft(shared_dir):
    record = _seed(shared_dir)
    inquiry, _created = upsert.upsert_inquiry(record, state=InquiryState.PUBLISHED)
    upsert.upsert_inquiry(record, state=InquiryState.DRAFT)
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.PUBLISHED


def test_a_reimport_never_publishes_a_withdrawn_inquiry_again(shared_dir):
    record = _seed(shared_dir)
    inquiry, _created = upsert.upsert_inquiry(record, state=InquiryState.PUBLISHED)
    workflow.withdraw(inquiry, reason="Doppelt")
    upsert.upsert_inquiry(record, state=InquiryState.PUBLISHED)
    assert Inquiry.objects.get(pk=inquiry.pk).state == InquiryState.WITHDRAWN


def test_an_imported_draft_may_be_imported_again_as_published(shared_dir):
    record = _seed(shared_dir)
    inquiry, _created = upsert.upsert_inquiry(record, state=InquiryState.DRAFT)
    upsert.upsert_inquiry(record, state=InquiryState.PUBLISHED)
    stored = Inquiry.objects.get(pk=inquiry.pk)
    assert stored.state == InquiryState.PUBLISHED
    assert stored.published_at is not None
