"""Power and sample size, money and roll-out, channels: against statsmodels and hand calculations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from core.campaign.abtest import compare, from_totals
from core.campaign.money import EXAMPLE_CHANNELS, channel_table, money_table, rollout
from core.campaign.power import (
    cohens_h,
    detectable_lift,
    power_at,
    power_curve,
    rate_for_h,
    sample_size,
)


def test_sample_size_matches_the_normal_formula_and_statsmodels():
    # Hand: the arcsine transform 2 asin sqrt(p) has variance 1/n, so a difference of two groups
    # of n has variance 2/n: n per group = 2 ((z_{1 - alpha/2} + z_{power}) / h)^2,
    # h = 2 asin sqrt(p2) - 2 asin sqrt(p1) (Cohen 1988, ch. 6).
    h = 2 * math.asin(math.sqrt(0.035)) - 2 * math.asin(math.sqrt(0.03))
    n_hand = 2 * ((stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) / h) ** 2
    need = sample_size(0.03, 0.005, alpha=0.05, power=0.8, variant_share=0.5, daily_volume=2000)
    # statsmodels adds the (negligible) far tail, so its n is a hair above the formula.
    assert need.control == math.ceil(
        NormalIndPower().solve_power(proportion_effectsize(0.035, 0.03), power=0.8, alpha=0.05)
    )
    assert need.control == pytest.approx(n_hand, abs=1.0)
    assert need.variant == need.control and need.total == 2 * need.control
    assert need.days == math.ceil(need.total / 2000)
    assert need.effect_size == pytest.approx(h)


def test_an_uneven_split_needs_more_recipients():
    even = sample_size(0.05, 0.01)
    uneven = sample_size(0.05, 0.01, variant_share=0.2)
    # Hand: with nobs2 = k nobs1, nobs1 = n_even (1 + 1/k) / 2; k = 0.25 -> 2.5 x n_even.
    assert uneven.control == pytest.approx(even.control * 2.5, rel=0.001)
    assert uneven.variant == math.ceil(uneven.control * 0.25)
    assert uneven.total > even.total


def test_detectable_lift_inverts_the_sample_size():
    need = sample_size(0.03, 0.005)
    lift = detectable_lift(0.03, need.control, alpha=0.05, power=0.8)
    assert lift == pytest.approx(0.005, abs=1e-6)  # n was rounded up: a hair smaller
    assert lift <= 0.005
    assert power_at(0.03, lift, need.control) == pytest.approx(0.8, abs=1e-4)
    assert rate_for_h(0.2, cohens_h(0.2, 0.27)) == pytest.approx(0.27)


def test_power_curve_rises_and_bad_rates_give_a_message():
    curve = power_curve(0.03, 0.005)
    assert curve["power"].is_monotonic_increasing and curve["power"].iloc[-1] > 0.95
    assert sample_size(0.99, 0.02).problem.key == "campaign.power_bad_rates"
    assert math.isnan(detectable_lift(0.0, 100))


def _two_arms() -> tuple:
    summary = pd.DataFrame(
        {
            "group": ["control", "test"],
            "recipients": [10000, 10000],
            "conversions": [300, 360],
            "revenue": [15000.0, 19000.0],
            "revenue_sd": [12.0, 13.0],
            "cost": [0.0, 500.0],
        }
    )
    data = from_totals(summary)
    return data, compare(data, "control", "conversion"), compare(data, "control", "revenue")


def test_money_table_by_hand():
    data, conv, rev = _two_arms()
    row = money_table(data, conv, rev, margin=0.5).iloc[0]
    # Hand: lift 0.006 x 10,000 = 60 conversions; revenue per recipient 1.9 - 1.5 = 0.4 x 10,000 = 4,000;
    # profit 4,000 x 0.5 - cost 500 = 1,500; ROI 1,500 / 500 = 3; break-even 0.05 / 0.5 = 0.1 per recipient.
    assert row["inc_conversions"] == pytest.approx(60)
    assert row["inc_revenue"] == pytest.approx(4000)
    assert row["net_profit"] == pytest.approx(1500)
    assert row["roi"] == pytest.approx(3.0)
    assert row["roi_low"] == pytest.approx((rev["abs_low"].iloc[0] * 10000 * 0.5 - 500) / 500)
    assert row["break_even_lift"] == pytest.approx(0.1)
    assert row["break_even_rel"] == pytest.approx(0.1 / 1.5)
    assert row["inc_revenue_low"] == pytest.approx(rev["abs_low"].iloc[0] * 10000)
    typed = money_table(data, conv, rev, margin=0.5, cost_per_recipient=0.02).iloc[0]
    assert typed["cost"] == pytest.approx(200)


def test_rollout_carries_the_interval_through():
    _, conv, rev = _two_arms()
    plan = rollout(conv.iloc[0], rev.iloc[0], base=50000, margin=0.5, cost_per_recipient=0.05)
    assert plan.conversions[0] == pytest.approx(0.006 * 50000)
    assert plan.revenue[1] == pytest.approx(rev["abs_low"].iloc[0] * 50000)
    assert plan.profit[0] == pytest.approx(0.4 * 50000 * 0.5 - 2500)
    # Hand: P(lift x margin > cost per recipient) = Phi((0.4 x 0.5 - 0.05) / (se x 0.5)).
    se = rev["se"].iloc[0]
    assert plan.chance_profitable == pytest.approx(stats.norm.cdf((0.2 - 0.05) / (se * 0.5)))
    half = rollout(
        conv.iloc[0], rev.iloc[0], base=50000, margin=0.5, cost_per_recipient=0.05, keep=0.5
    )
    assert half.revenue[0] == pytest.approx(plan.revenue[0] / 2)


def test_channel_table_by_hand_and_bad_rows():
    table, problem = channel_table(EXAMPLE_CHANNELS, margin=0.4)
    assert problem is None
    email = table.set_index("channel").loc["Email"]
    rows = EXAMPLE_CHANNELS[EXAMPLE_CHANNELS["channel"] == "Email"]
    assert email["cpa"] == pytest.approx(rows["spend"].sum() / rows["conversions"].sum())
    assert email["roi"] == pytest.approx(
        (rows["revenue"].sum() * 0.4 - rows["spend"].sum()) / rows["spend"].sum()
    )
    assert table["roi"].is_monotonic_decreasing
    bad = pd.concat(
        [
            EXAMPLE_CHANNELS,
            pd.DataFrame([{"channel": "SMS", "spend": "abc"}, {"channel": "", "spend": 1}]),
        ]
    )
    table, problem = channel_table(bad, margin=0.4)
    assert problem.key == "campaign.channel_rows_skipped" and len(table) == 4
    assert problem.severity == "info"  # the channels that are complete are still compared
    empty, problem = channel_table(pd.DataFrame({"channel": [None]}), margin=0.4)
    assert empty.empty and problem.key == "campaign.channel_no_rows"
    assert problem.severity == "warning"
    assert np.isfinite(table["cpa"]).all()
