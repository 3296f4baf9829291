"""Headless Chromium (Debian's, driven through its own chromedriver) for the browser tests.

Nothing is downloaded: Selenium is given the driver's path, so its manager never runs,
and every host name but 127.0.0.1 resolves to nothing, so the page's web font (and any
other address) is never asked for. The page draws the terminal on a canvas, so what the
app showed is read from the websocket instead: a script, added before the page's own,
keeps every text the server sends to the page in `window.__received`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 60.0  # generous: the app starts on a machine shared with the rest of the suite
POLL = 0.05
INSTALL = "apt-get install chromium chromium-driver (.ci/run does this when they are missing)"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)

# Runs before the page's scripts: a WebSocket that also keeps what it receives, as text.
KEEP_RECEIVED = """
window.__received = '';
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeWebSocket(...args);
  socket.addEventListener('message', (event) => {
    const data = event.data;
    if (typeof data === 'string') { window.__received += data; }
    else if (data instanceof ArrayBuffer) { window.__received += new TextDecoder().decode(data); }
    else if (data instanceof Blob) { data.text().then((text) => { window.__received += text; }); }
  });
  return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
"""


def require_chromium() -> None:
    """Fail (never skip) when the browser or its driver is missing, saying how to get them."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(f"the browser test cannot run: {', '.join(missing)} missing; {INSTALL}")


class Page:
    """One browser tab on the tutor's page: type into it, wait for what it shows."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    def received(self) -> str:
        """Every text the app has sent this page so far (escape sequences and all)."""
        text: str = self.driver.execute_script("return window.__received || ''")
        return text

    def wait_for(self, text: str) -> None:
        """Poll until the app has sent `text` to the page."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.driver, WAIT, poll_frequency=POLL).until(
                lambda _: text in self.received()
            )
        except TimeoutException:
            tail = self.received()[-300:]
            raise AssertionError(f"the page never showed {text!r}; last sent: {tail!r}") from None

    def type(self, keys: str) -> None:
        """Type into the terminal as a person would (its hidden input has the focus)."""
        from selenium.webdriver.common.by import By

        self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea").send_keys(keys)

    def erase(self, count: int) -> None:
        """Press backspace `count` times."""
        from selenium.webdriver.common.keys import Keys

        self.type(Keys.BACKSPACE * count)

    def splash_gone(self) -> bool:
        """True once the page has swapped its splash for the app's screen."""
        classes: str = self.driver.execute_script("return document.body.className")
        return "-first-byte" in classes.split()

    def screenshot(self, path: Path) -> None:
        """Save what the browser shows as a PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        assert self.driver.save_screenshot(str(path)), f"no screenshot saved at {path}"


@contextmanager
def browser_page(url: str) -> Iterator[Page]:
    """A fresh headless Chromium (its own empty profile) with the page at `url` open."""
    require_chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="backprop-tutor-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_RECEIVED})
        driver.get(url)
        yield Page(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def distinct_colours(path: Path) -> int:
    """How many colours a PNG uses (a blank page has one or two)."""
    from PIL import Image

    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    return len(colours or [])
