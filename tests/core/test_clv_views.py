"""The Lifetime value page's views (core.clv.views) on the demo data: the numbers the page showed.

Expected figures are the ones the page showed on the demo before its computations
moved into core (commit ce3c7c3, AppTest, English): Average CLV 39.81, CLV of the
customer base 199,059, expected purchases 20,138, 59.7% still active, BG/NBD
r 0.4173 (SE 0.0095), the holdout check up to 2025-12-29 (9,446 actual, 12,474
predicted, +32.1%, correlation 0.81, "try 2025-06-30"), Referral customers worth the
most (54.95) and Paid social the least (31.23). The models themselves are checked
against the papers and lifetimes in test_clv.py and test_clv_cdnow_master.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.clustering import customer_features
from core.clv import (
    MIN_CUSTOMERS,
    ModelSettings,
    WhatIf,
    acquisition_view,
    channel_costs,
    check_model,
    customer_groups,
    customer_list,
    cutoff_choice,
    distribution_note,
    fit_values,
    forecast,
    forecast_block,
    forecast_blocks,
    horizon_forecast,
    recency_matrix,
    repeat_uplift,
    uplift_of,
    value_breakdown,
    value_by_group,
    value_view,
)
from core.clv.value import top_positions
from core.format import fmt_count, fmt_money, fmt_share
from core.ingest import ingest_file
from core.problems import Problem
from core.segmentation import rfm_table
from core.summary import orders_table

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
NAMES = {"champions": "Champions", "loyal": "Loyal"}


@pytest.fixture(scope="module")
def demo() -> dict:
    tables = {
        kind: ingest_file((SAMPLE / f"{kind}.csv").read_bytes(), f"{kind}.csv", kind).table
        for kind in ("transactions", "customers")
    }
    orders = orders_table(tables["transactions"])
    values = fit_values(orders, ModelSettings("weeks", "bgnbd"))
    segments = rfm_table(orders, orders["order_date"].max().normalize()).table["rfm_segment"]
    features = customer_features(orders, tables["transactions"], tables["customers"])
    groups = customer_groups(values.customers, segments, features)
    return {"orders": orders, "values": values, "groups": groups}


def _view(values, whatif: WhatIf):
    blocks = [forecast_block(values, b) for b in range(forecast_blocks(whatif.horizon_months))]
    return value_view(values, horizon_forecast(values, blocks, whatif.horizon_months), whatif)


def test_cutoff_choice_on_the_demo(demo):
    choice = cutoff_choice(demo["orders"])
    assert choice.problem is None
    assert choice.suggested == dt.date(2025, 12, 29)  # the page's default cut-off
    assert choice.earliest == (choice.first_day + pd.Timedelta(days=1)).date()
    assert choice.latest == dt.date(2026, 6, 29)  # the day before the last purchase day


def test_cutoff_choice_on_one_day_is_a_warning():
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "B"],
            "order_date": pd.to_datetime(["2024-03-05 09:00", "2024-03-05 17:00"]),
            "amount": [5.0, 6.0],
        }
    )
    assert cutoff_choice(orders).problem == Problem("clv.one_day", {}, "warning")


def test_fit_values_reads_the_parameters_as_the_page_did(demo):
    values = demo["values"]
    assert values.problems == () and not values.dropout_uncertain
    r = values.parameters[0]
    assert (r.name, r.estimate, r.se, r.interval) == ("r", "0.4173", "0.0095", "0.3987 – 0.436")
    assert [p.key for p in values.readings] == [
        "clv.reading_rate",
        "clv.reading_dropout_purchase",
        "clv.reading_uneven",
    ]
    assert values.readings[0].params == {"per_month": "1.32", "days": "23"}
    assert values.readings[1].params == {"share": "13.1%"}
    assert [p.key for p in values.spend_reading] == ["clv.spend_reading", "clv.spend_spread"]
    assert values.spend_reading[0].params == {"mean": "34.48", "n": "3,598"}
    assert values.spend_notes == (Problem("clv.correlation_ok", {"r": "0.03"}, "info"),)


def test_value_view_gives_the_page_s_headline(demo):
    view = _view(demo["values"], WhatIf(0.3, 0.1, 12))
    assert fmt_money(view.mean_clv) == "39.81"
    assert fmt_money(view.total_clv) == "199,059"
    assert fmt_count(view.expected_purchases) == "20,138"
    assert fmt_share(view.mean_p_alive) == "59.7%"
    assert view.reading.params["top_customers"] == "10%"
    assert view.reading.params["top"] == fmt_share(view.top_share) == "62.4%"
    assert view.top_reading == Problem("clv.top_reading_safe", {"top": 100}, "info")
    assert distribution_note().params == {"top": "1%"}
    # The uplift from the view's totals is repeat_uplift's.
    expected = repeat_uplift(view.forecast, view.clv, 0.1)
    assert astuple(uplift_of(view, 0.1)) == pytest.approx(astuple(expected), rel=1e-12)
    # CLV is proportional to the margin (the page's test: 60% doubles 30%).
    doubled = _view(demo["values"], WhatIf(0.6, 0.1, 12))
    assert doubled.mean_clv == pytest.approx(2 * view.mean_clv)


@pytest.mark.parametrize("months", [1, 12, 13, 30, 60], ids=lambda m: f"{m}m")
def test_forecast_from_blocks_is_the_direct_forecast(demo, months):
    values = demo["values"]
    blocks = [forecast_block(values, b) for b in range(forecast_blocks(months))]
    from_blocks = horizon_forecast(values, blocks, months)
    direct = forecast(values.data, values.fit, values.spend, months)
    np.testing.assert_allclose(from_blocks.monthly, direct.monthly, rtol=1e-12, atol=1e-15)
    pd.testing.assert_frame_equal(from_blocks.table, direct.table)


def test_forecast_blocks():
    assert [forecast_blocks(m) for m in (1, 12, 13, 24, 25, 60)] == [1, 1, 2, 2, 3, 5]
    with pytest.raises(ValueError, match="horizon_months"):
        forecast_blocks(61)


def test_check_model_on_the_demo_suggests_a_year_of_holdout(demo):
    check = check_model(demo["orders"], ModelSettings(), dt.date(2025, 12, 29))
    assert check.problem is None and check.holdout_checked
    assert (check.check.customers, fmt_count(check.check.actual)) == (4246, "9,446")
    assert fmt_count(check.check.predicted) == "12,474"
    assert f"{check.check.error:+.1%}" == "+32.1%"
    assert check.verdict == Problem(
        "clv.check_poor", {"error": "+32%", "correlation": "0.81"}, "info"
    )
    assert (check.hint, check.direction, check.year_cutoff) == (
        "seasonal",
        "over",
        dt.date(2025, 6, 30),
    )
    assert check.fit_parameters == "r 0.4396, alpha 1.338, a 0.4435, b 2.912"
    assert check.spend_parameters == "p 1.866, q 10.34, v 178.6"


def test_check_model_without_a_holdout_says_so(demo):
    last = demo["orders"]["order_date"].max().normalize()
    check = check_model(demo["orders"], ModelSettings(), last)
    assert check.problem == Problem("clv.no_holdout", {}, "info") and check.check is None


def test_too_few_customers_reads_the_threshold():
    orders = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A"],
            "order_date": pd.to_datetime(["2024-03-01", "2024-03-09", "2024-04-01"]),
            "amount": [5.0, 6.0, 7.0],
        }
    )
    values = fit_values(orders, ModelSettings())
    assert values.fit is None
    assert values.problems == (
        Problem("clv.too_few_customers", {"minimum": MIN_CUSTOMERS}, "warning"),
    )


def test_acquisition_view_needs_a_cost_for_a_verdict(demo):
    view = _view(demo["values"], WhatIf())
    groups = demo["groups"]
    none = acquisition_view(view, groups, None, False, "All customers")
    assert none.verdict is None and not none.has_cost
    assert none.missing == Problem("clv.cac_missing", {}, "info")
    assert none.curves["label"].eq("All customers").all()
    costly = acquisition_view(view, groups, 200.0, False, "All customers")
    assert costly.has_cost and costly.missing is None
    assert costly.verdict.key == "clv.ratio_bad"  # the page's "Losing money" at a cost of 200
    assert costly.verdict.params == {"ratio": f"{costly.ratio:.1f}", "months": 12}
    assert costly.ratio == pytest.approx(costly.new_value / 200.0)
    assert fmt_money(costly.new_value) == "79.66"  # "Value of a new customer"
    per_channel = acquisition_view(view, groups, channel_costs(groups.cac_template), True, "All")
    assert per_channel.missing.key == "clv.cac_missing_channel"
    assert list(per_channel.table["group"]) == ["All", *groups.channel_names]


def test_channel_costs_are_none_where_nothing_was_entered():
    entered = pd.DataFrame({"channel": ["Email", "Search"], "cac": [12.5, np.nan]})
    assert channel_costs(entered) == (("Email", 12.5), ("Search", None))


def test_value_breakdown_names_the_best_and_worst_channel(demo):
    groups = demo["groups"]
    assert groups.channel_column == "channel"
    assert groups.attributes[groups.default_attribute] == "channel"
    view = _view(demo["values"], WhatIf())
    breakdown = value_breakdown(view, groups, "channel", NAMES)
    assert breakdown.reading == Problem(
        "clv.attribute_reading",
        {"best": "Referral", "best_clv": "54.95", "worst": "Paid social", "worst_clv": "31.23"},
        "info",
    )
    segments = breakdown.by_segment
    assert segments["customers"].sum() == 5000
    assert set(segments["label"]) & {"Champions", "Loyal"}  # named, the others keep their key
    assert segments["total_clv"].is_monotonic_decreasing


def test_customer_list_is_sorted_and_named(demo):
    view = _view(demo["values"], WhatIf())
    table = customer_list(view, demo["groups"], NAMES)
    assert len(table) == 5000 and table["clv"].is_monotonic_decreasing
    assert table["customer_id"].iloc[0] == "C02325"  # the page's top customer
    assert fmt_money(float(table["clv"].iloc[0])) == "879.93"
    assert "Champions" in set(table["segment"].astype(str))


def test_value_by_group_agrees_with_a_pandas_group_by():
    # The reference is the pandas group-by value_by_group used before (same columns, order).
    rng = np.random.default_rng(3)
    index = pd.Index([f"C{i}" for i in range(2000)], name="customer_id")
    table = pd.DataFrame({"p_alive": rng.random(2000)}, index=index)
    clv = pd.Series(rng.gamma(1.0, 30.0, 2000), index=index)
    categories = pd.Categorical(rng.choice(["a", "b", "c", None], 2000), categories=list("abcd"))
    for groups in (
        pd.Series(categories, index=index),
        pd.Series(rng.choice(["x", "y", None], 2000), index=index).astype("string"),
        pd.Series(categories, index=index).iloc[:1500],  # customers without a group: "?"
    ):
        frame = pd.DataFrame(
            {
                "group": groups.reindex(index).astype("string").fillna("?"),
                "clv": clv,
                "p_alive": table["p_alive"],
            }
        )
        expected = frame.groupby("group", observed=True).agg(
            customers=("clv", "size"),
            mean_clv=("clv", "mean"),
            total_clv=("clv", "sum"),
            mean_p_alive=("p_alive", "mean"),
        )
        expected["clv_share"] = expected["total_clv"] / expected["total_clv"].sum()
        expected = expected.sort_values("total_clv", ascending=False).reset_index()
        found = value_by_group(table, clv, groups)
        pd.testing.assert_frame_equal(found, expected[found.columns], check_dtype=False)


def test_recency_matrix_follows_the_horizon(demo):
    values = demo["values"]
    short, long = recency_matrix(values, 12), recency_matrix(values, 24)
    assert (long["expected_purchases"] >= short["expected_purchases"]).all()
    np.testing.assert_allclose(long["p_alive"], short["p_alive"])


@pytest.mark.parametrize("rounding", [None, 1], ids=["distinct", "ties"])
def test_top_positions_are_a_stable_sort_s_first(rounding):
    # The reference: np.argsort(-values, kind="stable")[:count], which top_positions
    # replaces (0.036 s a What-if change for 100k customers, a sort of every value).
    rng = np.random.default_rng(11)
    for n, count in ((1000, 100), (50, 100), (7, 3), (0, 5)):
        values = rng.random(n) if rounding is None else np.round(rng.random(n), rounding)
        expected = np.argsort(-values, kind="stable")[:count]
        np.testing.assert_array_equal(top_positions(values, count), expected)
