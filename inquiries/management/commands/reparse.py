"""``manage.py reparse`` is ``manage.py reparse_documents`` (``reparse --check`` compares only)."""

from inquiries.management.commands.reparse_documents import Command  # noqa: F401
