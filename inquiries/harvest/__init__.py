"""Harvesting new answers from the parliaments' own documentation systems.

- ``http``: the polite HTTP client (robots.txt, one request at a time per host, conditional
  requests, retries with backoff);
- ``sources``: one adapter per source, turning its listing into ``Listing`` entries;
- ``runs``: the run bookkeeping, the per-source lock, and the import of each document;
- ``importing``: the one place that hands a fetched document to the document importer.
"""
