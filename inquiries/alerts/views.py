"""Pages of the alerts: subscribe, confirm, unsubscribe (by form and RFC 8058 one-click).

Pages reached by a link's secret token are never cached, not indexed and send no
referrer, so the token stays between the mail and this site. An unknown,
used-up or expired token gets the same "link not valid" page.
"""

from __future__ import annotations

import logging
import smtplib
from functools import wraps
from typing import Any, Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView

from inquiries.alerts import emails, ratelimit, selectors, services
from inquiries.alerts.forms import SubscribeForm
from inquiries.alerts.models import DigestFrequency, Subscription
from inquiries.alerts.queries import FollowedQuery, InvalidQuery, follow

logger = logging.getLogger(__name__)

# Subscribe requests (limit, window in seconds): per client address against floods,
# per e-mail address so that nobody can fill someone's inbox with confirmation links.
LIMIT_PER_IP = (20, 3600)
LIMIT_PER_ADDRESS = (5, 3600)


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def _links(followed: FollowedQuery) -> dict[str, str]:
    query = f"?{followed.query}" if followed.query else ""
    return {
        "results_url": reverse("inquiries:inquiry-list") + query,
        "feed_url": reverse("inquiries:inquiry-feed") + query,
        "subscribe_url": reverse("alerts:subscribe") + query,
    }


VALID_DAYS = {"valid_days": selectors.CONFIRMATION_VALID_FOR.days}


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "alerts/invalid_link.html", VALID_DAYS, status=404)


def _followed_or_none(subscription: Subscription) -> FollowedQuery | None:
    try:
        return follow(subscription.query)
    except InvalidQuery:
        return None


@method_decorator(never_cache, name="dispatch")
class SubscribeView(View):
    """``/benachrichtigungen/abonnieren/?<list parameters>``: follow that search by e-mail."""

    template_name = "alerts/subscribe.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.followed = follow(request.GET)
        except InvalidQuery as invalid:
            return render(request, self.template_name, {"query_errors": invalid.messages}, status=400)
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form: SubscribeForm, *, status: int = 200, problem: str = "") -> HttpResponse:
        context = {
            "form": form,
            "followed": self.followed,
            "description": self.followed.description,
            "problem": problem,
            **VALID_DAYS,
            **_links(self.followed),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(SubscribeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubscribeForm(request.POST)
        if not ratelimit.allow("alerts-ip", request.META.get("REMOTE_ADDR", ""), limit=LIMIT_PER_IP[0], window_seconds=LIMIT_PER_IP[1]):
            problem = translation.gettext("Zu viele Anfragen von Ihrem Anschluss. Bitte versuchen Sie es in einer Stunde erneut.")
            response = self.render_form(form, status=429, problem=problem)
            response["Retry-After"] = str(LIMIT_PER_IP[1])
            return response
        if not form.is_valid():
            return self.render_form(form, status=400)
        email = services.normalize_email(form.cleaned_data["email"])
        if ratelimit.allow("alerts-address", email, limit=LIMIT_PER_ADDRESS[0], window_seconds=LIMIT_PER_ADDRESS[1]):
            try:
                services.request_subscription(
                    email,
                    self.followed,
                    form.cleaned_data["frequency"],
                    language=translation.get_language() or "de",
                    base=emails.site_url(request),
                )
            except (smtplib.SMTPException, OSError):
                logger.exception("confirmation mail could not be sent")
                problem = translation.gettext("Die E-Mail konnte gerade nicht versandt werden. Bitte versuchen Sie es später erneut.")
                return self.render_form(form, status=503, problem=problem)
        else:
            # Same answer as a success: the page must not tell whether or how often
            # someone asked for this address.
            logger.info("subscribe requests for one address over the limit; no mail sent")
        return HttpResponseRedirect(reverse("alerts:subscribe-sent"), status=303)


class SubscribeSentView(TemplateView):
    template_name = "alerts/subscribe_sent.html"
    extra_context = VALID_DAYS


@method_decorator(private, name="dispatch")
class ConfirmView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscription = selectors.subscription_by_token(token)
        except Http404:
            return _invalid_link(request)
        if not services.confirm(subscription):
            return _invalid_link(request)
        followed = _followed_or_none(subscription)
        context = {
            "subscription": subscription,
            "frequency": DigestFrequency(subscription.frequency).label,
            "description": followed.description if followed else [],
            **(_links(followed) if followed else {}),
        }
        return render(request, "alerts/confirmed.html", context)


@method_decorator(private, name="dispatch")
class UnsubscribeView(View):
    """GET asks (mail scanners follow links), POST with the form deletes the row."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscription = selectors.subscription_by_token(token)
        except Http404:
            return _invalid_link(request)
        followed = _followed_or_none(subscription)
        context = {
            "subscription": subscription,
            "description": followed.description if followed else [],
            "frequency": DigestFrequency(subscription.frequency).label,
        }
        return render(request, "alerts/unsubscribe.html", context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            subscription = selectors.subscription_by_token(token)
        except Http404:
            return _invalid_link(request)
        services.unsubscribe(subscription)
        return render(request, "alerts/unsubscribed.html")


@private
@csrf_exempt  # RFC 8058: the mail program posts without cookies; the token is the credential
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        # Opened in a browser: ask first, like the link in the mail.
        return redirect("alerts:unsubscribe", token=token)
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponseBadRequest("expected the body List-Unsubscribe=One-Click (RFC 8058)", content_type="text/plain; charset=utf-8")
    try:
        subscription = selectors.subscription_by_token(token)
    except Http404:
        return HttpResponse("not subscribed", status=404, content_type="text/plain; charset=utf-8")
    services.unsubscribe(subscription)
    return HttpResponse("unsubscribed", content_type="text/plain; charset=utf-8")
