"""Every page opens in a real browser, in both languages, with no error and every chart drawn.

AppTest checks the script side; only a browser shows a chart spec that Vega cannot draw,
a front-end exception, or a page that never stops running. Screenshots go to
test-artifacts/pages/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.i18n import t
from scripts.screenshots import PAGES, wait_until_idle

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pages"
pytestmark = pytest.mark.browser
TITLES = {
    "overview": "overview.title",
    "upload": "upload.title",
    "quality": "quality.title",
    "segmentation": "seg.title",
    "clv": "clv.title",
    "retention": "retention.title",
    "voice": "voc.title",
    "campaign": "campaign.title",
    "cross-sell": "crosssell.title",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", PAGES)
def test_page_opens_without_errors(app_url, page, name, lang):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.goto(f"{app_url}/{'' if name == 'overview' else name}?lang={lang}")
    wait_until_idle(page)
    heading = page.locator("h1").first.inner_text().strip()
    assert heading == t(TITLES[name], lang)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    # Vega reports a spec it cannot draw on the console; resources the dev server does
    # not serve under a page's path (/<page>/_stcore/health) are not the app's errors.
    assert [e for e in errors if "404" not in e and "Failed to load resource" not in e] == []
    # Charts on the open tab are drawn (those on other tabs are drawn when opened).
    charts = page.locator("[data-testid='stVegaLiteChart']")
    shown = [charts.nth(i) for i in range(charts.count()) if charts.nth(i).is_visible()]
    for i, chart in enumerate(shown):
        chart.scroll_into_view_if_needed()
        chart.locator("canvas, svg").first.wait_for(timeout=30_000)
        assert chart.locator("canvas, svg").count() > 0, f"chart {i} not drawn"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}_{lang}.png"), full_page=True)
