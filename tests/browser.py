"""Start headless Chromium through Selenium, offline, for tests and benchmarks.

Nothing here downloads anything: the Debian ``chromium`` and ``chromium-driver`` packages
provide ``/usr/bin/chromium`` and ``/usr/bin/chromedriver``, and Selenium Manager is never
consulted because the driver path is given explicitly. Every ``http(s)`` request the page
makes is blocked through the DevTools protocol and logged, so a test can assert that a page
asked for nothing but ``file:`` and ``data:`` URLs.

Usage from a test module::

    from tests.browser import chromium_or_skip, quit_chromium, start_chromium, wait_ready

    @pytest.fixture(scope="module")
    def driver():
        chromium_or_skip()
        drv = start_chromium()
        yield drv
        quit_chromium(drv)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def chromium_missing_reason() -> str | None:
    """Why the browser cannot start here, or None when both binaries exist."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return None
    return f"{' and '.join(missing)} missing: apt-get install -y chromium chromium-driver"


def chromium_or_skip() -> None:
    """Skip the calling test when Chromium is missing on a developer machine; fail in CI."""
    import pytest

    reason = chromium_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def start_chromium(*, width: int = 1400, height: int = 900) -> Any:
    """Start headless Chromium with a fresh profile and all http(s) requests blocked."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver: Any = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.kg_profile = profile  # removed by quit_chromium
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
    return driver


def quit_chromium(driver: Any) -> None:
    """Stop the browser and remove its temporary profile."""
    profile = getattr(driver, "kg_profile", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver: Any, path: Path) -> None:
    """Load a local file, discarding earlier logs so checks see this page only."""
    drain_logs(driver)
    driver.get(path.resolve().as_uri())


def drain_logs(driver: Any) -> None:
    """Empty the browser and performance log buffers."""
    driver.get_log("browser")
    driver.get_log("performance")


def wait_ready(driver: Any, *, timeout: float = 30.0) -> float:
    """Wait for ``window.kgReady``; return the page's own ms from navigation to ready."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script("return window.kgReady === true"):
            return float(driver.execute_script("return window.kgReadyMs"))
        time.sleep(0.05)
    raise TimeoutError(f"window.kgReady not set within {timeout} s")


def requested_urls(driver: Any) -> list[str]:
    """Every URL the page requested since the last drain, from the performance log."""
    urls: list[str] = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def remote_urls(urls: list[str]) -> list[str]:
    """The URLs that are not local (``file:``, ``data:``, ``about:``, ``blob:``)."""
    return [u for u in urls if not u.startswith(LOCAL_SCHEMES)]


def severe_console_errors(driver: Any) -> list[str]:
    """SEVERE browser-console entries since the last drain."""
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
