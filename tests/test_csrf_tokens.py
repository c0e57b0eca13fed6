"""CSRF secrets and masks drawn in one call (``portal/csrf_tokens.py``): the same alphabet,
length and evenness as Django's own, and the language switch of every page still checked."""

from __future__ import annotations

import collections
import re

import pytest
from django.middleware import csrf
from django.test import Client
from django.urls import reverse

from portal import csrf_tokens
from tests.site_world import build_world

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_django_draws_its_csrf_strings_with_it():
    # Installed by InquiriesConfig.ready; Django's mask and new-cookie functions call this name.
    assert csrf._get_new_csrf_string is csrf_tokens.new_csrf_string
    secret = csrf._add_new_csrf_cookie(type("Request", (), {"META": {}})())
    token = csrf._mask_cipher_secret(secret)
    assert len(secret) == csrf.CSRF_SECRET_LENGTH and len(token) == csrf.CSRF_TOKEN_LENGTH
    assert csrf._unmask_cipher_token(token) == secret
    csrf._check_token_format(token)  # raises on a wrong length or character


def test_strings_have_django_s_length_and_alphabet_and_differ():
    drawn = {csrf_tokens.new_csrf_string() for _ in range(2_000)}
    assert len(drawn) == 2_000
    assert all(len(s) == 32 and set(s) <= set(csrf.CSRF_ALLOWED_CHARS) for s in drawn)
    # Every character of the alphabet turns up (64,000 draws of 62 characters).
    assert set("".join(drawn)) == set(csrf.CSRF_ALLOWED_CHARS)


def test_every_character_is_equally_likely(monkeypatch):
    """Each of the 248 kept byte values maps to one character, four to each; the other 8
    are dropped and more bytes are drawn."""
    every_byte = bytes(range(256))
    monkeypatch.setattr(csrf_tokens.os, "urandom", lambda n: (every_byte * 2)[:n])
    text = csrf_tokens.new_csrf_string(248)  # one draw of 256 bytes, of which 248 are kept
    kept = [value for value in every_byte if value < 248]
    assert text == "".join(csrf.CSRF_ALLOWED_CHARS[value % 62] for value in kept)
    assert collections.Counter(text) == {char: 4 for char in csrf.CSRF_ALLOWED_CHARS}


def test_too_many_dropped_bytes_are_topped_up(monkeypatch):
    draws = [bytes([255] * 30 + list(range(10))), bytes(range(10, 50))]
    monkeypatch.setattr(csrf_tokens.os, "urandom", lambda n: draws.pop(0))
    assert csrf_tokens.new_csrf_string() == "".join(csrf.CSRF_ALLOWED_CHARS[value] for value in range(32))
    assert draws == []


@pytest.mark.django_db
def test_the_language_switch_accepts_the_page_s_token_and_refuses_others():
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    page = client.get(world.main.get_absolute_url())
    token = TOKEN.search(page.content.decode()).group(1)
    cookie = page.cookies["csrftoken"].value
    assert len(token) == 64 and len(cookie) == 32 and csrf._unmask_cipher_token(token) == cookie
    # A token of another secret (drawn here as an attacker would) is refused, the page's accepted.
    foreign = csrf._mask_cipher_secret(csrf_tokens.new_csrf_string())
    refused = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": foreign})
    assert refused.status_code == 403
    refused = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert refused.status_code == 403
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and switched.cookies["django_language"].value == "en"
    # The next page masks the same secret anew.
    again = TOKEN.search(client.get(world.main.get_absolute_url()).content.decode()).group(1)
    assert again != token and csrf._unmask_cipher_token(again) == cookie
