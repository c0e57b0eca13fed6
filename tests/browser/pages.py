"""The page types every browser check visits: add a page to the axe and vnu checks with one line here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse

from tests.site_world import World


@dataclass(frozen=True)
class Page:
    path: Callable[[World], str]
    status: int = 200


PAGES: dict[str, Page] = {
    "home": Page(lambda w: reverse("inquiries:home")),
    "inquiry-list": Page(lambda w: reverse("inquiries:inquiry-list") + "?q=Polizei&kind=minor"),
    "inquiry-list-filtered": Page(lambda w: reverse("inquiries:inquiry-list") + f"?q=Polizei&faction={w.fdp.slug}&status=answered"),
    "inquiry": Page(lambda w: w.main.get_absolute_url()),
    "inquiry-withdrawn": Page(lambda w: w.withdrawn.get_absolute_url(), status=410),
    "person-index": Page(lambda w: reverse("inquiries:person-index")),
    "person": Page(lambda w: w.asker.get_absolute_url()),
    "faction-index": Page(lambda w: reverse("inquiries:faction-index")),
    "faction": Page(lambda w: w.fdp.get_absolute_url()),
    "ministry-index": Page(lambda w: reverse("inquiries:ministry-index")),
    "ministry": Page(lambda w: w.ministry.get_absolute_url()),
    "statistics": Page(lambda w: reverse("inquiries:statistics")),
    "alert-subscribe": Page(lambda w: reverse("alerts:subscribe") + f"?person={w.asker.slug}"),
    "not-found": Page(lambda w: "/gibt-es-nicht/", status=404),
    "server-error": Page(lambda w: "/__test__/fehler/", status=500),
}

# The pages whose screenshots are saved (SCREENSHOTS=1) at each of SCREENSHOT_WIDTHS.
SCREENSHOT_PAGES = ["home", "inquiry-list", "inquiry", "person", "faction", "ministry", "statistics"]
SCREENSHOT_WIDTHS = [1280, 375]
