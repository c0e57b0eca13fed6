"""sitemap.xml: published inquiries, people, factions and ministries, as a sitemap index."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from inquiries.selectors import sitemap


class InquirySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    # Each section's page stays well below the protocol's 50,000 URLs and 50 MB.
    limit = 10000

    def items(self):
        return sitemap.sitemap_inquiries()

    def lastmod(self, inquiry):
        return inquiry.updated_at

    def get_latest_lastmod(self):
        # Django would otherwise load every inquiry to find the newest date.
        return sitemap.latest_inquiry_change()


class PersonSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 10000

    def items(self):
        return sitemap.sitemap_people()


class FactionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return sitemap.sitemap_factions()


class MinistrySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return sitemap.sitemap_ministries()


class PageSitemap(Sitemap):
    """The site's fixed pages."""

    changefreq = "daily"
    priority = 0.6

    def items(self) -> list[str]:
        return [
            "inquiries:home",
            "inquiries:inquiry-list",
            "inquiries:person-index",
            "inquiries:faction-index",
            "inquiries:ministry-index",
            "inquiries:statistics",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "seiten": PageSitemap,
    "anfragen": InquirySitemap,
    "personen": PersonSitemap,
    "fraktionen": FactionSitemap,
    "ministerien": MinistrySitemap,
}
