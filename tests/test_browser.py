"""The HTML report in a real browser: headless Chromium (the distribution's package, driven by
Selenium through the system chromedriver; nothing is downloaded) loads the seed event's
report, clicks citation chips and checks that the cited passage is highlighted and scrolled
into view, that hovering a chip shows the passage, that links still jump to passages with
JavaScript off, and that the page logs no console error and makes no network request.
Screenshots at desktop and phone width are saved under ``test-artifacts/browser/``
(``$SUMMARIZE_TEST_ARTIFACTS`` moves it).

Skipped, with the reason, only where no Chromium and chromedriver are installed (``make
install`` installs them from apt where it can) or Selenium is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarize.ingest.loader import load
from summarize.output.html import to_html
from summarize.pipeline import run_event
from tests.helpers.builders import REPO, SEED_EVENT

ARTIFACTS = Path(os.environ.get("SUMMARIZE_TEST_ARTIFACTS", REPO / "test-artifacts")) / "browser"
DESKTOP = (1366, 900)
PHONE = (390, 844)
# Flags that keep Chromium from reaching the network on its own (component updates, sync,
# field trials...): the only requests left are the page's, which must be none.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
]


def _find_chromium() -> tuple[str, str] | str:
    """(browser, chromedriver) paths, or why they cannot be used here."""
    browser = next(
        (
            found
            for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
            if (found := shutil.which(name))
        ),
        None,
    )
    driver = shutil.which("chromedriver") or next(
        (
            p
            for p in ("/usr/lib/chromium/chromedriver", "/usr/bin/chromedriver")
            if Path(p).exists()
        ),
        None,
    )
    if browser is None:
        return "no Chromium installed (make install: apt-get install chromium chromium-driver)"
    if driver is None:
        return "no chromedriver installed (make install: apt-get install chromium-driver)"
    return browser, driver


def _skip(reason: str) -> None:
    warnings.warn(f"browser test skipped: {reason}", stacklevel=2)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed event's report, as ``summarize run --format html`` writes it."""
    doc = run_event(load(SEED_EVENT).events[0], "extractive")
    assert doc.summary and doc.disagreements
    folder = tmp_path_factory.mktemp("report")
    path = folder / "summary.html"
    path.write_text(to_html(doc), encoding="utf-8")
    return path


Driver = Any


@pytest.fixture(scope="module")
def chromium() -> Iterator[Callable[[], Driver]]:
    """A factory of fresh headless Chromium sessions (each closed at the end)."""
    found = _find_chromium()
    if isinstance(found, str):
        _skip(found)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _skip("selenium is not installed (pip install -e '.[dev]')")
    browser, driver_path = found  # type: ignore[misc]
    drivers: list[Driver] = []
    profiles: list[str] = []

    def start() -> Driver:
        profile = tempfile.mkdtemp(prefix="summarize-chromium-")
        profiles.append(profile)
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={DESKTOP[0]},{DESKTOP[1]}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        try:
            driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
        except Exception as e:  # installed but broken is a failure, not a skip
            pytest.fail(f"Chromium ({browser}) did not start: {str(e).splitlines()[0]}")
        drivers.append(driver)
        return driver

    yield start
    for d in drivers:
        d.quit()
    for p in profiles:
        shutil.rmtree(p, ignore_errors=True)


def _viewport(driver: Driver, size: tuple[int, int], mobile: bool) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": mobile},
    )


def _open(driver: Driver, page: Path, *, size: tuple[int, int], mobile: bool) -> None:
    _viewport(driver, size, mobile)
    driver.get(page.as_uri())
    driver.get_log("performance")  # drop what the previous page logged
    driver.refresh()


def _in_view(driver: Driver, element: Any) -> bool:
    """Whether the element (or the element with this id) lies wholly in the viewport."""
    return bool(
        driver.execute_script(
            "const e = typeof arguments[0] === 'string'"
            " ? document.getElementById(arguments[0]) : arguments[0];"
            "const r = e.getBoundingClientRect();"
            "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight"
            " && r.left >= 0 && r.right <= window.innerWidth + 1;",
            element,
        )
    )


