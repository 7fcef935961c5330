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
