"""Every write of the alerts: subscribe, confirm, unsubscribe, send digests, expire.

An address is stored for these alerts only: the row goes on unsubscribe, and
unconfirmed rows go after ``CONFIRMATION_VALID_FOR``. Nothing is ever sent to
an unconfirmed address except the one confirmation mail it asked for.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.contrib.auth.base_user import BaseUserManager
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone

from inquiries.alerts import emails, selectors
from inquiries.alerts.models import DigestFrequency, Subscription
from inquiries.alerts.queries import FollowedQuery, InvalidQuery, follow

logger = logging.getLogger(__name__)

# Entries listed in one digest; the mail links to the full list for the rest.
MAX_DIGEST_ENTRIES = 50


def normalize_email(address: str) -> str:
    """The address as stored: trimmed, domain in lower case (the local part may be case-sensitive)."""
    return BaseUserManager.normalize_email(address.strip())


def request_subscription(email: str, followed: FollowedQuery, frequency: str, *, language: str, base: str) -> None:
    """Mail a confirmation link for ``followed`` to ``email`` (double opt-in).

    The visitor learns nothing about the address: a confirmed subscription gets a
    note that it exists (with its unsubscribe link) instead of a new link; a pending
    one is replaced, so that only the newest link works.
    """
    email = normalize_email(email)
    frequency = DigestFrequency(frequency).value
    with transaction.atomic():
        existing = selectors.subscription_for(email, followed.query)
        if existing is not None and existing.is_confirmed:
            message = emails.already_subscribed(existing, followed, base)
        else:
            if existing is not None:
                existing.delete()
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(
                        email=email, query=followed.query, frequency=frequency, language=language
                    )
            except IntegrityError:
                # The same request arrived twice at once; the other one sends the link.
                return
            message = emails.confirmation(subscription, followed, base)
    message.send()


def confirm(subscription: Subscription, *, now: datetime.datetime | None = None) -> bool:
    """Confirm the address; False (and the row deleted) when the link has expired.

    Digests cover what is published from now on, not the past.
    """
    now = now or timezone.now()
    if selectors.is_expired(subscription, now):
        subscription.delete()
        return False
    if not subscription.is_confirmed:
        subscription.confirmed_at = now
        subscription.sent_until = now
        subscription.save(update_fields=["confirmed_at", "sent_until"])
    return True


def unsubscribe(subscription: Subscription) -> None:
    """Forget the address: the row is deleted, not flagged."""
    subscription.delete()


def delete_expired(*, now: datetime.datetime | None = None) -> int:
    deleted, _ = selectors.expired_unconfirmed(now or timezone.now()).delete()
    return deleted


@dataclass
class DigestRun:
    """What one run of the digests did (or, in a dry run, would do)."""

    dry_run: bool = False
    sent: int = 0
    inquiries: int = 0
    nothing_new: int = 0
    failed: int = 0
    invalid: int = 0
    expired: int = 0
    # (subscription id, number of new inquiries) for each digest sent or, dry, due.
    digests: list[tuple[int, int]] = field(default_factory=list)


def send_due_digests(
    *,
    frequency: str | None = None,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    base: str | None = None,
) -> DigestRun:
    """Send every due digest (of one frequency or all) and delete expired unconfirmed rows.

    Each subscription is handled in its own transaction, locked (on PostgreSQL) so
    that two runs at once cannot send the same digest twice; its watermark moves
    only after its mail went out. A failed send is logged and retried next run.
    """
    now = now or timezone.now()
    base = base or emails.site_url()
    run = DigestRun(dry_run=dry_run)
    run.expired = selectors.expired_unconfirmed(now).count() if dry_run else delete_expired(now=now)
    due = list(selectors.due_subscriptions(now, frequency).values_list("pk", flat=True))
    connection = None if dry_run else get_connection()
    try:
        for pk in due:
            try:
                _send_digest(pk, now=now, frequency=frequency, base=base, run=run, connection=connection)
            except (smtplib.SMTPException, OSError):
                logger.exception("alert digest for subscription %s could not be sent; it stays due", pk)
                run.failed += 1
    finally:
        if connection is not None:
            connection.close()
    return run


def _send_digest(
    pk: int, *, now: datetime.datetime, frequency: str | None, base: str, run: DigestRun, connection: BaseEmailBackend | None
) -> None:
    with transaction.atomic():
        subscription = (
            selectors.due_subscriptions(now, frequency).filter(pk=pk).select_for_update(skip_locked=True, of=("self",)).first()
        )
        if subscription is None:
            return  # unsubscribed meanwhile, or another run has it
        try:
            followed = follow(subscription.query)
        except InvalidQuery as invalid:
            # E.g. a faction's slug changed; the row waits for a fix rather than mailing everything.
            logger.warning("alert subscription %s follows parameters that are no longer valid: %s", pk, "; ".join(invalid.messages))
            run.invalid += 1
            return
        since, until = selectors.digest_window(subscription, now)
        matching = selectors.digest_inquiries(followed, since, until, limit=MAX_DIGEST_ENTRIES)
        total = matching.total
        if not total:
            run.nothing_new += 1
            return
        run.digests.append((pk, total))
        if run.dry_run:
            return
        message = emails.digest(subscription, followed, matching.inquiries, total, base)
        message.connection = connection
        message.send()
        subscription.sent_until = until
        subscription.last_sent_at = now
        subscription.save(update_fields=["sent_until", "last_sent_at"])
        run.sent += 1
        run.inquiries += total
