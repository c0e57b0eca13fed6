"""inquiries/addresses.py: addresses reversed once and kept, per URL configuration and script prefix."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse, set_script_prefix

from inquiries import addresses, papers
from inquiries.addresses import address


def test_a_kept_address_is_the_reversed_one_under_any_script_prefix(monkeypatch):
    monkeypatch.setattr(addresses, "_kept", type(addresses._kept)())
    cases = [("inquiries:home", {}), ("inquiries:person-detail", {"slug": "anna-muster"}),
             ("inquiries:faction-detail", {"parliament": "bw", "slug": "fdp-dvp"}),
             ("inquiries:inquiry-detail", {"parliament": "bw", "reference": "17-1001"})]
    try:
        for prefix in ("/", "/portal/", "/"):
            set_script_prefix(prefix)
            for _ in range(2):
                for name, kwargs in cases:
                    assert address(name, **kwargs) == reverse(name, kwargs=kwargs or None)
        set_script_prefix("/portal/")
        assert address("inquiries:home") == "/portal/"
    finally:
        set_script_prefix("/")
    assert address("inquiries:home") == "/"


def test_at_most_kept_addresses_and_a_new_url_configuration_starts_afresh(monkeypatch):
    monkeypatch.setattr(addresses, "_kept", type(addresses._kept)())
    monkeypatch.setattr(addresses, "KEPT", 5)
    for n in range(20):
        assert address("inquiries:person-detail", slug=f"p-{n}") == f"/personen/p-{n}/"
        assert all(len(urls) <= 5 for urls in addresses._kept.values())
    with override_settings(ROOT_URLCONF="inquiries.api.urls"):
        assert address("inquiry-detail", pk=7) == reverse("inquiry-detail", kwargs={"pk": 7})
    assert address("inquiries:person-detail", slug="p-1") == "/personen/p-1/"


def test_texts_naming_no_paper_are_not_scanned_but_print_the_same():
    text = "Erste Zeile\r\nzweite Zeile\n\nNeuer Absatz <b> & 17/1234 ohne das Wort"
    assert papers.references_in(text) == set()
    assert papers.link_references(text, {"17/1234": "/bw/drucksache/17-1234/"}) == (
        "<p>Erste Zeile<br>zweite Zeile</p>\n\n<p>Neuer Absatz &lt;b&gt; &amp; 17/1234 ohne das Wort</p>"
    )
    named = "Siehe Drucksache 17/1234 und Drs. 17/99."
    assert papers.references_in(named) == {"17/1234", "17/99"}
    assert papers.link_references(named, {"17/1234": "/bw/drucksache/17-1234/"}) == (
        '<p>Siehe Drucksache <a href="/bw/drucksache/17-1234/">17/1234</a> und Drs. 17/99.</p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Eine Zeile",
        "\n\nVorne und hinten leer\n\n\n",
        "Windows\r\nZeilen\r\n\r\nund alte Mac\rZeilen\r\r\rund gemischt\n\r\n",
        "Ein\nZeilenumbruch\n\n\n\nvier Leerzeilen\n \nLeerzeichen dazwischen",
        "Zeichen: <script>alert('x')</script> & \"Anführung\" ' – ß ä € \t Tab",
        "Drucksache 17/1234\r\n\r\nund Drs. 17/99 & <mehr>",
    ],
)
def test_paper_texts_print_as_djangos_escape_and_linebreaks_print_them(text):
    from django.utils.html import escape, linebreaks

    urls = {"17/1234": "/bw/drucksache/17-1234/"}
    expected = linebreaks(escape(text), autoescape=False)
    if "Drucksache 17/1234" in text:
        expected = expected.replace("Drucksache 17/1234", 'Drucksache <a href="/bw/drucksache/17-1234/">17/1234</a>')
    assert papers.link_references(text, urls) == expected
    assert papers.link_references(None, urls) == "<p></p>"
