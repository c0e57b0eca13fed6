"""Every read that a page, feed or API needs, by page family; the one place querysets are built.

Public reads all start from ``Inquiry.objects.published()`` (the inquiry page and the API's
tombstones from ``.public()``, which adds those withdrawn after publication). Import the
module of the family you read from: ``from inquiries.selectors import pages``.

- ``base``: the published inquiries, a list row, URL checks, counting helpers, the median;
- ``pages``: home, inquiry page, people, factions, ministries, staff preview, name suggestions;
- ``statistics``: the statistics page;
- ``sitemap``: the sitemap's sections;
- ``listing``: the inquiry list, search, feeds and the API's list (counts, pages, caches);
- ``facets``: the facet counts of the list and search;
- ``history``: the public correction log and the admin's history of an inquiry's parts;
- ``exports``: what an inquiry.v1 export contains.
"""
