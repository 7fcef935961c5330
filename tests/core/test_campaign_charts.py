"""Chart builders of the Campaign page, checked cheaply through their Vega-Lite dicts."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from core.campaign.abtest import EXAMPLE_SUMMARY, compare, from_totals, group_intervals
from core.campaign.money import EXAMPLE_CHANNELS, channel_table
from core.campaign.power import power_curve
from core.charts.campaign import (
    channel_chart,
    forest_chart,
    impact_panels,
    power_chart,
    rates_chart,
)


def _spec(chart) -> str:
    return json.dumps(chart.to_dict(), ensure_ascii=False)


def test_rates_and_forest_charts_carry_intervals_and_translated_titles():
    data = from_totals(EXAMPLE_SUMMARY)
    rates = group_intervals(data, "conversion").assign(is_control=lambda f: f["group"] == "control")
    spec = _spec(rates_chart(rates, "Conversion rate by group", ".2%", "en"))
    assert '"x2": {"field": "high"' in spec and "Conversion rate by group" in spec
    lifts = compare(data, "control", "conversion").assign(label=lambda f: f["variant"])
    spec = _spec(forest_chart(lifts, "Lift", ".2f", "zh"))
    assert "优于对照组" in spec and '"field": "abs_low"' in spec
    assert len(forest_chart(lifts, "Lift", ".2f").to_dict()["datasets"]) >= 1


def test_power_chart_marks_the_size_needed():
    spec = _spec(power_chart(power_curve(0.03, 0.005), 38844, "en"))
    assert '{"x": 38844}' in spec and '{"y": 0.8}' in spec  # the size needed and the 80% line
    assert '"type": "fit-x"' in spec


def test_impact_panels_share_the_date_axis():
    dates = pd.date_range("2026-01-01", periods=10)
    frame = pd.DataFrame(
        {
            "date": dates,
            "observed": np.arange(10.0),
            "predicted": np.arange(10.0),
            "post": [False] * 6 + [True] * 4,
        }
    )
    for column in (
        "predicted_low",
        "predicted_high",
        "effect",
        "effect_low",
        "effect_high",
        "cumulative",
        "cumulative_low",
        "cumulative_high",
    ):
        frame[column] = 0.0
    panels = impact_panels(frame, dates[6], "en")
    domains = [json.dumps(p.to_dict()["layer"][-1]["encoding"]["x"]["scale"]) for p in panels]
    assert len(set(domains)) == 1  # the same scale everywhere: the panels line up


def test_channel_charts():
    table, _ = channel_table(EXAMPLE_CHANNELS, 0.4)
    assert '"field": "cpa"' in _spec(channel_chart(table, "cpa", "en"))
    assert "datum.roi >= 0" in _spec(channel_chart(table, "roi", "zh"))
