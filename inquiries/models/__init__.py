from inquiries.models.government import Ministry, MinisterialOffice
from inquiries.models.harvest import (
    HarvestItem,
    HarvestItemStatus,
    HarvestRun,
    HarvestRunState,
    HarvestSource,
    HarvestSourceCode,
    HttpValidator,
)
from inquiries.choices import InquiryKind, InquiryState, MinistryRole, RemovalKind
from inquiries.models.inquiry import Asker, Inquiry, InquiryMinistry, Question, SourceDocument
from inquiries.models.parliament import Parliament, Term
from inquiries.models.table import AnswerTable
from inquiries.models.people import Faction, Membership, Party, Person
from inquiries.models.tombstone import DeletedInquiry
from inquiries.models.version import DataVersion

__all__ = [
    "AnswerTable",
    "Asker",
    "DataVersion",
    "DeletedInquiry",
    "Faction",
    "HarvestItem",
    "HarvestItemStatus",
    "HarvestRun",
    "HarvestRunState",
    "HarvestSource",
    "HarvestSourceCode",
    "HttpValidator",
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
    "RemovalKind",
    "SourceDocument",
    "Term",
]
