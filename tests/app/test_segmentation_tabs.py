"""Each Segmentation tab function, called alone with its inputs (AppTest.from_function).

The numbers are the demo's as the page showed them before its tables moved to core;
core's tests (tests/core/test_segmentation_views.py, test_clustering.py) check them
at the source.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def script(tab: str, lang: str) -> None:
    import pandas as pd
    import streamlit as st

    from core.segmentation import LifecycleThresholds, analysis_days
    from ui.common import lifecycle_found, orders_of
    from ui.pages.segmentation_clusters import clusters_tab
    from ui.pages.segmentation_lifecycle import lifecycle_controls, lifecycle_tab
    from ui.pages.segmentation_parts import segmentation_data
    from ui.pages.segmentation_rfm import rfm_tab, whatif_panel
    from ui.state import get_table

    st.session_state.setdefault("lang", lang)
    transactions, customers = get_table("transactions"), get_table("customers")
    last_day = analysis_days(orders_of(transactions))[1]
    found = lifecycle_found(transactions)
    if tab == "lifecycle":
        thresholds = lifecycle_controls(found)
    else:
        thresholds = LifecycleThresholds(found.active_days, found.churn_days, found.n_gaps)
    data = segmentation_data(transactions, customers, pd.Timestamp(last_day), "total", thresholds)
    if tab == "rfm":
        rfm_tab(data)
    elif tab == "clusters":
        clusters_tab(data)
    elif tab == "lifecycle":
        lifecycle_tab(data)
    else:
        from core.segmentation import segment_profile

        whatif_panel(segment_profile(data.rfm.table))


def _tab(tab: str, lang: str = "en") -> AppTest:
    at = AppTest.from_function(script, args=(tab, lang), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_rfm_tab_segments_list_and_what_if():
    at = _tab("rfm")
    segments = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert segments["customers"].tolist() == [953, 573, 566, 64, 172, 244, 430, 591, 190, 527, 690]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("5,000 customers (the 1,000 who spent most") for c in captions)
    assert _metrics(at)["Customers moved"] == "59"  # 10% of 591 At risk customers
    assert [b.label for b in at.get("download_button")][:2] == [
        "Download 5,000 customers (CSV)",
        "Download 5,000 customers (Excel)",
    ]
    # Choosing a segment lists its customers.
    at.multiselect(key="seg_filter_").set_value(["lost"]).run()
    assert any(c.value.startswith("690 customers") for c in at.caption)
    # The what-if: half of At risk to Loyal moves 296 customers (295.5 rounded up).
    at.slider(key="seg_whatif_share").set_value(50).run()
    assert _metrics(at)["Customers moved"] == "296"


def test_rfm_tab_in_chinese():
    at = _tab("rfm", "zh")
    segments = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert segments["segment"].tolist()[0] == "冠军客户"
    assert any(
        c.value.startswith("共 5,000 位客户（这里显示消费最高的 1,000 位") for c in at.caption
    )


def test_what_if_panel_alone():
    at = _tab("whatif")
    assert _metrics(at)["Customers moved"] == "59"
    at.selectbox(key="seg_whatif_to").set_value("at_risk").run()
    assert [i.value for i in at.info] == ["Choose two different segments."]


def test_clusters_tab_profiles_and_k():
    at = _tab("clusters")
    table = next(d.value for d in at.dataframe if "revenue_share" in d.value.columns)
    assert table["customers"].tolist() == [3220, 1780, 5000]
    at.selectbox(key="seg_k").set_value(4).run()
    table = next(d.value for d in at.dataframe if "revenue_share" in d.value.columns)
    assert len(table) == 5 and table["customers"].iloc[-1] == 5000
    at.multiselect(key="seg_features").set_value([]).run()
    assert [e.value for e in at.error] == ["Choose at least two features to cluster on."]


def test_lifecycle_tab_counts_and_thresholds():
    at = _tab("lifecycle")
    assert _metrics(at) == {
        "New": "155",
        "Reactivated": "53",
        "Active": "989",
        "At risk (sleeping)": "920",
        "Churned": "2,883",
    }
    help_text = at.number_input(key="seg_active_days").help
    assert (
        help_text
        == "From your data: 80% of your repeat customers usually come back within 45 days."
    )
    at.number_input(key="seg_active_days").set_value(90).run()
    assert not at.exception
    counts = _metrics(at)
    assert counts["Churned"] == "2,883"  # the churn threshold did not move
    assert counts["Active"] != "989"


def test_a_rerun_that_changes_nothing_computes_nothing(monkeypatch):
    # Lists, clusters and charts are built once per key, not once per rerun.
    import ui.charts
    import ui.pages.segmentation_clusters as clusters_page
    import ui.pages.segmentation_parts as parts

    calls = {"lists": 0, "clusters": 0, "charts": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(parts, "customer_list", counted("lists", parts.customer_list))
    monkeypatch.setattr(
        clusters_page, "cluster_customers", counted("clusters", clusters_page.cluster_customers)
    )
    monkeypatch.setattr(ui.charts, "chart_spec", counted("charts", ui.charts.chart_spec))
    monkeypatch.setenv("CUSTOMER_LENS_SHARE_DEMO", "0")  # results in this session only
    at = AppTest.from_function(script, args=("clusters", "en"), default_timeout=120)
    at.run()
    assert not at.exception
    first = dict(calls)
    assert first["lists"] == 1 and first["clusters"] == 1 and first["charts"] == 3
    at.run()
    at.run()
    assert calls == first
