"""Every page type passes axe-core (WCAG 2.1 A/AA) with no violations and the Nu HTML checker with no errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import describe_violations, run_axe, run_vnu, save_screenshots
from tests.browser.pages import PAGES, SCREENSHOT_PAGES, SCREENSHOT_WIDTHS


@pytest.mark.parametrize("name", list(PAGES))
def test_page_passes_axe(site, browser, name):
    page = PAGES[name]
    browser.get(site.url(page.path(site.world)))
    assert browser.find_element("css selector", "h1").text, f"{name}: no heading"
    violations = run_axe(browser)
    assert violations == [], f"{name}: axe-core found\n{describe_violations(violations)}"
    if name in SCREENSHOT_PAGES:
        save_screenshots(browser, name, SCREENSHOT_WIDTHS)


def test_a_wide_answer_table_scrolls_within_the_page_on_a_phone(site, browser):
    browser.set_window_size(375, 800)
    try:
        browser.get(site.url(site.world.main.get_absolute_url()))
        page, viewport, table, box = browser.execute_script(
            "const box = document.querySelector('.answer-table .table-scroll');"
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, box.scrollWidth, box.clientWidth];"
        )
        assert page <= viewport, f"the page is {page} px wide in a {viewport} px viewport"
        assert table > box, "the table should scroll in its box"
        headers = browser.execute_script("return [...document.querySelectorAll('.answer-table th[scope]')].map(th => th.scope)")
        assert headers.count("col") == 12 and headers.count("row") == 3
        assert run_axe(browser) == []
    finally:
        browser.set_window_size(1280, 900)


def test_pages_pass_the_nu_html_checker(site, tmp_path):
    files = []
    for name, page in PAGES.items():
        status, html = site.fetch(page.path(site.world))
        assert status == page.status, f"{name}: HTTP {status}, expected {page.status}"
        file = tmp_path / f"{name}.html"
        file.write_text(html, encoding="utf-8")
        files.append(file)
    messages = run_vnu(files)
    errors = {
        name: [f"line {m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()[:80]}]" for m in found if m["type"] != "info"]
        for name, found in messages.items()
    }
    errors = {name: found for name, found in errors.items() if found}
    assert errors == {}, "Nu HTML checker:\n" + "\n".join(f"{name}: {line}" for name, found in errors.items() for line in found)


def test_the_checkers_report_faults(browser, tmp_path):
    """Guards the checks above: a page with known faults must not pass."""
    broken = '<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"><p><div></p></body></html>'
    file = tmp_path / "broken.html"
    file.write_text(broken, encoding="utf-8")
    browser.get(file.as_uri())
    assert {"image-alt", "html-has-lang"} <= {violation["id"] for violation in run_axe(browser)}
    assert any(message["type"] == "error" for message in run_vnu([file])["broken.html"])
