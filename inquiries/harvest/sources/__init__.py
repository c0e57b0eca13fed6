"""The sources the harvester knows, by code (``manage.py harvest --list``)."""

from __future__ import annotations

from inquiries.harvest.sources.base import Source
from inquiries.harvest.sources.be import BerlinSource
from inquiries.harvest.sources.bt import BundestagSource
from inquiries.harvest.sources.by import BayernSource
from inquiries.harvest.sources.hb import BremenSource
from inquiries.harvest.sources.mv import MecklenburgVorpommernSource
from inquiries.harvest.sources.parlamentsspiegel import ParlamentsspiegelSource
from inquiries.harvest.sources.th import ThueringenSource

SOURCES: dict[str, type[Source]] = {
    source.code: source
    for source in (
        BundestagSource,
        BerlinSource,
        BayernSource,
        MecklenburgVorpommernSource,
        ThueringenSource,
        BremenSource,
        ParlamentsspiegelSource,
    )
}
