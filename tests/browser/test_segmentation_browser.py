"""Clicking a segment in the chart filters the customer list (Altair selection through on_select)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts.screenshots import wait_until_idle

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.browser


def _list_caption(page) -> str:
    return page.get_by_text(re.compile(r"customers \(the 1,000 who spent most")).first.inner_text()


def test_clicking_a_segment_bar_lists_that_segments_customers(app_url, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{app_url}/segmentation")
    wait_until_idle(page)
    assert _list_caption(page).startswith("5,000 customers")
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    bar = chart.locator("path[aria-roledescription='bar'][aria-label*='label: Lost;']").first
    bar.wait_for(timeout=60_000)
    # The bar's tooltip text carries the segment's size: the list must show exactly that many.
    expected = re.search(r"Customers: ([\d,]+)", bar.get_attribute("aria-label")).group(1)
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(1000)
    wait_until_idle(page)
    assert _list_caption(page).startswith(f"{expected} customers")
    page.screenshot(path=str(ARTIFACTS / "browser_segment_click.png"), full_page=True)
