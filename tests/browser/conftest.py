"""Browser-test fixtures: the app served by `streamlit run` on a free port, and a Chromium page.

Skipped when Chromium is not installed, except in CI (.ci/run sets
CUSTOMER_LENS_REQUIRE_BROWSER=1, so a missing browser fails instead of hiding the tests).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.screenshots import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

collect_ignore_glob: list[str] = []
if not Path(CHROMIUM).exists():
    if os.environ.get("CUSTOMER_LENS_REQUIRE_BROWSER"):
        raise RuntimeError(
            "Chromium is required for the browser tests but was not found (apt-get install chromium)"
        )
    collect_ignore_glob = [
        "test_*.py"
    ]  # locally without Chromium: not collected, said in the README


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url():
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        raise RuntimeError(
            "streamlit did not start: " + process.stdout.read().decode(errors="replace")[-2000:]
        )
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        yield page
        browser.close()
