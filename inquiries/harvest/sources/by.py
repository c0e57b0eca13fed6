"""Bayern: the Landtag's RSS feed of the Drucksachen of Anfragen, and the static PDF.

The feed (``rssfeed.xhtml?art=ANFRAGE``) names each paper ("Initiativdrucksache 19/13327"),
its title and a link to the Vorgangsmappe (``gegenstandid``). A Schriftliche Anfrage is
published as one Drucksache holding question and answer, once answered, under a static
address, as the Parlamentsspiegel links it::

    https://www.bayern.landtag.de/www/ElanTextAblage_WP19/Drucksachen/Schriftliche Anfragen/19_0013269.pdf

A Drucksache the feed lists for several Anfragen at once collects the Anfragen zum Plenum,
which are not filed under that address: those are skipped, and the run says so.
"""

from __future__ import annotations

import datetime
import email.utils
import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Iterator
from urllib.parse import parse_qs, quote, urlsplit

from inquiries.harvest.sources.base import Listing, Page, Source, SourceError

FEED_PATH = "/webangebot3/views/rssfeed/rssfeed.xhtml"
_REFERENCE = re.compile(r"(\d{1,2})/(\d+)\s*$")


class BayernSource(Source):
    code = "by"
    parliament = "BY"
    interface = "RSS feed of the Drucksachen of Anfragen + static PDF"
    structured = False
    incremental = False
    default_base_url = "https://www.bayern.landtag.de"

    def pages(self, *, since, until, checkpoint) -> Iterator[Page]:
        fetched = self.client.get(
            f"{self.base_url}{FEED_PATH}",
            params={"art": "ANFRAGE", "titel": "Drucksachen von Anfragen"},
            conditional=not checkpoint.get("resuming"),
        )
        if fetched.not_modified:
            yield Page([], {}, fetched.url)
            return
        listings, notes = parse_feed(fetched.content, fetched.url, self.base_url)
        in_window = [listing for listing in listings if _in_window(listing.version, since, until)]
        yield Page(in_window, {}, fetched.url, notes=notes)


def parse_feed(data: bytes, url: str, base_url: str) -> tuple[list[Listing], list[str]]:
    try:
        channel = ET.fromstring(data).find("channel")
    except ET.ParseError as exc:
        raise SourceError(url, f"the feed is not well-formed XML ({exc})") from None
    if channel is None:
        raise SourceError(url, "not an RSS feed (no <channel>)")
    entries = []
    for item in channel.findall("item"):
        match = _REFERENCE.search(item.findtext("title") or "")
        link = (item.findtext("link") or "").strip()
        ids = parse_qs(urlsplit(link).query).get("gegenstandid")
        if not match or not ids:
            raise SourceError(url, f"an <item> without a Drucksache or gegenstandid: {item.findtext('title')!r}")
        entries.append((match, ids[0], item, link))
    shared = Counter(f"{m[1]}/{m[2]}" for m, _id, _item, _link in entries)
    listings, notes = [], []
    for match, gegenstand, item, link in entries:
        period, number = int(match[1]), int(match[2])
        reference = f"{period}/{number}"
        if shared[reference] > 1:
            notes.append(f"Drucksache {reference} (gegenstandid {gegenstand}) collects several Anfragen zum Plenum: skipped")
            continue
        path = quote(f"/www/ElanTextAblage_WP{period}/Drucksachen/Schriftliche Anfragen/{period}_{number:07d}.pdf")
        listings.append(
            Listing(
                external_id=gegenstand,
                reference=reference,
                title=(item.findtext("description") or "").strip(),
                document_url=f"{base_url}{path}",
                version=(item.findtext("pubDate") or "").strip(),
                page_url=link,
            )
        )
    return listings, notes


def _in_window(published: str, since: datetime.date | None, until: datetime.date | None) -> bool:
    try:
        day = email.utils.parsedate_to_datetime(published).date()
    except (TypeError, ValueError):
        return True
    return (since is None or day >= since) and (until is None or day <= until)
