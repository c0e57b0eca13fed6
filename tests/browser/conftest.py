"""Headless Chromium (Debian's chromium + chromium-driver) driven by selenium against ``live_server``.

One browser per test session, i.e. per xdist worker. The tools come from
``tests/browser/setup.sh`` (``make test`` runs it); when one is missing the tests fail
with a hint instead of being skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.site_world import World, add_answer_table, build_world

BROWSER_DIR = Path(__file__).resolve().parent
REPO_DIR = BROWSER_DIR.parent.parent
AXE_JS = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BROWSER_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOT_DIR = REPO_DIR / "screenshots"
# WCAG 2.1 levels A and AA (BITV 2.0 refers to them).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=de-DE",
    "--window-size=1280,900",
]
SETUP_HINT = "run `bash tests/browser/setup.sh` (make test does this before pytest)"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"browser tests need `{name}`: {SETUP_HINT}", pytrace=False)
    return path


def _file(path: Path) -> Path:
    if not path.is_file():
        pytest.fail(f"browser tests need {path.relative_to(REPO_DIR)}: {SETUP_HINT}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _tool("chromium")
    profile = tempfile.mkdtemp(prefix="portal-chromium-")
    for argument in [*CHROMIUM_ARGS, f"--user-data-dir={profile}"]:
        options.add_argument(argument)
    # German first, as a visitor from Germany would see the site.
    options.add_experimental_option("prefs", {"intl.accept_languages": "de-DE,de"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=_tool("chromedriver")))
    driver.set_script_timeout(30)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def error_page_urls(settings):
    """The site's URLs plus ``/__test__/fehler/`` that raises, for the 500 page."""
    settings.ROOT_URLCONF = "tests.browser.urls"


@dataclass
class Site:
    base_url: str
    world: World

    def url(self, path: str) -> str:
        return self.base_url + path

    def fetch(self, path: str) -> tuple[int, str]:
        """Status and HTML of ``path`` as served (error pages included)."""
        request = urllib.request.Request(self.url(path), headers={"Accept-Language": "de-DE,de"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")


@pytest.fixture
def site(live_server, browser, error_page_urls) -> Site:
    """The small portal of ``tests.site_world`` served by ``live_server``, the browser in German."""
    world = build_world(extra=3)
    # A correction after publication, so that the inquiry page shows its correction log too.
    world.main.government_preface += " Ergänzt um den Stand vom Februar."
    world.main.save()
    # A wide table in an answer: the inquiry page's checks cover answer tables too.
    add_answer_table(world.main.questions.get(number="2"))
    browser.get(live_server.url + "/robots.txt")
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    return Site(base_url=live_server.url, world=world)


def run_axe(driver) -> list[dict]:
    """axe-core's violations of the WCAG 2.1 A/AA rules on the current page."""
    driver.execute_script(_file(AXE_JS).read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));",
        AXE_TAGS,
    )
    return result


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node.get('target')}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def run_vnu(files: list[Path]) -> dict[str, list[dict]]:
    """The Nu HTML checker's messages per file (one JVM for all files)."""
    java = _tool("java")
    completed = subprocess.run(
        [java, "-jar", str(_file(VNU_JAR)), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(completed.stderr or completed.stdout)
    messages: dict[str, list[dict]] = {file.name: [] for file in files}
    for message in report["messages"]:
        messages.setdefault(Path(message.get("url", "unknown").removeprefix("file:")).name, []).append(message)
    return messages


def save_screenshots(driver, name: str, widths: list[int]) -> None:
    """Full-page PNGs of the current page into screenshots/ when SCREENSHOTS=1 (for review, not committed)."""
    if os.environ.get("SCREENSHOTS", "") in ("", "0"):
        return
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    try:
        for width in widths:
            driver.set_window_size(width, 900)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(height, 600), 12000))
            driver.save_screenshot(str(SCREENSHOT_DIR / f"{name}-{width}.png"))
    finally:
        driver.set_window_size(1280, 900)
