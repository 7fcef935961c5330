"""CLV chart builders, checked cheaply through their Vega-Lite specs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from core.charts.clv import (
    clv_histogram,
    frequency_recency_heatmap,
    group_value_chart,
    holdout_frequency_chart,
    payback_chart,
    tracking_chart,
)


def _rows(spec: dict) -> list[list[dict]]:
    return list(spec["datasets"].values())


def _curve() -> pd.DataFrame:
    # Weekly steps, then a last partial step of 3 days.
    dates = list(pd.date_range("2024-01-07", periods=6, freq="7D")) + [pd.Timestamp("2024-02-14")]
    actual = np.array([0, 2, 5, 9, 12, 15, 16], float)
    predicted = np.array([0, 3, 6, 8, 11, 14, 15], float)
    return pd.DataFrame(
        {
            "date": dates,
            "actual": actual,
            "predicted": predicted,
            "actual_step": np.diff(actual, prepend=0),
            "predicted_step": np.diff(predicted, prepend=0),
            "holdout": [False] * 4 + [True] * 3,
        }
    )


def test_tracking_chart_cumulative_and_per_step():
    cumulative = tracking_chart(_curve(), pd.Timestamp("2024-01-28"), "en").to_dict()
    assert cumulative["title"] == "Cumulative repeat purchases"
    lines = next(layer for layer in cumulative["layer"] if layer["mark"]["type"] == "line")
    assert lines["encoding"]["x"]["type"] == "temporal"
    # Actual and predicted for 7 dates, long format.
    assert max(len(d) for d in _rows(cumulative)) == 14
    step = tracking_chart(_curve(), pd.Timestamp("2024-01-28"), "zh", cumulative=False).to_dict()
    assert step["title"] == "各时段复购次数"
    # Whole 7-day steps only: the first (no previous date) and the 3-day last are left out.
    longest = max(_rows(step), key=len)
    assert len(longest) == 2 * 5
    assert {row["purchases"] for row in longest if row["series"] == "实际"} == {2, 3, 4}


def test_holdout_frequency_chart_labels_the_pooled_bucket():
    table = pd.DataFrame(
        {
            "frequency": range(8),
            "customers": [50, 20, 10, 5, 4, 3, 2, 6],
            "actual": np.linspace(0.2, 5, 8),
            "predicted": np.linspace(0.3, 5.5, 8),
        }
    )
    spec = holdout_frequency_chart(table, "en").to_dict()
    labels = {row["label"] for row in max(_rows(spec), key=len)}
    assert "7+" in labels and "6" in labels
    assert spec["layer"][0]["encoding"]["tooltip"][3]["field"] == "customers"


def test_heatmaps_histogram_groups_and_payback():
    grid = pd.DataFrame(
        {
            "frequency": [0, 0, 1, 1],
            "recency": [0.0, 5.0, 0.0, 5.0],
            "recency_end": [5.0, 10.0, 5.0, 10.0],
            "expected_purchases": [0.1, 0.1, 0.3, 0.9],
            "p_alive": [1.0, 1.0, 0.2, 0.8],
            "customers": [10, 0, 3, 4],
        }
    )
    alive = frequency_recency_heatmap(grid, "p_alive", "weeks", "en").to_dict()
    assert alive["mark"]["type"] == "rect"
    assert alive["encoding"]["color"]["field"] == "p_alive"
    assert alive["encoding"]["x"]["title"] == "Last purchase (weeks after the first)"

    histogram = clv_histogram(
        pd.DataFrame(
            {
                "bin_start": [0.0, 10.0],
                "bin_end": [10.0, 20.0],
                "customers": [5, 1],
                "total": [20.0, 30.0],
                "open_end": [False, True],
            }
        ),
        "en",
    ).to_dict()
    assert [row["band"] for row in _rows(histogram)[0]] == ["0–10", "≥ 10"]

    groups = group_value_chart(
        pd.DataFrame(
            {
                "label": ["=cmd", "Email"],
                "customers": [3, 4],
                "mean_clv": [1.0, 2.0],
                "total_clv": [3.0, 8.0],
                "clv_share": [0.27, 0.73],
                "mean_p_alive": [0.5, 0.6],
            }
        ),
        "Average CLV by channel",
        "en",
    ).to_dict()
    assert groups["title"] == "Average CLV by channel"
    assert json.dumps(groups).count("=cmd") == 1  # user text is data, never markup

    curves = pd.DataFrame(
        {"month": [0, 1, 2], "value": [5.0, 9.0, 12.0], "cac": 10.0, "label": "All customers"}
    )
    payback = payback_chart(curves, "en").to_dict()
    assert len(payback["layer"]) == 2
    assert payback["layer"][1]["mark"]["strokeDash"] == [4, 4]


def test_payback_chart_without_a_cost_has_no_cost_line():
    curves = pd.DataFrame(
        {"month": [0, 1, 2], "value": [5.0, 9.0, 12.0], "cac": np.nan, "label": "All customers"}
    )
    spec = payback_chart(curves, "en").to_dict()
    assert len(spec["layer"]) == 1 and "strokeDash" not in json.dumps(spec["layer"][0]["mark"])
    assert spec["title"] == "Margin a new customer brings, month by month"
