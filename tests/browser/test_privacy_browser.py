"""The page a user opens sends nothing to other hosts (no fonts, icons or statistics)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from scripts.screenshots import wait_until_idle

pytestmark = pytest.mark.browser


def test_the_app_only_talks_to_its_own_server(app_url, page):
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname))
    page.goto(f"{app_url}/segmentation")
    wait_until_idle(page)
    assert hosts  # the listener saw the page's own requests
    assert hosts <= {"localhost", "127.0.0.1", None}, hosts
