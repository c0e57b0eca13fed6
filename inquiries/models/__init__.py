from inquiries.models.government import Ministry, MinisterialOffice
from inquiries.models.inquiry import (
    Asker,
    Inquiry,
    InquiryKind,
    InquiryMinistry,
    InquiryState,
    MinistryRole,
    Question,
    SourceDocument,
)
from inquiries.models.parliament import Parliament, Term
from inquiries.models.people import Faction, Membership, Party, Person

__all__ = [
    "Asker",
    "Faction",
    "Inquiry",
    "InquiryKind",
    "InquiryMinistry",
    "InquiryState",
    "Membership",
    "MinisterialOffice",
    "Ministry",
    "MinistryRole",
    "Parliament",
    "Party",
    "Person",
    "Question",
    "SourceDocument",
    "Term",
]
