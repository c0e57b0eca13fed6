"""The one place that decides what of an inquiry is searchable, and with what weight.

Three fields, in falling weight: the title; the questions (after the askers'
explanation, "Begründung"); the answers (after the government's preface,
"Vorbemerkung"). Questions and answers in printed order. Both backends index
and highlight exactly these.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from django.db.models import Model

from inquiries.search import text

# Rows per round trip when (re)indexing many inquiries; keeps parameter lists
# well below SQLite's limit and memory flat.
CHUNK_SIZE = 1000


@dataclass(frozen=True)
class SearchText:
    inquiry_id: int
    title: str
    questions: str
    answers: str
    # The backend's analysis of title, questions and answers when made in advance
    # (``search.prepare``, e.g. in a bulk import's helper process); else made on writing.
    analysed: tuple[str, str, str] | None = None


def build(
    title: str,
    questions: Iterable[tuple[str, str]],
    *,
    explanation: str = "",
    preface: str = "",
    inquiry_id: int = 0,
) -> SearchText:
    """The searchable text of one inquiry from its title and (question, answer) pairs."""
    pairs = list(questions)
    # Cleaning the joined text is cleaning each part: the separators stay as they are.
    return SearchText(
        inquiry_id=inquiry_id,
        title=text.clean(title),
        questions=text.clean("\n\n".join(part for part in [explanation, *(q for q, _ in pairs)] if part)),
        answers=text.clean("\n\n".join(part for part in [preface, *(a for _, a in pairs)] if part)),
    )


def documents(
    inquiry_ids: Iterable[int], *, inquiry_model: type[Model] | None = None, question_model: type[Model] | None = None
) -> Iterator[list[SearchText]]:
    """The searchable text of the given inquiries, in chunks; ids that no longer exist are left out.

    Reads only the columns it needs, so that the migration that builds the index
    can pass its historical models.
    """
    if inquiry_model is None or question_model is None:
        from inquiries.models import Inquiry, Question

        inquiry_model, question_model = Inquiry, Question
    ids = sorted(set(inquiry_ids))
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        pairs: dict[int, list[tuple[str, str]]] = defaultdict(list)
        questions = question_model.objects.filter(inquiry_id__in=chunk).order_by("inquiry_id", "position")
        for inquiry_id, question, answer in questions.values_list("inquiry_id", "text", "answer"):
            pairs[inquiry_id].append((question, answer))
        rows = inquiry_model.objects.filter(pk__in=chunk).values_list("pk", "title", "explanation", "government_preface")
        yield [
            build(title, pairs[pk], explanation=explanation, preface=preface, inquiry_id=pk)
            for pk, title, explanation, preface in rows
        ]
