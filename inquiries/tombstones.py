"""Records a tombstone when an inquiry that had been public is deleted.

Connected in ``InquiriesConfig.ready()``. A signal rather than a service call,
because rows are deleted from several places (admin, shell, cascades of other
deletions) and every one of them must leave the tombstone.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete

from inquiries.models import Inquiry
from inquiries.models.tombstone import DeletedInquiry


def record_deleted_inquiry(sender: type[Inquiry], instance: Inquiry, **kwargs: Any) -> None:
    # Never-published drafts leave nothing: their existence was never public.
    if instance.published_at is None:
        return
    DeletedInquiry.objects.update_or_create(
        original_id=instance.pk,
        defaults={
            "parliament_code": instance.parliament.code,
            "term_number": instance.term.number,
            "reference": instance.reference,
        },
    )


def connect() -> None:
    post_delete.connect(record_deleted_inquiry, sender=Inquiry, dispatch_uid="inquiries.tombstones.record_deleted_inquiry")
