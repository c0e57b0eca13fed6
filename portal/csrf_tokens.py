"""CSRF secrets and masks drawn from one ``os.urandom`` call instead of 32.

Every HTML page carries a CSRF token for the language switch (a POST form in the page frame,
``templates/base.html``), and a visitor without the CSRF cookie gets a new secret too: Django
draws both 32-character strings with ``get_random_string``, one ``secrets.choice`` (one
``os.urandom``) per character, ~64 µs a string, an eighth of an inquiry page's template.

The strings drawn here are the same kind: 32 characters of ``CSRF_ALLOWED_CHARS`` (62), each
uniform and independent, from the operating system's random source. A random byte below 248
(4 × 62) is mapped to ``byte % 62``, so each character is hit by exactly four byte values; bytes
of 248 and up are dropped and more are drawn (rejection sampling, as ``secrets.randbelow``
does). Django's masking, checking and rotation are unchanged: only ``_get_new_csrf_string``,
the one function that draws, is replaced (``install()``, from ``InquiriesConfig.ready``), and
``tests/test_csrf_tokens.py`` checks it against Django's own contract.
"""

from __future__ import annotations

import os

from django.middleware import csrf

_ALPHABET = csrf.CSRF_ALLOWED_CHARS.encode("ascii")
_KEPT = 256 - 256 % len(_ALPHABET)  # 248: the byte values that map evenly onto the alphabet
_TABLE = bytes(_ALPHABET[value % len(_ALPHABET)] for value in range(256))
_DROPPED = bytes(range(_KEPT, 256))


def new_csrf_string(length: int = csrf.CSRF_SECRET_LENGTH) -> str:
    """``length`` characters of the CSRF alphabet, uniform and independent (see above)."""
    drawn = b""
    while len(drawn) < length:
        # 8 bytes more than needed: fewer than 32 of 40 are kept about 3 times in a million,
        # and then one more draw tops them up.
        drawn += os.urandom(length + 8).translate(_TABLE, _DROPPED)
    return drawn[:length].decode("ascii")


def install() -> None:
    """Django's CSRF module draws its secrets and masks with ``new_csrf_string``."""
    csrf._get_new_csrf_string = new_csrf_string
