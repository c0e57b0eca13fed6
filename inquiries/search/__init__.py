"""Full-text search over inquiries: one interface, a backend per database vendor.

Interface (the search work replaces the bodies, not the names):
- ``update_index(inquiry_ids)``: (re)index these inquiries after a write.
- ``search(query, queryset)``: the matching inquiries of ``queryset``, ranked.
"""

from __future__ import annotations

from typing import Sequence


def update_index(inquiry_ids: Sequence[int]) -> None:
    """Search indexing arrives with the search backends (issue 4)."""
    return None
