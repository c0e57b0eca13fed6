"""Django's PostgreSQL backend, with a cursor for statements prepared on the server (``base.py``)."""
