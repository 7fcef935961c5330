"""A real browser (Debian's Chromium, driven by Playwright) uploads a file through the real uploader.

Screenshots land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.screenshots import wait_until_idle

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = pytest.mark.browser


def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']", has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


# 7 data rows: 4 kept, 1 without customer id, 1 impossible date, 1 refund.
CSV = (
    "Customer ID;Order Date;Amount\n"
    "00042;05.03.2024;1.234,50 €\n"
    "00042;20.03.2024;12,00 €\n"
    "00043;21.03.2024;8,50 €\n"
    "00044;22.03.2024;99,00 €\n"
    ";23.03.2024;5,00 €\n"
    "00045;31.04.2024;5,00 €\n"
    "00046;24.03.2024;-5,00 €\n"
)


def test_upload_map_and_read_the_quality_report(app_url, page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    upload = tmp_path / "orders_eu.csv"
    upload.write_text(CSV, encoding="cp1252")

    page.goto(f"{app_url}/upload")
    wait_until_idle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(upload))
    page.get_by_text("Which column is which?").wait_for(timeout=60_000)
    wait_until_idle(page)
    # The detected settings are shown to the user.
    assert page.get_by_text(
        "Read as Windows-1252 (Western), columns separated by semicolon ( ; )"
    ).is_visible()
    page.screenshot(path=str(ARTIFACTS / "browser_mapping.png"), full_page=True)

    page.get_by_role("button", name="Use this file").click()
    page.get_by_text("Loaded: 4 of 7 rows kept, 3 set aside").wait_for(timeout=60_000)

    page.get_by_role("link", name="See the data quality report").click()
    page.get_by_text("Rows set aside").first.wait_for(timeout=60_000)
    wait_until_idle(page)
    assert _metric(page, "Rows read") == "7"
    assert _metric(page, "Rows kept") == "4"
    assert _metric(page, "Rows set aside") == "3"
    assert page.get_by_text("All 7 rows accounted for: 4 kept + 3 set aside.").is_visible()
    page.screenshot(path=str(ARTIFACTS / "browser_quality.png"), full_page=True)

    # The Overview now shows the uploaded shop, not the demo.
    page.get_by_role("link", name="Overview").click()
    wait_until_idle(page)
    assert _metric(page, "Customers") == "3"
    page.screenshot(path=str(ARTIFACTS / "browser_overview.png"), full_page=True)
