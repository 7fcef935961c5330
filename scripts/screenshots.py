"""Screenshots of every page in both languages, for looking at the app as a user would.

Usage: python scripts/screenshots.py [--url http://localhost:8501] [--out test-artifacts/screens]
Needs a running app (`make run`) and Debian's chromium.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
PAGES = (
    "overview",
    "upload",
    "quality",
    "segmentation",
    "clv",
    "retention",
    "voice",
    "campaign",
    "cross-sell",
)


def wait_until_idle(page, timeout_ms: int = 90_000) -> None:
    """Wait for the script run to finish: app rendered, script not running, no skeletons or spinners.

    The app's own `data-test-script-state` says whether a run is going on; it is checked
    twice, a second apart, because a rerun can start right after one ends.
    """
    page.wait_for_selector("[data-testid='stMainBlockContainer']", timeout=timeout_ms)
    page.wait_for_timeout(1500)
    for _ in range(2):
        page.wait_for_function(
            """() => !document.querySelector("[data-test-script-state='running']")
                   && !document.querySelector("[data-testid='stStatusWidget']")
                   && !document.querySelector("[data-testid='stSkeleton']")
                   && !document.querySelector("[data-testid='stSpinner']")""",
            timeout=timeout_ms,
        )
        page.wait_for_timeout(1000)
    page.wait_for_timeout(1500)  # Vega charts draw after the script run ends


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8501")
    parser.add_argument("--out", default="test-artifacts/screens")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for lang in ("en", "zh"):
            page = browser.new_page(viewport={"width": 1400, "height": 2400})
            for name in args.pages:
                page.goto(f"{args.url}/{'' if name == 'overview' else name}?lang={lang}")
                wait_until_idle(page)
                path = out / f"{name}_{lang}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
