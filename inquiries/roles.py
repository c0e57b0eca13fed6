"""The editorial roles: Django groups with the permissions each role needs.

- Editor ("Redaktion"): create and edit inquiries (drafts and corrections of published
  ones), their questions, askers and involved ministries, people and ministries; import
  documents. Cannot publish or withdraw.
- Publisher ("Freigabe"): sees everything, publishes and withdraws inquiries; changes no data.
- Administrators are superusers.

Staff accounts without a group have no permission and therefore see no more than the
public. The groups are created by the migration ``0005_editorial_roles``, which keeps its
own frozen copy of these lists (a migration must not change when this module does).
"""

from __future__ import annotations

EDITOR = "Redaktion"
PUBLISHER = "Freigabe"

_VIEW_ALL = [
    f"view_{model}"
    for model in (
        "inquiry",
        "question",
        "asker",
        "inquiryministry",
        "sourcedocument",
        "person",
        "membership",
        "faction",
        "party",
        "ministry",
        "ministerialoffice",
        "parliament",
        "term",
        "harvestrun",
        "harvestitem",
        "answertable",
    )
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITOR: sorted(
        {
            *_VIEW_ALL,
            "add_inquiry",
            "change_inquiry",
            "import_document",
            "add_sourcedocument",
            *(f"{action}_{model}" for action in ("add", "change", "delete") for model in ("question", "asker", "inquiryministry", "answertable")),
            "add_person",
            "change_person",
            *(f"{action}_membership" for action in ("add", "change", "delete")),
            "add_ministry",
            "change_ministry",
            *(f"{action}_ministerialoffice" for action in ("add", "change", "delete")),
        }
    ),
    PUBLISHER: sorted({*_VIEW_ALL, "publish_inquiry", "withdraw_inquiry"}),
}
