"""Django's SQLite backend, remembering its placeholder conversion (``base.py``)."""
