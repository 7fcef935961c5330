"""The Overview page through AppTest: the period choice, % changes only against a fully covered period.

The KPI numbers themselves are checked in tests/core/test_kpis.py.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from core.ingest import ingest_file
from tests.app.apptest import open_page
from ui.state import LoadedTable

PAGE = "app_pages/overview.py"


def _transactions(first: str, days: int) -> dict[str, LoadedTable]:
    """A session holding `days` days of generated orders from `first` (two a day, 7 customers)."""
    dates = pd.date_range(first, periods=days, freq="D").strftime("%Y-%m-%d")
    lines = ["customer_id,order_date,amount"]
    for i, day in enumerate(dates):
        lines += [f"c{i % 7},{day},{20 + i % 5}", f"c{(i + 3) % 7},{day},15.5"]
    result = ingest_file("\n".join(lines).encode(), "orders.csv", "transactions")
    assert result.table is not None
    loaded = LoadedTable("transactions", result.table, result.report, result.fingerprint, "x.csv")
    return {"transactions": loaded}


def _captions(at: AppTest) -> list[str]:
    # Dates and numbers from core reach the page through message_text, markdown-escaped.
    return [c.value.replace("\\", "") for c in at.caption]


def _deltas(at: AppTest) -> list[str]:
    return [m.delta for m in at.metric]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_short_data_offers_all_data_only_and_shows_no_change(lang):
    at = open_page(PAGE, lang, _transactions("2024-03-01", 20))
    period = at.segmented_control(key="overview_period")
    assert period.options == [t("overview.all_data", lang)]
    assert period.value == "all"
    assert len(at.metric) == 6 and not any(_deltas(at))
    captions = _captions(at)
    assert t("overview.all_span", lang, start="2024-03-01", end="2024-03-20", days="20") in captions
    assert t("overview.all_data_no_change", lang) in captions
    longer = t(
        "overview.periods_not_offered",
        lang,
        span="20",
        start="2024-03-01",
        end="2024-03-20",
        periods=[30, 90, 180, 365],
    )
    assert longer in captions
    # 20 days, 40 orders.
    orders = next(m for m in at.metric if m.label == t("kpi.orders", lang))
    assert orders.value == "40"
    assert not at.error and not at.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_period_without_a_full_previous_one_has_no_change_and_says_why(lang):
    # 45 days: 30 days fit once, but the 30 days before them are covered only for 15.
    at = open_page(PAGE, lang, _transactions("2024-03-01", 45))
    assert at.segmented_control(key="overview_period").value == "all"
    at.segmented_control(key="overview_period").set_value(30).run()
    assert not at.exception
    assert not any(_deltas(at))
    captions = _captions(at)
    why = t("overview.no_full_previous", lang, start="2024-03-01", days=30)
    assert why in captions
    assert (
        t("overview.period_span", lang, start="2024-03-16", end="2024-04-14", days=30) in captions
    )
    assert t("kpi_line.revenue", lang, days=30) in captions


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_demo_shows_its_changes_and_all_data_works(lang):
    at = open_page(PAGE, lang)  # the demo: two years, 2024-07-01 to 2026-06-30
    period = at.segmented_control(key="overview_period")
    assert period.value == 90
    assert len(period.options) == 5
    deltas = _deltas(at)
    assert len(deltas) == 6 and all(deltas)
    assert t("overview.period_caption", lang, start="2026-04-02", end="2026-06-30", days=90) in (
        _captions(at)
    )

    at.segmented_control(key="overview_period").set_value("all").run()
    assert not at.exception
    assert not any(_deltas(at))
    captions = _captions(at)
    assert (
        t("overview.all_span", lang, start="2024-07-01", end="2026-06-30", days="730") in captions
    )
    assert t("overview.all_line.revenue", lang) in captions
    customers = next(m for m in at.metric if m.label == t("kpi.customers", lang))
    assert customers.value == "5,000"

    # The year against the year before: the demo covers both in full.
    at.segmented_control(key="overview_period").set_value(365).run()
    assert all(_deltas(at))


def test_a_single_day_of_data():
    at = open_page(PAGE, "en", _transactions("2024-03-01", 1))
    assert at.segmented_control(key="overview_period").options == ["All data"]
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Orders"], metrics["Customers"], metrics["Average order value"]) == (
        "2",
        "2",
        "17.75",  # (20 + 15.5) / 2
    )
    assert not any(_deltas(at)) and not at.error
