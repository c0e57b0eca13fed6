"""Every write to the domain, one module per kind of write (import the one you need).

- ``reference``: parliaments, terms, people, factions, ministries, memberships, and the
  one cached ``Resolver`` both import paths use to find them by what a record prints.
- ``upsert``: the single upsert of an inquiry.v1 record and the record → fields mapping.
- ``bulk``: the bulk writer of inquiry.v1 lines (the JSON Lines import, the archive loader).
- ``changes``: the hook every write path calls afterwards (search index, cache version).
- ``workflow``: publishing and withdrawing, with the editors' checks.
- ``documents``: answer documents imported, kept and re-parsed.
- ``editing``: history baselines, question renumbering, recomputed deadlines.

All functions that change several rows are transactional, so an import either
lands whole or not at all.
"""
