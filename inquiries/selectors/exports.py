"""What an inquiry.v1 export (JSONL export, dumps) contains."""

from __future__ import annotations


from django.db.models import QuerySet

from inquiries.models import Inquiry
from inquiries.selectors.base import public_inquiries


def exported_inquiries(*, drafts: bool = False, everything: bool = False) -> QuerySet[Inquiry]:
    """The inquiries of an inquiry.v1 export: the published ones, with ``drafts`` also
    the drafts, with ``everything`` also the withdrawn ones (exports that are not public)."""
    if everything:
        return Inquiry.objects.all()
    if drafts:
        return public_inquiries() | Inquiry.objects.drafts()
    return public_inquiries()
