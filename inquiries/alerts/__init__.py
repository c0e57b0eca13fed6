"""E-mail alerts: follow any search or filter of the inquiry list and get a digest.

A visitor enters an address for a followed query (the list page's filter
parameters, validated by ``InquiryFilterSet``; a person, faction or ministry is
just a filter), confirms it by a link (double opt-in) and then receives a daily
or weekly digest of the inquiries published since the last one. Every mail
carries a one-click unsubscribe link; unsubscribing deletes the address.

- ``apps``: ``AlertsConfig``, the app ``alerts`` with its own migrations.
- ``models``: the ``Subscription`` row.
- ``queries``: canonical form and description of a followed query.
- ``selectors`` / ``services``: reads and writes, as in the domain app.
- ``emails``: building the messages; ``views``/``urls``/``forms``: the pages.
- ``ratelimit``: per-address and per-IP limits of subscribe requests (cache).

Digests are sent by ``manage.py send_alert_digests`` (see docs/alerts.md).
"""
