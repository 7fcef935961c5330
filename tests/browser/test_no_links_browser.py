"""No user text becomes a link in a real browser, on every page that shows it.

Product names, attribute values, comments and file names that are URLs or e-mail
addresses are uploaded through the real uploader. Escaping Markdown was not enough:
Streamlit's renderer (remark-gfm) still made `https://…` and `www.…` product names
clickable links on the Cross-sell page (12 of them on this data before
`ui.common.plain` broke the patterns). Every <a href> left on these pages must point
into the app itself.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from scripts.screenshots import wait_until_idle

pytestmark = pytest.mark.browser

PRODUCTS = [
    "https://evil.example/tea",
    "www.shop.example/cups",
    "buy@evil.example",
    "Green tea",
    "HTTP://EVIL.EXAMPLE/KETTLE",
]
REGIONS = ["https://region.example", "north@corp.example", "www.south.example"]
COMMENTS = [
    "Great, see https://evil.example/review",
    "Mail me at angry@evil.example",
    "Visit www.evil.example for more",
    "Lovely tea and cups",
]
PAGES = {
    "Data quality": "quality",
    "Cross-sell": "cross-sell",
    "Voice of the customer": "voice",
    "Segmentation": "segmentation",
}


def _transactions() -> str:
    lines = ["Customer ID,Order ID,Order Date,Product,Amount,Region"]
    order = 0
    for customer in range(120):
        for visit in range(1 + customer % 4):
            order += 1
            day = (
                f"2024-{1 + (customer + visit * 5) % 12:02d}-{1 + (customer * 7 + visit) % 28:02d}"
            )
            # Tea and cups together in most orders, so rules between the two URLs exist.
            basket = (
                PRODUCTS[:2] if (customer + visit) % 3 else PRODUCTS[(customer + visit) % 5 :][:2]
            )
            for product in basket:
                lines.append(
                    f"C{customer:04d},O{order},{day},{product},12.50,{REGIONS[customer % 3]}"
                )
    lines.append(",O99990,2024-03-01,https://setaside.example/no-id,10.00,www.south.example")
    lines.append(
        "C0001,O99991,2024-02-30,https://setaside.example/bad-date,10.00,www.south.example"
    )
    return "\n".join(lines) + "\n"


def _feedback() -> str:
    lines = ["Customer ID,Date,Rating,Comment"]
    for i in range(200):
        lines.append(
            f"C{i % 120:04d},2024-{1 + i % 12:02d}-15,{1 + i % 5},{COMMENTS[i % 4]} #{i % 7}"
        )
    return "\n".join(lines) + "\n"


def _upload(page, tab: str, path) -> None:
    # Within the session: a fresh page.goto would start a new session without the first table.
    page.get_by_role("link", name="Upload & map").first.click()
    wait_until_idle(page)
    page.get_by_role("tab", name=tab).click()
    wait_until_idle(page)
    panel = page.locator("[role='tabpanel']:visible")
    panel.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    page.get_by_role("button", name="Use this file").wait_for(timeout=90_000)
    wait_until_idle(page)
    page.get_by_role("button", name="Use this file").click()
    page.get_by_text("Loaded:").first.wait_for(timeout=90_000)
    wait_until_idle(page)


_ANCHORS = """() => [...document.querySelectorAll("a[href]")].map(a => [a.href, a.innerText])"""


def test_urls_and_emails_in_user_text_are_not_links(app_url, page, tmp_path):
    transactions = tmp_path / "www.evil-shop.example.csv"  # the file name is shown too
    transactions.write_text(_transactions(), encoding="utf-8")
    feedback = tmp_path / "mail@evil.example.csv"
    feedback.write_text(_feedback(), encoding="utf-8")
    page.goto(f"{app_url}/upload")
    wait_until_idle(page)
    _upload(page, "Transactions", transactions)
    _upload(page, "Feedback", feedback)

    origin = urlparse(app_url).netloc
    for link, path in PAGES.items():
        page.get_by_role("link", name=link).first.click()
        wait_until_idle(page)
        for tab in page.locator("[data-testid='stMain'] [role='tab']").all():
            tab.click()  # every tab's text drawn at least once
            wait_until_idle(page, timeout_ms=120_000)
        anchors = page.evaluate(_ANCHORS)
        outside = [(href, text) for href, text in anchors if urlparse(href).netloc != origin]
        assert outside == [], (path, outside)
        if path == "cross-sell":
            # Not vacuous: the URL product names are on the page, as text.
            page.get_by_role("tab", name="Bought together").click()
            wait_until_idle(page)
            shown = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
            assert "https://evil.example/tea" in shown
            assert "www.shop.example/cups" in shown
        if path == "quality":
            shown = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
            assert "www.evil-shop.example.csv" in shown
