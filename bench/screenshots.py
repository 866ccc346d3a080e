"""Screenshots of the seed graph for the README, taken in headless Chromium from file://.

usage: python bench/screenshots.py  (after `make demo`; writes docs/img/*.png)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import open_page, quit_chromium, start_chromium, wait_ready  # noqa: E402

KG = [sys.executable, "-m", "kg.cli"]


def main() -> None:
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        subprocess.run([*KG, "build", str(ROOT / "seeds"), "--store", str(store), "--quiet"], check=True, cwd=ROOT)
        pages = {
            "seed-graph": [],
            "focus-putin": ["--focus", "Putin", "--depth", "1", "--fold"],
        }
        driver = start_chromium(width=1400, height=900)
        try:
            for name, extra in pages.items():
                page = Path(tmp) / f"{name}.html"
                subprocess.run([*KG, "viz", "--store", str(store), "--out", str(page), *extra], check=True, cwd=ROOT)
                open_page(driver, page)
                wait_ready(driver)
                driver.execute_script("window.kgNetwork && window.kgNetwork.fit()")
                driver.save_screenshot(str(out / f"{name}.png"))
                print(f"wrote {out / f'{name}.png'}")
        finally:
            quit_chromium(driver)


if __name__ == "__main__":
    main()
