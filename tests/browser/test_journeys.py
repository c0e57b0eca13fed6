"""The main journeys in a real browser: by mouse, by keyboard, in both languages, from 320 px up."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.browser.pages import PAGES


def _wait_for_url(browser, ending: str) -> None:
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url.endswith(ending))


def _active(browser) -> dict:
    return browser.execute_script(
        "const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();"
        "return {tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim(), href: e.getAttribute('href'),"
        " outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), top: r.top, inMain: !!e.closest('main')};"
    )


def test_home_to_inquiry_to_an_answer(site, browser):
    main = site.world.main
    browser.get(site.url("/"))
    browser.find_element(By.LINK_TEXT, main.title).click()
    _wait_for_url(browser, main.get_absolute_url())
    assert browser.find_element(By.TAG_NAME, "h1").text == main.title

    browser.find_element(By.LINK_TEXT, "Link zu Frage 3").click()
    _wait_for_url(browser, "#frage-3")
    target = browser.execute_script(
        "const t = document.querySelector(':target'); const r = t.getBoundingClientRect();"
        "return {id: t.id, top: r.top, text: t.textContent};"
    )
    assert target["id"] == "frage-3"
    assert 0 <= target["top"] < browser.execute_script("return window.innerHeight")
    assert "Welche Ergebnisse erhofft sie sich?" in target["text"] and "Weitere Ergebnisse folgen." in target["text"]
    # The answer's link to another published paper leads there.
    browser.find_element(By.CSS_SELECTOR, "#frage-3 .qa__answer a").click()
    _wait_for_url(browser, site.world.late.get_absolute_url())


def test_answer_anchor_opens_directly(site, browser):
    browser.get(site.url(site.world.main.get_absolute_url() + "#frage-2"))
    assert browser.execute_script("return document.querySelector(':target').id") == "frage-2"


def test_keyboard_skip_link_and_visible_focus(site, browser):
    browser.get(site.url("/"))
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = _active(browser)
    assert (skip["tag"], skip["href"], skip["text"]) == ("a", "#main", "Zum Inhalt springen")
    assert skip["top"] >= 0, "the focused skip link must be on screen"
    assert skip["outline"] != "none" and skip["outlineWidth"] >= 2
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    _wait_for_url(browser, "#main")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    after = _active(browser)
    assert after["inMain"], "after the skip link, Tab continues in the main content"
    assert after["outline"] != "none"

    # Search from the keyboard: the header search box submits to the list page.
    browser.get(site.url("/"))
    field = browser.find_element(By.ID, "site-search-q")
    field.send_keys("Polizei", Keys.ENTER)
    _wait_for_url(browser, "/anfragen/?q=Polizei")


def test_person_to_their_inquiries(site, browser):
    world = site.world
    browser.get(site.url("/"))
    browser.find_element(By.LINK_TEXT, "Personen").click()
    browser.find_element(By.LINK_TEXT, "Weinmann, Nico").click()
    _wait_for_url(browser, world.asker.get_absolute_url())
    assert browser.find_element(By.TAG_NAME, "h1").text == "Nico Weinmann"
    titles = [link.text for link in browser.find_elements(By.CSS_SELECTOR, ".inquiries .inquiry-card__title a")]
    assert world.main.title in titles and len(titles) == 1 + len(world.extra)
    browser.find_element(By.LINK_TEXT, world.main.title).click()
    _wait_for_url(browser, world.main.get_absolute_url())


def _switch_language(browser, code: str) -> None:
    Select(browser.find_element(By.ID, "language-select")).select_by_value(code)
    browser.find_element(By.CSS_SELECTOR, ".language button").click()
    # While the page is being replaced, chromedriver may answer any call with an
    # "inspector error" instead of a stale element: wait for the new page's own
    # language and ignore what the driver says in between.
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(
            "return document.readyState === 'complete' && document.documentElement.lang === arguments[0]"
            " && !!document.getElementById('main');",
            code,
        )
    )


def test_switch_language_and_back(site, browser):
    browser.get(site.url(site.world.main.get_absolute_url()))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    _switch_language(browser, "en")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.current_url == site.url(site.world.main.get_absolute_url())
    assert browser.find_element(By.CLASS_NAME, "skip-link").get_attribute("textContent") == "Skip to content"
    assert browser.find_element(By.ID, "questions-heading").text == "Questions and answers"
    # The inquiry's own text stays German and is marked so.
    assert browser.find_element(By.TAG_NAME, "h1").get_attribute("lang") == "de"

    _switch_language(browser, "de")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    assert browser.find_element(By.ID, "questions-heading").text == "Fragen und Antworten"


@pytest.mark.parametrize("width", [320, 1920])
def test_pages_fit_the_window_without_horizontal_scrolling(site, browser, width):
    browser.set_window_size(width, 900)
    too_wide = {}
    for name, page in PAGES.items():
        browser.get(site.url(page.path(site.world)))
        viewport, scroll_width = browser.execute_script(
            "const root = document.documentElement; return [root.clientWidth, root.scrollWidth];"
        )
        assert viewport > width - 40, f"the window did not take the width {width}"
        if scroll_width > viewport:
            too_wide[name] = (scroll_width, viewport)
    assert too_wide == {}, f"wider than the viewport (page, viewport): {too_wide}"


def test_print_layout_shows_the_content_only(site, browser):
    browser.get(site.url(site.world.main.get_absolute_url()))
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return ['.site-nav', '.site-search', '.language', '.qa__link'].map("
            "s => getComputedStyle(document.querySelector(s)).display);"
        )
        assert hidden == ["none"] * 4
        assert browser.execute_script("return getComputedStyle(document.querySelector('.qa__answer')).display") == "block"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_search_then_filter_then_open_an_inquiry_and_jump_to_an_answer(site, browser):
    main = site.world.main
    browser.get(site.url("/"))
    box = browser.find_element(By.CSS_SELECTOR, "main input[name=q]")
    box.send_keys("Landespolizei")
    box.submit()
    WebDriverWait(browser, 10).until(lambda driver: "q=Landespolizei" in driver.current_url)
    assert browser.find_elements(By.LINK_TEXT, main.title)
    searched = browser.current_url

    # A mouse click: on wide screens the facets are open sidebars, which Selenium's own click
    # takes for hidden because they sit in <details> elements.
    facet_value = browser.find_element(By.XPATH, f"//aside//a[contains(., '{site.world.fdp.short_name} (')]")
    ActionChains(browser).move_to_element(facet_value).click().perform()
    WebDriverWait(browser, 10).until(lambda driver: f"faction={site.world.fdp.slug}" in driver.current_url)
    assert "q=Landespolizei" in browser.current_url
    # The whole state is in the URL: the back button returns to the plain search.
    browser.back()
    WebDriverWait(browser, 10).until(lambda driver: driver.current_url == searched)
    browser.forward()
    WebDriverWait(browser, 10).until(lambda driver: f"faction={site.world.fdp.slug}" in driver.current_url)

    browser.find_element(By.LINK_TEXT, main.title).click()
    _wait_for_url(browser, main.get_absolute_url())
    browser.find_element(By.LINK_TEXT, "Link zu Frage 3").click()
    _wait_for_url(browser, "#frage-3")
    assert browser.execute_script("return document.querySelector(':target').id") == "frage-3"