def _wait(predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _shot(driver: Driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def _full_page_shot(driver: Driver, name: str, width: int) -> Path:
    import base64

    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 12000), "scale": 1},
        },
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def _console_errors(driver: Driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _requests(driver: Driver) -> list[str]:
    """Every URL the page asked for, from the DevTools network log."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.parametrize(
    ("name", "size", "mobile"), [("desktop", DESKTOP, False), ("phone", PHONE, True)]
)
def test_clicking_a_chip_shows_the_cited_passage(
    chromium: Callable[[], Driver], report: Path, name: str, size: tuple[int, int], mobile: bool
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    driver = chromium()
    _open(driver, report, size=size, mobile=mobile)
    assert driver.execute_script("return document.documentElement.className") == "js"
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= size[0], f"the page is wider than the {name} screen ({width}px)"
    _shot(driver, f"{name}-top")
    if name == "desktop":
        _full_page_shot(driver, "desktop-full", size[0])

    # A summary sentence's chip: the passage's article opens, the passage is highlighted
    # and scrolled into view.
    chips = driver.find_elements(By.CSS_SELECTOR, "#summary .chip")
    assert chips
    chip = chips[min(2, len(chips) - 1)]
    target = chip.get_attribute("href").split("#", 1)[1]
    ActionChains(driver).move_to_element(chip).perform()
    tip = driver.find_element(By.ID, "tip")
    assert _wait(lambda: tip.is_displayed()), "hovering a chip shows no passage"
    passage_text = driver.execute_script(
        "return document.getElementById(arguments[0]).textContent", target
    )
    assert passage_text.strip()[-40:] in tip.text
    _shot(driver, f"{name}-hover")
    chip.click()
    passage = driver.find_element(By.ID, target)
    assert _wait(lambda: "highlight" in (passage.get_attribute("class") or ""))
    assert passage.is_displayed()
    assert _wait(lambda: _in_view(driver, target)), "the cited passage is not scrolled into view"
    assert driver.execute_script("return location.hash") == f"#{target}"
    highlighted = driver.find_elements(By.CSS_SELECTOR, ".passage.highlight")
    assert [h.get_attribute("id") for h in highlighted] == [target]
    assert driver.execute_script(
        "const s = getComputedStyle(document.getElementById(arguments[0]));"
        "return s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== '';",
        target,
    )
    assert "current" in (chip.get_attribute("class") or "")  # the chip followed is marked
    _shot(driver, f"{name}-after-click")
    back = driver.find_element(By.ID, "back")
    assert back.is_displayed()
    back.click()
    assert _wait(lambda: _in_view(driver, chip)), "back does not return to the chip"

    # A disagreement card's quote chip, citing a passage in another article.
    card_chip = next(
        c
        for c in driver.find_elements(By.CSS_SELECTOR, "#disagreements .chip")
        if c.get_attribute("data-article")
        != passage.find_element(By.XPATH, "ancestor::article").get_attribute("id")
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", card_chip)
    other = card_chip.get_attribute("href").split("#", 1)[1]
    card_chip.click()
    assert _wait(lambda: _in_view(driver, other))
    assert driver.find_element(By.ID, other).is_displayed()
    assert not passage.is_displayed()  # its article's tab closed when the other one opened
    assert _console_errors(driver) == []


def test_no_network_request_and_no_console_error(
    chromium: Callable[[], Driver], report: Path
) -> None:
    driver = chromium()
    _open(driver, report, size=DESKTOP, mobile=False)
    for chip in driver.find_elements("css selector", ".chip")[:5]:
        driver.execute_script("arguments[0].click()", chip)
    requested = _requests(driver)
    assert [u for u in requested if not u.startswith(("file:", "data:", "about:"))] == []
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert _console_errors(driver) == []


def test_links_jump_to_passages_with_javascript_off(
    chromium: Callable[[], Driver], report: Path
) -> None:
    from selenium.webdriver.common.by import By

    driver = chromium()
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    _open(driver, report, size=PHONE, mobile=True)
    assert driver.execute_script("return document.documentElement.className") == "no-js"
    articles = driver.find_elements(By.CSS_SELECTOR, "article.article")
    assert articles and all(a.is_displayed() for a in articles)  # no tabs: all shown
    chip = driver.find_elements(By.CSS_SELECTOR, "#summary .chip")[0]
    target = chip.get_attribute("href").split("#", 1)[1]
    chip.click()
    assert _wait(lambda: driver.execute_script("return location.hash") == f"#{target}")
    assert driver.execute_script(
        "return document.getElementById(arguments[0]).matches(':target')", target
    )
    assert _wait(lambda: _in_view(driver, target))
    _shot(driver, "phone-no-js-after-click")
