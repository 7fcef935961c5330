"""CLV summary definitions, value arithmetic and degenerate data: hand-made known answers.

Expected values are worked out by hand in the comments; lifetimes and the papers are
checked in test_clv.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.clv import (
    MIN_CUSTOMERS,
    HoldoutCheck,
    acquisition_table,
    clv_distribution,
    customer_clv,
    default_cutoff,
    discount_factors,
    fit_purchases,
    fit_spend,
    forecast,
    new_customer_value,
    payback_month,
    purchase_reading,
    repeat_uplift,
    rfm_summary,
    value_by_group,
    value_share_of_top,
)
from core.problems import Problem


def _keys(problems) -> list[str]:
    return [p.key for p in problems]


def _orders(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "order_date": pd.to_datetime([r[1] for r in rows], format="ISO8601"),
            "amount": [r[2] for r in rows],
        }
    )


@pytest.fixture
def small() -> pd.DataFrame:
    # A: 2024-01-01 (two orders, 10 + 5), 01-08 (20), 01-22 (30), and 02-05 after the cut-off.
    # B: 2024-01-03 only. C: 2024-01-15 and 2024-02-12 (after the cut-off).
    return _orders(
        [
            ("A", "2024-01-01 09:00", 10.0),
            ("A", "2024-01-01 17:00", 5.0),
            ("A", "2024-01-08", 20.0),
            ("A", "2024-01-22", 30.0),
            ("B", "2024-01-03", 7.0),
            ("C", "2024-01-15", 12.0),
            ("A", "2024-02-05", 40.0),
            ("C", "2024-02-12", 16.0),
        ]
    )


def test_summary_definitions_by_hand(small):
    data = rfm_summary(small, "2024-01-29", "weeks", end="2024-02-12")
    s = data.summary.sort_index()
    # A: purchase days 01-01, 01-08, 01-22 -> x = 2; t_x = 21 days = 3 weeks; T = 28 days = 4.
    # Repeat spend 20 and 30 -> m = 25 (the first day's 15 is left out).
    assert s.loc["A", ["frequency", "recency", "T", "monetary_value"]].tolist() == [2, 3, 4, 25]
    assert s.loc["B", ["frequency", "recency", "monetary_value"]].tolist() == [0, 0, 0]
    assert s.loc["B", "T"] == pytest.approx(26 / 7)
    assert s.loc["C", "T"] == pytest.approx(2.0)
    assert s["holdout_frequency"].tolist() == [1, 0, 1]
    assert s["holdout_spend"].tolist() == [40.0, 0.0, 16.0]
    assert data.holdout_length == pytest.approx(2.0)
    days = rfm_summary(small, "2024-01-29", "days").summary
    assert days.loc["A", "T"] == 28 and days.loc["A", "recency"] == 21
    months = rfm_summary(small, "2024-01-29", "months").summary
    assert months.loc["A", "T"] == pytest.approx(28 / (365.25 / 12))


def test_default_cutoff_holds_out_the_last_quarter(small):
    # 2024-01-01 .. 2024-02-12 is 42 days; 75% is 31.5 -> day 31: 2024-02-01.
    assert default_cutoff(small) == pd.Timestamp("2024-02-01")


def test_value_share_of_top_by_hand():
    clv = pd.Series([50.0, 20.0, 10.0, 5.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0])  # total 100
    assert value_share_of_top(clv, 0.1) == pytest.approx(0.5)  # the top customer
    assert value_share_of_top(clv, 0.2) == pytest.approx(0.7)
    assert value_share_of_top(pd.Series([0.0, 0.0]), 0.1) == 0.0


def test_discount_factors_by_hand():
    factors = discount_factors(24, 0.10)
    assert factors[11] == pytest.approx(1 / 1.1)  # month 12: one year at 10%
    assert factors[23] == pytest.approx(1 / 1.21)
    assert factors[0] == pytest.approx(1.1 ** (-1 / 12))
    assert discount_factors(3, 0.0).tolist() == [1.0, 1.0, 1.0]


def test_payback_month_by_hand():
    curve = np.array([5.0, 12.0, 18.0, 23.0])
    assert payback_month(curve, 4.0) == 0
    assert payback_month(curve, 18.0) == 2
    assert payback_month(curve, 30.0) is None


def test_clv_distribution_bins_and_top_bin():
    clv = pd.Series(np.arange(100, dtype=float))  # 0..99; 99th percentile 98.01
    table = clv_distribution(clv, bins=10)
    assert table["customers"].sum() == 100
    assert table["total"].sum() == pytest.approx(clv.sum())
    assert table["open_end"].tolist() == [False] * 9 + [True]
    assert table["bin_start"].iloc[0] == 0


@pytest.fixture(scope="module")
def demo_like() -> pd.DataFrame:
    # Simulated BG/NBD buyers (r 0.5, alpha 10 days, p ~ Beta(1, 4)), 600 customers over
    # a year, spend lognormal: enough to fit, small enough to be quick.
    rng = np.random.default_rng(7)
    rows = []
    start = pd.Timestamp("2024-01-01")
    for i in range(600):
        rate = rng.gamma(0.5, 1 / 10)
        drop = rng.beta(1, 4)
        t = rng.uniform(0, 300)
        rows.append((f"C{i:04d}", start + pd.Timedelta(days=int(t)), float(rng.lognormal(3, 0.5))))
        while True:
            t += rng.exponential(1 / rate) if rate > 0 else 1e9
            if t > 365:
                break
            rows.append(
                (f"C{i:04d}", start + pd.Timedelta(days=int(t)), float(rng.lognormal(3, 0.5)))
            )
            if rng.random() < drop:
                break
    return pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])


def test_value_arithmetic_and_what_if(demo_like):
    data = rfm_summary(demo_like, unit="weeks")
    fit = fit_purchases(data.summary).fit
    spend = fit_spend(data.summary)
    fc = forecast(data, fit, spend, 12)
    assert fc.monthly.shape == (len(data.summary), 12)
    assert (fc.monthly >= 0).all()

    # CLV is linear in margin and, with no discounting, is margin x spend x purchases.
    plain = customer_clv(fc, margin=1.0, annual_discount=0.0)
    np.testing.assert_allclose(
        plain, fc.table["expected_purchases"] * fc.table["expected_spend"], rtol=1e-12
    )
    np.testing.assert_allclose(customer_clv(fc, 0.3, 0.1) * 2, customer_clv(fc, 0.6, 0.1))
    assert (customer_clv(fc, 1.0, 0.2) <= plain + 1e-12).all()

    uplift = repeat_uplift(fc, plain, 0.1)
    assert uplift.extra_revenue == pytest.approx(0.1 * plain.sum())
    assert uplift.extra_purchases == pytest.approx(0.1 * fc.table["expected_purchases"].sum())

    new = new_customer_value(fit, spend, fc, margin=0.5, annual_discount=0.0)
    assert new.curve[0] == pytest.approx(0.5 * fc.table["first_day_spend"].mean())
    assert np.all(np.diff(new.curve) >= 0)
    # Over 12 months with no discounting: first order + E[X(12 months)] x mean spend, halved.
    repeat = fit.expected_purchases_new(365.25 / 7)[0] * spend.population_mean
    assert new.value == pytest.approx(0.5 * (fc.table["first_day_spend"].mean() + repeat))

    channels = pd.Series(
        np.where(np.arange(len(fc.table)) % 2 == 0, "Email", "Paid social"), index=fc.table.index
    )
    result = acquisition_table(fc, plain, new, {"Email": 10.0, "Paid social": 30.0}, 0.5, channels)
    table = result.table
    assert pd.isna(table["group"].iloc[0])  # the first row is all customers
    assert set(table["group"].tolist()[1:]) == {"Email", "Paid social"}
    assert table.loc[0, "cac"] == pytest.approx(20.0)  # equal-sized channels
    assert table.loc[0, "new_value"] == pytest.approx(new.value)
    email = table[table["group"] == "Email"].iloc[0]
    assert email["ratio"] == pytest.approx(email["new_value"] / 10.0)
    assert set(result.curves["group"].dropna()) == {"Email", "Paid social"}

    by_channel = value_by_group(fc.table, plain, channels)
    assert by_channel["customers"].sum() == len(fc.table)
    assert by_channel["clv_share"].sum() == pytest.approx(1.0)


def test_plain_reading_of_bgnbd_parameters(demo_like):
    data = rfm_summary(demo_like, unit="days")
    fit = fit_purchases(data.summary).fit
    reading = purchase_reading(fit, 1.0)
    p = fit.params
    assert reading.purchases_per_month == pytest.approx(p["r"] / p["alpha"] * 365.25 / 12)
    assert reading.dropout_per_purchase == pytest.approx(p["a"] / (p["a"] + p["b"]))
    weeks = purchase_reading(fit_purchases(rfm_summary(demo_like, unit="weeks").summary).fit, 7.0)
    assert weeks.purchases_per_month == pytest.approx(reading.purchases_per_month, rel=1e-3)


# ---------------------------------------------------------------------------
# Degenerate data: a message key, a fallback where sensible, never an exception
# ---------------------------------------------------------------------------


def test_no_repeat_buyers():
    orders = _orders([(f"C{i}", f"2024-03-{i + 1:02d}", 10.0 + i) for i in range(25)])
    data = rfm_summary(orders)
    assert "clv.no_repeat_buyers" in _keys(data.problems)
    for model in ("bgnbd", "pnbd", "mbgnbd"):
        result = fit_purchases(data.summary, model)
        assert result.fit is None and result.problem.key == "clv.no_repeat_buyers"
    spend = fit_spend(data.summary)
    assert not spend.fitted and "clv.spend_fallback" in _keys(spend.problems)
    assert spend.expected_spend([0], [0])[0] == pytest.approx(np.mean(10.0 + np.arange(25)))


def test_one_day_of_data():
    orders = _orders(
        [("A", "2024-03-01 09:00", 5.0), ("A", "2024-03-01 18:00", 6.0), ("B", "2024-03-01", 7.0)]
    )
    data = rfm_summary(orders)
    assert _keys(data.problems)[:1] == ["clv.one_day"]
    assert fit_purchases(data.summary).problem.key in ("clv.no_repeat_buyers", "clv.one_day")


def test_single_customer():
    orders = _orders([("A", "2024-03-01", 5.0), ("A", "2024-03-09", 6.0), ("A", "2024-04-01", 7.0)])
    data = rfm_summary(orders)
    assert "clv.too_few_customers" in _keys(data.problems)
    # The text reads its threshold from core's constant (20 customers).
    assert fit_purchases(data.summary).problem == Problem(
        "clv.too_few_customers", {"minimum": MIN_CUSTOMERS}, "warning"
    )
    assert MIN_CUSTOMERS == 20


def test_cutoff_before_the_data():
    orders = _orders([("A", "2024-03-01", 5.0), ("A", "2024-03-09", 6.0)])
    data = rfm_summary(orders, cutoff="2023-12-31")
    assert data.summary.empty and _keys(data.problems) == ["clv.no_orders"]


def test_huge_and_zero_amounts(demo_like):
    data = rfm_summary(demo_like)
    base = fit_spend(data.summary)
    huge = fit_spend(rfm_summary(demo_like.assign(amount=demo_like["amount"] * 1e12)).summary)
    # Gamma-Gamma is scale-equivariant: p and q stay, v scales with the money.
    assert huge.params["p"] == pytest.approx(base.params["p"], rel=1e-4)
    assert huge.params["q"] == pytest.approx(base.params["q"], rel=1e-4)
    assert huge.params["v"] == pytest.approx(base.params["v"] * 1e12, rel=1e-4)
    zero = fit_spend(rfm_summary(demo_like.assign(amount=0.0)).summary)
    assert not zero.fitted and "clv.spend_fallback" in _keys(zero.problems)
    assert np.isfinite(zero.expected_spend([0, 3], [0.0, 0.0])).all()


def test_no_dropout_data_falls_back_without_an_exception():
    # Everyone buys every 7 days from their start to the end: no sign of dropping out.
    # The plain BG/NBD fit runs off to a -> 0 (lifetimes raises or returns a boundary).
    rows = []
    for i in range(60):
        day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=i)
        while day <= pd.Timestamp("2024-12-31"):
            rows.append((f"C{i}", day, 10.0))
            day += pd.Timedelta(days=7)
    data = rfm_summary(_orders([(c, str(d), a) for c, d, a in rows]))
    result = fit_purchases(data.summary, "bgnbd")
    if result.fit is None:
        assert result.problem.key == "clv.fit_failed"
    else:
        assert {"clv.penalized_fit", "clv.no_dropout"} & set(_keys(result.fit.problems))


def test_correlated_spend_is_flagged():
    # Heavier buyers spend more per purchase: Gamma-Gamma's assumption is broken.
    rows = []
    for i in range(40):
        for k in range(i % 8 + 2):
            rows.append((f"C{i}", f"2024-{k + 1:02d}-05", 10.0 * (i % 8 + 1) + k))
    spend = fit_spend(rfm_summary(_orders(rows)).summary)
    assert "clv.spend_correlated" in _keys(spend.problems)
    assert spend.correlation > 0.9


def test_unknown_model_or_unit_is_a_contract_error(small):
    with pytest.raises(ValueError, match="unit must be"):
        rfm_summary(small, unit="fortnights")
    with pytest.raises(ValueError, match="model must be"):
        fit_purchases(rfm_summary(small).summary, "nbd")


# ---------------------------------------------------------------------------
# Issue 12: purchases of 0, no verdict on a cost nobody entered, uncertain drop-out
# ---------------------------------------------------------------------------


def test_purchases_of_zero_count_and_only_zero_averages_leave_the_spend_model(demo_like):
    # Z1: first day 10, repeat days 0 and 20 -> frequency 2, average repeat spend 10
    # (the 0 counts at 0). Z2: first day 10, one repeat day of 0 -> average 0, left out.
    # Z3: a 0 line on a day with a paid line: that day's spend is 5, not a purchase of 0.
    extra = _orders(
        [
            ("Z1", "2024-02-01", 10.0),
            ("Z1", "2024-03-01", 0.0),
            ("Z1", "2024-04-01", 20.0),
            ("Z2", "2024-02-01", 10.0),
            ("Z2", "2024-05-01", 0.0),
            ("Z3", "2024-02-01", 10.0),
            ("Z3", "2024-06-01", 0.0),
            ("Z3", "2024-06-01", 5.0),
        ]
    )
    summary = rfm_summary(pd.concat([demo_like, extra], ignore_index=True)).summary
    assert summary.loc["Z1", ["frequency", "monetary_value", "zero_repeat_days"]].tolist() == [
        2,
        10.0,
        1,
    ]
    assert summary.loc["Z2", ["frequency", "monetary_value", "zero_repeat_days"]].tolist() == [
        1,
        0.0,
        1,
    ]
    assert summary.loc["Z3", ["frequency", "monetary_value", "zero_repeat_days"]].tolist() == [
        1,
        5.0,
        0,
    ]
    base = fit_spend(rfm_summary(demo_like).summary)
    spend = fit_spend(summary)
    assert (base.left_out, base.zero_purchases) == (0, 0)
    assert (spend.left_out, spend.zero_purchases) == (1, 2)
    assert spend.n_customers == base.n_customers + 2  # Z1 and Z3 in, Z2 out
    assert spend.fitted and spend.expected_spend([1], [0.0])[0] == pytest.approx(
        spend.population_mean
    )


def test_no_acquisition_cost_means_no_ratio_no_payback_no_verdict(demo_like):
    data = rfm_summary(demo_like, unit="weeks")
    fit = fit_purchases(data.summary).fit
    spend = fit_spend(data.summary)
    fc = forecast(data, fit, spend, 12)
    clv = customer_clv(fc, 0.3, 0.1)
    new = new_customer_value(fit, spend, fc, 0.3, 0.1)

    nothing = acquisition_table(fc, clv, new, None, 0.3)
    row = nothing.table.iloc[0]
    assert np.isnan(row["cac"]) and np.isnan(row["ratio"]) and pd.isna(row["payback_months"])
    assert row["new_value"] == pytest.approx(new.value)
    assert nothing.verdict is None
    assert acquisition_table(fc, clv, new, 0.0, 0.3).verdict is None  # a cost of 0: no ratio

    entered = acquisition_table(fc, clv, new, new.value / 4, 0.3)
    assert entered.table.loc[0, "ratio"] == pytest.approx(4.0)
    assert entered.verdict == "clv.ratio_good"
    assert acquisition_table(fc, clv, new, new.value / 2, 0.3).verdict == "clv.ratio_ok"
    assert acquisition_table(fc, clv, new, new.value * 2, 0.3).verdict == "clv.ratio_bad"

    # Per channel: a channel without a cost has no ratio, and the overall row waits for
    # every channel's cost.
    channels = pd.Series(
        np.where(np.arange(len(fc.table)) % 2 == 0, "Email", "Paid social"), index=fc.table.index
    )
    partial = acquisition_table(fc, clv, new, {"Email": 10.0, "Paid social": None}, 0.3, channels)
    table = partial.table.set_index(partial.table["group"].fillna("all"))
    assert table.loc["Email", "ratio"] == pytest.approx(table.loc["Email", "new_value"] / 10.0)
    assert np.isnan(table.loc["Paid social", "ratio"]) and np.isnan(table.loc["all", "cac"])
    assert partial.verdict is None


def test_uncertain_dropout_reading_and_holdout_verdicts():
    rng = np.random.default_rng(7)
    rows = []
    for customer in range(600):  # eight weeks of steady buyers (as in test_clv.py)
        rate = rng.gamma(1.0, 0.3)
        day = int(rng.integers(0, 20))
        while day < 56:
            rows.append((f"c{customer}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=day), 10.0))
            day += 1 + int(rng.exponential(1 / rate))
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    fit = fit_purchases(rfm_summary(orders, unit="weeks").summary, "bgnbd").fit
    assert purchase_reading(fit, 7.0).dropout_uncertain

    assert HoldoutCheck(10, 100.0, 109.0, 0.5).verdict == "clv.check_good"
    assert HoldoutCheck(10, 100.0, 85.0, 0.5).verdict == "clv.check_fair"
    assert HoldoutCheck(10, 100.0, 125.0, 0.5).verdict == "clv.check_poor"
