"""Chart builders, checked cheaply through their Vega-Lite specs."""

from __future__ import annotations

import pandas as pd

from core.charts import monthly_customers_chart, monthly_revenue_chart, set_aside_chart


def _monthly() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]),
            "revenue": [100.0, 80.0, 130.0],
            "orders": [1, 2, 4],
            "active_customers": [1, 2, 3],
            "new_customers": [1, 1, 2],
            "partial": [True, False, False],
        }
    )


def _datasets(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def test_monthly_revenue_chart_encodes_typed_fields_and_only_monthly_rows():
    spec = monthly_revenue_chart(_monthly(), "en").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "month" and spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonth"
    assert (
        spec["encoding"]["y"]["field"] == "revenue"
        and spec["encoding"]["y"]["type"] == "quantitative"
    )
    assert [len(d) for d in _datasets(spec)] == [3]
    assert spec["title"] == "Revenue per month"
    assert any(p.get("select", {}).get("type") == "point" for p in spec["params"])


def test_monthly_revenue_chart_speaks_chinese():
    spec = monthly_revenue_chart(_monthly(), "zh").to_dict()
    assert spec["title"] == "每月收入"
    assert spec["encoding"]["y"]["title"] == "收入"


def test_monthly_customers_chart_has_two_series_per_month():
    spec = monthly_customers_chart(_monthly(), "en").to_dict()
    rows = _datasets(spec)[0]
    assert len(rows) == 6
    assert {r["series"] for r in rows} == {"Active customers", "New customers"}


def test_set_aside_chart_sorts_by_rows():
    spec = set_aside_chart(
        pd.DataFrame({"reason": ["No date", "Duplicate"], "rows": [3, 10]}), "en"
    ).to_dict()
    assert spec["encoding"]["y"]["sort"] == "-x"


def test_segment_bar_chart_selects_segments_by_click():
    from core.charts import SEGMENT_SELECTION, segment_bar_chart

    profile = pd.DataFrame(
        {
            "segment": ["champions", "lost"],
            "label": ["Champions", "Lost"],
            "customers": [10, 5],
            "share": [0.6, 0.4],
            "revenue_share": [0.9, 0.1],
        }
    )
    spec = segment_bar_chart(profile, "en").to_dict()
    (param,) = spec["params"]
    assert param["name"] == SEGMENT_SELECTION
    assert param["select"] == {
        "type": "point",
        "fields": ["segment"],
        "on": "click",
        "clear": "dblclick",
    }
    assert spec["encoding"]["y"]["sort"] is None  # rows keep the segments' order


def test_rf_grid_chart_has_25_cells_with_names_and_counts():
    from core.charts import rf_grid_chart
    from core.segmentation import SEGMENT_GRID

    cells = pd.DataFrame(
        [(r, f, r * f, SEGMENT_GRID[(r, f)]) for r in range(1, 6) for f in range(1, 6)],
        columns=["r_score", "f_score", "customers", "label"],
    )
    spec = rf_grid_chart(cells, "en").to_dict()
    assert [len(d) for d in _datasets(spec)] == [25]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "text", "text"]


def test_lifecycle_chart_stacks_stages_in_order():
    from core.charts import lifecycle_chart

    rows = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01"] * 2),
            "stage": ["new", "churned"],
            "label": ["New", "Churned"],
            "customers": [3, 1],
            "order": [0, 4],
        }
    )
    spec = lifecycle_chart(rows, "en").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["New", "Churned"]
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonth"


def test_silhouette_chart_marks_best_and_used_k():
    from core.charts import silhouette_chart

    curve = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.4, 0.5, 0.3]})
    spec = silhouette_chart(curve, chosen_k=3, k=4, lang="en").to_dict()
    marks = {row["k"]: row["mark"] for row in _datasets(spec)[0]}
    assert marks == {2: "", 3: "best", 4: "in use"}


def test_breakdown_chart_keeps_fixed_colours_when_a_group_is_absent():
    from core.charts import breakdown_chart

    shares = pd.DataFrame(
        {
            "value": ["UK", "UK"],
            "label": ["New", "Churned"],
            "customers": [3, 1],
            "share": [0.75, 0.25],
            "order": [0, 4],
        }
    )
    colours = {"New": "#111111", "Reactivated": "#222222", "Churned": "#555555"}
    scale = breakdown_chart(shares, "en", colours).to_dict()["encoding"]["color"]["scale"]
    assert scale == {"domain": ["New", "Churned"], "range": ["#111111", "#555555"]}
