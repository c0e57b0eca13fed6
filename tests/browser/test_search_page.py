"""The search page in a browser: the facet sidebar and its disclosures, the chips."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def _query(browser) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(browser.current_url).query)


def _visible(browser, element) -> bool:
    # Selenium's is_displayed takes anything inside a closed <details> for hidden, even where
    # the stylesheet shows it (wide screens): ask the browser itself.
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.width > 0 && r.height > 0 && arguments[0].checkVisibility();",
        element,
    )


def _link(container, text: str):
    return container.find_element(By.XPATH, f".//a[contains(normalize-space(.), '{text}')]")


def _facet(browser, label: str):
    for details in browser.find_elements(By.CSS_SELECTOR, "details.facet"):
        if details.find_element(By.TAG_NAME, "h3").text.startswith(label):
            return details
    raise AssertionError(f"no facet {label}")


def test_wide_screens_show_every_facet_open_beside_the_results(site, browser):
    browser.set_window_size(1280, 900)
    browser.get(site.url("/anfragen/?q=Polizei"))
    faction = _facet(browser, "Fraktion")
    link = _link(faction, "FDP/DVP (")
    assert _visible(browser, link)
    facets = browser.find_element(By.CSS_SELECTOR, ".facets").rect
    results = browser.find_element(By.CSS_SELECTOR, ".results").rect
    assert facets["x"] + facets["width"] <= results["x"], "the facets are a sidebar left of the results"

    # Keyboard users reach the value by tabbing from the section's heading, and a mouse click on it works.
    faction.find_element(By.TAG_NAME, "summary").send_keys(Keys.TAB)
    assert browser.switch_to.active_element == faction.find_element(By.CSS_SELECTOR, "a.facet-value")
    ActionChains(browser).move_to_element(link).click().perform()
    WebDriverWait(browser, 10).until(lambda driver: ("faction", site.world.fdp.slug) in _query(driver))
    assert ("q", "Polizei") in _query(browser)
    chip = browser.find_element(By.CSS_SELECTOR, "a.chip")
    assert chip.text.split("\n")[-1] == "Fraktion: FDP/DVP (BW) ×"
    chip.click()
    WebDriverWait(browser, 10).until(lambda driver: ("faction", site.world.fdp.slug) not in _query(driver))
    assert _query(browser) == [("q", "Polizei")]
    assert not browser.find_elements(By.CSS_SELECTOR, "a.chip")


def test_narrow_screens_fold_each_facet_into_a_disclosure(site, browser):
    browser.set_window_size(375, 800)
    try:
        browser.get(site.url("/anfragen/?q=Polizei&status=answered"))
        faction = _facet(browser, "Fraktion")
        link = _link(faction, "FDP/DVP (")
        assert not _visible(browser, link)
        # A facet with a chosen value starts open.
        assert _visible(browser, _facet(browser, "Stand").find_element(By.CSS_SELECTOR, "a.chosen"))
        faction.find_element(By.TAG_NAME, "summary").click()
        assert _visible(browser, link)
        link.click()
        WebDriverWait(browser, 10).until(lambda driver: ("faction", site.world.fdp.slug) in _query(driver))
        assert ("status", "answered") in _query(browser)
        assert len(browser.find_elements(By.CSS_SELECTOR, "a.chip")) == 2
        # The page's width is the screen's: nothing scrolls sideways.
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 375
    finally:
        browser.set_window_size(1280, 900)


def test_the_search_box_suggests_people_as_one_types_and_the_keyboard_picks_one(site, browser):
    from tests.browser.conftest import describe_violations, run_axe

    browser.set_window_size(1280, 900)
    browser.get(site.url("/anfragen/"))
    box = browser.find_element(By.ID, "search-q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.send_keys("Weinm")
    WebDriverWait(browser, 10).until(lambda driver: box.get_attribute("aria-expanded") == "true")
    options = browser.find_elements(By.CSS_SELECTOR, "#search-q-suggestions [role=option]")
    assert [option.text for option in options] == [f"{site.world.asker.full_name} – Person"]
    violations = run_axe(browser)
    assert violations == [], describe_violations(violations)
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda driver: ("person", site.world.asker.slug) in _query(driver))


def test_without_choosing_a_suggestion_the_form_searches_the_words(site, browser):
    browser.get(site.url("/anfragen/"))
    box = browser.find_element(By.ID, "search-q")
    box.send_keys("Landespolizei")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda driver: ("q", "Landespolizei") in _query(driver))
