"""Reads of the alerts: the one place their querysets are built.

Digests list published inquiries only: they start from the same published base
as the list page and feeds (``selectors.inquiry_search_base``), so drafts and
withdrawn inquiries never reach a mail.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from inquiries.alerts.models import TOKEN_LENGTH, DigestFrequency, Subscription
from inquiries.alerts.queries import FollowedQuery
from inquiries.models import Inquiry
from inquiries.selectors import listing

# How long a confirmation link stays valid; the digest command deletes older unconfirmed rows.
CONFIRMATION_VALID_FOR = datetime.timedelta(days=7)
# A digest is due a little before its full interval, so that a daily cron job whose
# runs start a few minutes apart does not skip a day.
SCHEDULE_TOLERANCE = datetime.timedelta(hours=1)
# Inquiries go into a digest only once published this long, so that an import still
# committing its transaction when the digests run is not passed over by the watermark.
PUBLICATION_SETTLE_TIME = datetime.timedelta(minutes=5)


def subscription_by_token(token: str) -> Subscription:
    """The subscription of a link's secret, or 404 (same answer for every unknown token)."""
    if len(token) != TOKEN_LENGTH:
        raise Http404("unknown token")
    try:
        return Subscription.objects.get(token=token)
    except Subscription.DoesNotExist:
        raise Http404("unknown token") from None


def subscription_for(email: str, query: str) -> Subscription | None:
    return Subscription.objects.filter(email__iexact=email, query=query).first()


def is_expired(subscription: Subscription, now: datetime.datetime) -> bool:
    return not subscription.is_confirmed and subscription.created_at <= now - CONFIRMATION_VALID_FOR


def expired_unconfirmed(now: datetime.datetime) -> QuerySet[Subscription]:
    return Subscription.objects.filter(confirmed_at__isnull=True, created_at__lte=now - CONFIRMATION_VALID_FOR)


def due_subscriptions(now: datetime.datetime, frequency: str | None = None) -> QuerySet[Subscription]:
    """Confirmed subscriptions whose period since the last digest (or confirmation) is over."""
    frequencies = [DigestFrequency(frequency)] if frequency else list(DigestFrequency)
    due = Q()
    for choice in frequencies:
        due |= Q(frequency=choice.value, period_start__lte=now - choice.interval + SCHEDULE_TOLERANCE)
    return (
        Subscription.objects.filter(confirmed_at__isnull=False)
        .annotate(period_start=Coalesce(F("last_sent_at"), F("confirmed_at")))
        .filter(due)
        .order_by("pk")
    )


def digest_window(subscription: Subscription, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Publication times (after, up to) that the next digest of ``subscription`` covers."""
    since = subscription.sent_until or subscription.confirmed_at or now
    return since, max(since, now - PUBLICATION_SETTLE_TIME)


@dataclass(frozen=True)
class DigestInquiries:
    """What a digest lists: the first inquiries (oldest first) and how many there are in all."""

    inquiries: list[Inquiry]
    total: int

    def __contains__(self, inquiry: object) -> bool:
        return inquiry in self.inquiries


def digest_inquiries(followed: FollowedQuery, since: datetime.datetime, until: datetime.datetime, *, limit: int) -> DigestInquiries:
    """Published inquiries matching ``followed`` and published in (since, until], the first
    ``limit`` of them oldest first, and their number: with the search engine read off its
    index (the window is a clause there), never every match of the search in SQL."""
    ids, total = listing.by_publication(followed.inquiry_query, limit, after=since, until=until, oldest_first=True, counted=True)
    rows = listing.inquiry_search_base().with_list_related().in_bulk(ids)
    return DigestInquiries([rows[pk] for pk in ids if pk in rows], total or 0)
