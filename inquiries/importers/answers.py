"""Pairing questions with answers where each answer is introduced by "Zu 1.:".

Used by layouts that answer under a heading per question or group of questions
("Zu 1.:", "Zu 1. und 2.:", "Zu den Fragen 6, 7, 8 und 10:", "Zu Frage 2:",
"Zu 3. a):"). Questions answered together each get the whole joint answer, so that
every question reads complete on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

from inquiries.importers.text import join_paragraphs

_ITEM = r"\d{1,3}\s*\.?\s*(?:[a-z]\s*\)?\s*\.?)?"
_HEADING = re.compile(
    r"^Zu\s+(?:(?:den\s+|der\s+)?(?:Fragen?|Nummern?|Ziffern?)\s+|Nr\.\s*)?"
    rf"(?P<items>{_ITEM}(?:\s*(?:,|und|bis|sowie)\s*{_ITEM})*)\s*:?\s*$"
)
_LABEL = re.compile(r"(\d{1,3})(?:\s*\.?\s*([a-z])(?![a-z]))?|\b(bis)\b")


def heading_labels(paragraph: str) -> list[str] | None:
    """The question labels a "Zu …:" heading answers, or None if it is no such heading."""
    match = _HEADING.match(paragraph.strip())
    if not match:
        return None
    labels: list[str] = []
    range_open = False
    for number, letter, until in _LABEL.findall(match.group("items")):
        if until:
            range_open = True
            continue
        if range_open and labels and labels[-1].isdigit() and not letter:
            labels.extend(str(n) for n in range(int(labels[-1]) + 1, int(number)))
        range_open = False
        labels.append(f"{number}{letter}")
    return labels or None


def label_key(label: str) -> tuple[int, str]:
    """Sort key: "2" < "3a" < "3b" < "10"."""
    match = re.match(r"(\d+)(.*)", label)
    return (int(match.group(1)), match.group(2)) if match else (10**6, label)


def question_start(label: str) -> re.Pattern[str]:
    """How the question ``label`` starts when printed: "3." or "3. a)" / "a)"."""
    match = re.fullmatch(r"(\d+)([a-z]?)", label)
    if match is None:
        return re.compile(rf"^{re.escape(label)}[.)]\s*")
    number, letter = match.groups()
    if letter:
        return re.compile(rf"^(?:{number}\.\s*)?{letter}\)\s*")
    return re.compile(rf"^{number}\.(?!\d)\s*")


@dataclass
class Section:
    """One answer heading with the questions printed before it and the answer after it."""

    labels: list[str]
    question_paragraphs: list[str] = field(default_factory=list)
    answer_paragraphs: list[str] = field(default_factory=list)


def answer_sections(
    paragraphs: Sequence[str], *, questions: Literal["numbered", "counted"] = "numbered"
) -> tuple[list[str], list[Section]]:
    """Split paragraphs into what comes before the first question and the answer sections.

    ``questions="numbered"``: the repeated questions start with their number ("1. …").
    ``questions="counted"``: they are unnumbered, one paragraph per question, so a
    heading for n questions takes the n paragraphs before it.
    """
    headings = [(index, labels) for index, paragraph in enumerate(paragraphs) if (labels := heading_labels(paragraph))]
    if not headings:
        return list(paragraphs), []
    starts = []
    previous_end = 0
    for index, labels in headings:
        start = index
        if questions == "counted":
            start = max(previous_end, index - len(labels))
        else:
            pattern = question_start(labels[0])
            for candidate in range(index - 1, previous_end - 1, -1):
                if pattern.match(paragraphs[candidate]):
                    start = candidate
                    break
        starts.append(start)
        previous_end = index + 1
    sections = []
    for number, (index, labels) in enumerate(headings):
        end = starts[number + 1] if number + 1 < len(headings) else len(paragraphs)
        sections.append(Section(labels, list(paragraphs[starts[number]:index]), list(paragraphs[index + 1:end])))
    return list(paragraphs[: starts[0]]), sections


def split_numbered_questions(labels: Sequence[str], paragraphs: Sequence[str]) -> dict[str, str]:
    """The texts of the questions ``labels`` from their printed paragraphs."""
    texts: dict[str, list[str]] = {}
    current = None
    for paragraph in paragraphs:
        for label in labels:
            match = question_start(label).match(paragraph)
            if match and label not in texts:
                current = label
                texts[label] = [paragraph[match.end():].strip()]
                break
        else:
            if current is not None:
                texts[current].append(paragraph)
    return {label: "\n".join(part for part in parts if part) for label, parts in texts.items() if any(parts)}


def build_questions(
    sections: Sequence[Section],
    *,
    known: dict[str, str] | None = None,
    counted: bool = False,
) -> tuple[list[dict[str, Any]], list[str]]:
    """inquiry.v1 questions from the answer sections, with warnings.

    ``known`` are the question texts from the printed question paper (in order); the
    answer sections then only supply the answers, and a known question without a
    section stays unanswered.
    """
    warnings: list[str] = []
    answers: dict[str, str | None] = {}
    texts: dict[str, str] = {}
    for section in sections:
        answer = join_paragraphs(section.answer_paragraphs).strip() or None
        if counted:
            printed = dict(zip(section.labels, section.question_paragraphs))
        else:
            printed = split_numbered_questions(section.labels, section.question_paragraphs)
        for label in section.labels:
            if label in answers:
                warnings.append(f"questions: question {label} is answered twice; the first answer is kept")
                continue
            answers[label] = answer
            if label in printed:
                texts[label] = printed[label]
    if known is not None:
        for label in answers:
            if label not in known:
                warnings.append(f"questions: an answer to question {label}, which the question paper does not have")
        order = list(known)
        texts = {**texts, **known}
    else:
        order = sorted(answers, key=label_key)
    questions = []
    for label in order:
        text = texts.get(label)
        if not text:
            warnings.append(f"questions: the text of question {label} is not printed; its answer is left out")
            continue
        questions.append({"number": label, "text": text, "answer": answers.get(label)})
    return questions, warnings
