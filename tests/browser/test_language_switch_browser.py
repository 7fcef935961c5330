"""Switching the language relabels the choices a user has already made (not only the new ones).

Streamlit keeps a keyed radio's or selectbox's old label in the browser when its
format_func changes; ui.common.relabel_widgets re-sends the values. Only a browser shows it.
"""

from __future__ import annotations

import pytest

from core.i18n import EN, ZH
from scripts.screenshots import wait_until_idle

pytestmark = pytest.mark.browser


def test_a_choice_keeps_its_mark_and_takes_the_new_language(app_url, page):
    page.goto(f"{app_url}/segmentation")
    wait_until_idle(page)
    radio = page.locator("[data-testid='stRadio']").filter(has_text=EN["seg.monetary"]).first
    radio.get_by_text(EN["seg.monetary_average"], exact=True).click()
    page.wait_for_timeout(500)
    wait_until_idle(page)

    language = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox'] input").first
    language.click()
    page.keyboard.type("简体")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_until_idle(page)

    radio = page.locator("[data-testid='stRadio']").filter(has_text=ZH["seg.monetary"]).first
    radio.wait_for(timeout=60_000)
    checked = radio.locator("input[type='radio']:checked")
    assert checked.count() == 1
    label = checked.locator("xpath=ancestor::label").first.inner_text().strip()
    assert label == ZH["seg.monetary_average"]
