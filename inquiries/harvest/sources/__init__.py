"""The sources the harvester knows, by code (``manage.py harvest --list``)."""

from __future__ import annotations

from inquiries.harvest.sources.base import NotImplementedSource, Source
from inquiries.harvest.sources.be import BerlinSource
from inquiries.harvest.sources.by import BayernSource
from inquiries.harvest.sources.bt import BundestagSource
from inquiries.harvest.sources.parlamentsspiegel import ParlamentsspiegelSource
from inquiries.harvest.sources.th import ThueringenSource


class MecklenburgVorpommernSource(NotImplementedSource):
    code, parliament = "mv", "MV"
    # The same software as Thüringen's (sources/th.py), but the installation files the
    # Kleine Anfrage under another facet and value; not recorded here yet.
    interface = "Parldok JSON"


class BremenSource(NotImplementedSource):
    code, parliament = "hb", "HB"
    interface = "PARiS (STARWEB forms)"


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
