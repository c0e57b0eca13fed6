"""The alert mails: confirmation, "already subscribed" and the digest.

Each is plain text with an HTML alternative, rendered in the subscriber's
language, and carries the one-click unsubscribe headers of RFC 8058
(``List-Unsubscribe`` with an HTTPS link that accepts a POST, and
``List-Unsubscribe-Post``), besides the unsubscribe link in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inquiries.alerts.models import DigestFrequency, Subscription
from inquiries.alerts.queries import FollowedQuery
from inquiries.alerts.selectors import CONFIRMATION_VALID_FOR
from inquiries.models import Inquiry


def site_url(request: HttpRequest | None = None) -> str:
    """Scheme and host for links in mails: ``SITE_URL``, else the request's own (checked by ALLOWED_HOSTS)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise ImproperlyConfigured("SITE_URL must be set (e.g. https://anfragen.example.org) to put links into alert mails")


@dataclass(frozen=True)
class Links:
    """Absolute links of one subscription."""

    confirm: str
    unsubscribe: str
    one_click: str
    results: str
    feed: str

    @classmethod
    def of(cls, subscription: Subscription, base: str) -> "Links":
        query = f"?{subscription.query}" if subscription.query else ""
        token = {"token": subscription.token}
        return cls(
            confirm=base + reverse("alerts:confirm", kwargs=token),
            unsubscribe=base + reverse("alerts:unsubscribe", kwargs=token),
            one_click=base + reverse("alerts:unsubscribe-one-click", kwargs=token),
            results=base + reverse("inquiries:inquiry-list") + query,
            feed=base + reverse("inquiries:inquiry-feed") + query,
        )


def _message(
    subscription: Subscription, links: Links, *, subject: str, template: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    context = {**context, "subscription": subscription, "links": links, "frequency": DigestFrequency(subscription.frequency).label}
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{links.one_click}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: a machine wrote this; out-of-office replies should stay away.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _topic(followed: FollowedQuery) -> str:
    lines = followed.description
    if not lines:
        return _("alle Anfragen")
    return "; ".join(f"{label}: {value}" for label, value in lines)


def confirmation(subscription: Subscription, followed: FollowedQuery, base: str) -> EmailMultiAlternatives:
    with translation.override(subscription.language):
        return _message(
            subscription,
            Links.of(subscription, base),
            subject=_("Bitte bestätigen: E-Mail-Benachrichtigung zu %(topic)s") % {"topic": _short(_topic(followed))},
            template="confirm",
            context={"description": followed.description, "valid_days": CONFIRMATION_VALID_FOR.days},
        )


def already_subscribed(subscription: Subscription, followed: FollowedQuery, base: str) -> EmailMultiAlternatives:
    with translation.override(subscription.language):
        return _message(
            subscription,
            Links.of(subscription, base),
            subject=_("Sie erhalten diese Benachrichtigung bereits: %(topic)s") % {"topic": _short(_topic(followed))},
            template="already_subscribed",
            context={"description": followed.description},
        )


def digest(
    subscription: Subscription, followed: FollowedQuery, inquiries: Sequence[Inquiry], total: int, base: str
) -> EmailMultiAlternatives:
    """The digest of ``inquiries`` (the first of ``total`` new ones)."""
    with translation.override(subscription.language):
        subject = ngettext(
            "%(count)d neue Anfrage: %(topic)s", "%(count)d neue Anfragen: %(topic)s", total
        ) % {"count": total, "topic": _short(_topic(followed))}
        entries = [{"inquiry": inquiry, "url": base + inquiry.get_absolute_url()} for inquiry in inquiries]
        return _message(
            subscription,
            Links.of(subscription, base),
            subject=subject,
            template="digest",
            context={"description": followed.description, "entries": entries, "total": total, "more": total - len(entries)},
        )


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
