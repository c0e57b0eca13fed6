"""Text of a PDF document (pypdf), with clear errors for PDFs that cannot be read."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from inquiries.importers import limits
from inquiries.importers.base import DocumentError
from inquiries.importers.text import PAGE_BREAK

PDF_MAGIC = b"%PDF-"


def is_pdf(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(PDF_MAGIC)


def _declared_pages(reader: PdfReader) -> int:
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
    except (KeyError, TypeError, AttributeError, PyPdfError):
        return 0
    return count if isinstance(count, int) else 0


def pdf_text(name: str, data: bytes) -> str:
    """The text of all pages, separated by form feeds."""
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(name, "truncated PDF: the end-of-file marker %%EOF is missing")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except (PyPdfError, NotImplementedError) as exc:
                raise DocumentError(name, f"encrypted PDF that cannot be opened ({exc})") from None
            if not unlocked:
                raise DocumentError(name, "encrypted PDF: it needs a password; import an unprotected copy")
        # The count the page tree declares first: counting the pages themselves takes pypdf
        # minutes for tens of thousands. A tree that understates it meets the time budget.
        limits.check_pages(name, _declared_pages(reader))
        limits.check_pages(name, len(reader.pages))
        # The layout mode keeps the blank lines between paragraphs that the parsers rely on.
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise DocumentError(name, f"damaged PDF that cannot be read ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise DocumentError(name, "damaged PDF: it has no pages")
    text = PAGE_BREAK.join(pages)
    if not text.strip():
        raise DocumentError(name, "PDF without text: it is probably a scan (OCR it first)")
    return text
