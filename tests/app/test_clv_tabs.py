"""Each tab of the Lifetime value page called alone with its inputs (AppTest.from_function).

The tabs (`ui.pages.clv_value.value_tab`, `ui.pages.clv_check.check_tab`,
`matrix_tab`) are functions of the fitted models, the customer groups and the cache
key: here each runs without the page around it, on the demo data. The expected
figures are the page's on the demo (tests/core/test_clv_views.py says where from).
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from core.charts.clv import group_value_chart, heatmap_table, payback_chart
from core.clv import WhatIf
from core.i18n import EN
from tests.app.apptest import APP
from ui.charts import chart_spec
from ui.pages.clv_charts import _renamed

PAGE = "app_pages/clv.py"


def inputs():
    """What the page hands its tabs on the demo: cache key, fitted models, customer groups."""
    from core.clv import ModelSettings, customer_groups, fit_values
    from ui.common import features_of, require_orders, rfm_of
    from ui.state import get_table, memo

    transactions, orders = require_orders()
    settings = ModelSettings()
    values = memo(
        "clv_values", (transactions.fingerprint, settings), lambda: fit_values(orders, settings)
    )
    customers = get_table("customers")
    groups = customer_groups(
        values.customers,
        rfm_of(transactions).table["rfm_segment"],
        features_of(transactions, customers),
    )
    key = (transactions.fingerprint, customers.fingerprint, settings)
    return key, values, groups, orders


def _tab(script, *args) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=300)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _value_tab() -> None:
    import streamlit as st

    from tests.app.test_clv_tabs import inputs
    from ui.pages.clv_value import value_tab

    key, values, groups, _ = inputs()
    st.session_state["whatif_seen"] = value_tab(key, values, groups)


def test_value_tab_alone_and_its_what_if():
    at = _tab(_value_tab)
    metrics = _metrics(at)
    assert metrics["Average CLV"] == "39.81"
    assert metrics["CLV of the customer base"] == "199,059"
    assert metrics["Value of a new customer"] == "79.66"
    assert at.session_state["whatif_seen"] == WhatIf(0.3, 0.1, 12)
    assert EN["clv.top_reading_safe"].format(top=100) in [c.value for c in at.caption]
    at.slider(key="clv_margin").set_value(60).run()
    at.slider(key="clv_horizon").set_value(30).run()
    assert not at.exception
    assert at.session_state["whatif_seen"] == WhatIf(0.6, 0.1, 30)
    assert any("next 30 months" in m.value for m in at.markdown)
    at.number_input(key="clv_cac").set_value(200.0).run()
    assert "CLV : CAC" in _metrics(at)
    assert [b.label for b in at.get("download_button")] == [
        EN["clv.download_csv"].format(n="5,000"),
        EN["clv.download_excel"].format(n="5,000"),
    ]


def _check_tab(cutoff) -> None:
    from core.clv import check_model
    from tests.app.test_clv_tabs import inputs
    from ui.pages.clv_check import check_tab
    from ui.state import memo

    key, values, _, orders = inputs()
    settings = key[-1]
    check = memo("clv_check", (*key, cutoff), lambda: check_model(orders, settings, cutoff))
    check_tab((*key, cutoff), values, check)


def test_check_tab_alone_suggests_a_year_of_holdout():
    at = _tab(_check_tab, dt.date(2025, 12, 29))
    metrics = _metrics(at)
    assert metrics["Actual repeat purchases"] == "9,446"
    assert metrics["Predicted"] == "12,474"
    assert metrics["Aggregate error"] == "+32.1%"
    assert any(i.value.startswith("Why? The model assumes") for i in at.info)
    captions = [c.value for c in at.caption]
    assert any("r 0.4396, alpha 1.338, a 0.4435, b 2.912" in c for c in captions)
    # The button sets the cut-off and asks the page's fragment for a whole-page rerun.
    at.button(key="clv_use_year_cutoff").click().run()
    assert at.session_state["clv_cutoff"] == dt.date(2025, 6, 30)
    assert at.session_state["clv_rerun_app"] is True


def _matrix_tab(months) -> None:
    from tests.app.test_clv_tabs import inputs
    from ui.pages.clv_check import matrix_tab

    key, values, _, _ = inputs()
    matrix_tab(key, values, months)


def test_matrix_tab_alone():
    at = _tab(_matrix_tab, 24)
    assert any("expected purchases in the next 24 months" in m.value for m in at.markdown)
    assert EN["clv.matrix_reading_bgnbd"] in [c.value for c in at.caption]


@pytest.mark.parametrize(
    "kept", [dt.date(1990, 1, 1), dt.date(2099, 1, 1)], ids=["before", "after"]
)
def test_a_cutoff_kept_from_other_data_is_reset_to_the_suggestion(kept):
    # Issue 14: the page no longer reads the cut-off's state before drawing it; a day
    # outside this data's range (kept from another data set) becomes the suggested day.
    at = AppTest.from_file(APP, default_timeout=300)
    at.session_state["lang"] = "en"
    at.session_state["clv_cutoff"] = kept
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert at.date_input(key="clv_cutoff").value == dt.date(2025, 12, 29)


def _spec_without_data(spec: dict) -> str:
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


def _rows(data) -> pa.Table:
    if not isinstance(data, bytes):
        data = dataframe_util.convert_anything_to_arrow_bytes(data)
    return pa.ipc.open_stream(data).read_all()


@pytest.mark.parametrize("chart", ["payback", "groups", "heatmap"])
def test_a_chart_with_new_data_is_the_chart_built_from_it(chart):
    # show_with_data keeps the spec of the first data and puts the new rows in: the
    # result must be what building the chart from the new rows gives.
    rng = np.random.default_rng(5)

    def data(scale: float) -> pd.DataFrame:
        if chart == "payback":
            return pd.DataFrame(
                {
                    "group": [None] * 4 + ["Email"] * 4,
                    "month": list(range(4)) * 2,
                    "value": scale * np.arange(8.0),
                    "cac": 20.0,
                    "label": ["All"] * 4 + ["Email"] * 4,
                }
            )
        if chart == "groups":
            return pd.DataFrame(
                {
                    "group": ["a", "b"],
                    "label": ["A", "B"],
                    "customers": [3, 4],
                    "mean_clv": scale * np.array([1.0, 2.0]),
                    "total_clv": scale * np.array([3.0, 8.0]),
                    "mean_p_alive": [0.5, 0.6],
                    "clv_share": [0.27, 0.73],
                }
            )
        return pd.DataFrame(
            {
                "frequency": [0, 0, 1, 1],
                "recency": [0.0, 5.0, 0.0, 5.0],
                "recency_end": [5.0, 10.0, 5.0, 10.0],
                "expected_purchases": scale * rng.random(4),
                "p_alive": rng.random(4),
                "customers": [1, 2, 3, 4],
            }
        )

    def build(frame: pd.DataFrame):
        if chart == "payback":
            return payback_chart(frame, "en")
        if chart == "groups":
            return group_value_chart(frame, "By segment", "en")
        from core.charts.clv import frequency_recency_heatmap

        return frequency_recency_heatmap(frame, "expected_purchases", "weeks", "en")

    def shown(frame: pd.DataFrame) -> pd.DataFrame:  # the rows the chart holds
        return heatmap_table(frame) if chart == "heatmap" else frame

    first, second = data(1.0), data(2.5)
    kept, fresh = chart_spec(build(first)), chart_spec(build(second))
    ((old,),) = [list(kept["datasets"])]
    ((new,),) = [list(fresh["datasets"])]
    assert _spec_without_data(_renamed(kept, old, new)) == _spec_without_data(fresh)
    assert _rows(shown(second)).equals(_rows(fresh["datasets"][new]))
