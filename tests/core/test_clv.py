"""CLV models on CDNOW from the raw transactions: the literature's estimates, and agreement with lifetimes.

CDNOW_sample.txt ships with lifetimes (2,357 customers who first bought in Q1 1997,
purchases to June 1998). It goes through the project's own ingest and summary, never
a pre-made summary. Known answers:

- BG/NBD, calibration through 1997-09-30, weeks: r 0.243, alpha 4.414, a 0.793,
  b 2.426, LL -9582.4 (Fader, Hardie & Lee 2005, "Counting your customers the easy
  way", Marketing Science 24(2), section 4).
- Pareto/NBD on the same data: r 0.553, alpha 10.58, s 0.606, beta 11.67, LL -9595.0
  (same paper, and Fader & Hardie's Pareto/NBD note 2005).
- Gamma-Gamma on the 946 calibration repeat buyers' mean repeat spend: p 6.25,
  q 3.74, gamma 15.44 (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").
"""

from __future__ import annotations

import os

import lifetimes
import numpy as np
import pandas as pd
import pytest
from lifetimes import BetaGeoFitter, GammaGammaFitter, ModifiedBetaGeoFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data

from core.clv import (
    customer_clv,
    dropout_is_uncertain,
    fit_purchases,
    fit_spend,
    forecast,
    frequency_recency_matrix,
    holdout_by_frequency,
    holdout_check,
    rfm_summary,
    tracking_curve,
)
from core.clv.models import numerical_hessian
from core.ingest import RowPolicy, ingest_file
from core.summary import orders_table

CDNOW = os.path.join(os.path.dirname(lifetimes.__file__), "datasets", "CDNOW_sample.txt")
CUTOFF = "1997-09-30"
KEEP_ALL = RowPolicy(identical_rows="keep", zero_amounts="keep")
END = "1998-06-30"


@pytest.fixture(scope="module")
def cdnow_ingest():
    """CDNOW as an uploaded CSV, every line kept (the intake's default for transactions
    without an order id: identical lines are separate purchases, a purchase of 0 is a
    purchase; passed explicitly here)."""
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master_id", "customer_id", "order_date", "quantity", "amount"],
        dtype=str,
    )
    csv = raw.drop(columns="master_id").to_csv(index=False).encode()
    result = ingest_file(csv, "cdnow.csv", "transactions", policy=KEEP_ALL)
    assert result.table is not None
    return result


@pytest.fixture(scope="module")
def cdnow_orders(cdnow_ingest):
    return orders_table(cdnow_ingest.table)


@pytest.fixture(scope="module")
def calibration(cdnow_orders):
    return rfm_summary(cdnow_orders, CUTOFF, "weeks", end=END)


def test_ingest_accounts_for_every_cdnow_line(cdnow_ingest, cdnow_orders):
    report = cdnow_ingest.report
    assert report.rows_read == 6919
    assert report.set_aside == {}
    # All 2,357 customers, the 8 whose only purchase was 0.00 included (as the papers).
    assert cdnow_orders["customer_id"].nunique() == 2357
    assert int((cdnow_ingest.table["amount"] == 0).sum()) == 8


def test_summary_matches_lifetimes_summary(cdnow_orders):
    ours = rfm_summary(cdnow_orders, CUTOFF, "weeks").summary.sort_index()
    calibration = cdnow_orders[cdnow_orders["order_date"] <= CUTOFF]
    reference = summary_data_from_transaction_data(
        calibration.assign(customer_id=calibration["customer_id"].astype(str)),
        "customer_id",
        "order_date",
        "amount",
        freq="D",
        observation_period_end=CUTOFF,
    ).sort_index()
    assert ours.index.tolist() == reference.index.tolist()
    assert ours["frequency"].tolist() == reference["frequency"].astype(int).tolist()
    np.testing.assert_allclose(ours["recency"], reference["recency"] / 7)
    np.testing.assert_allclose(ours["T"], reference["T"] / 7)
    np.testing.assert_allclose(ours["monetary_value"], reference["monetary_value"])
    assert (ours["recency"] <= ours["T"]).all()


def test_bgnbd_reproduces_fader_hardie_lee_2005(calibration):
    summary = calibration.summary
    assert len(summary) == 2357
    assert int(summary["frequency"].sum()) == 2457  # repeat purchase days, weeks 1-39
    result = fit_purchases(summary, "bgnbd")
    assert result.problem is None
    fit = result.fit
    assert {k: round(v, 3) for k, v in fit.params.items()} == {
        "r": 0.243,
        "alpha": 4.414,
        "a": 0.793,
        "b": 2.426,
    }
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert fit.penalizer == 0 and fit.problems == ()
    assert all(se > 0 for se in fit.standard_errors.values())


def test_pareto_nbd_reproduces_the_published_estimates(calibration):
    fit = fit_purchases(calibration.summary, "pnbd").fit
    assert round(fit.params["r"], 3) == 0.553
    assert round(fit.params["alpha"], 2) == 10.58
    assert round(fit.params["s"], 3) == 0.606
    assert round(fit.params["beta"], 2) == 11.67
    assert fit.log_likelihood == pytest.approx(-9595.0, abs=0.05)


def test_pareto_nbd_agrees_with_lifetimes_own_fitter(calibration):
    s = calibration.summary
    reference = ParetoNBDFitter().fit(
        s["frequency"], s["recency"], s["T"], initial_params=[0.5, 0.3, 0.5, 0.3]
    )
    ours = fit_purchases(s, "pnbd").fit
    for name in ("r", "alpha", "s", "beta"):
        assert ours.params[name] == pytest.approx(reference.params_[name], rel=2e-3), name
    x, t_x, T = s["frequency"], s["recency"], s["T"]
    np.testing.assert_allclose(
        ours.probability_alive(x, t_x, T),
        reference.conditional_probability_alive(x, t_x, T),
        rtol=5e-3,
    )


def test_numerical_standard_errors_match_lifetimes_autograd(calibration):
    # The Pareto/NBD standard errors come from numerical_hessian; check that routine
    # against lifetimes' autograd Hessian on BG/NBD, where both exist.
    s = calibration.summary
    fitter = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    scale = fitter._scale
    args = (
        s["frequency"].to_numpy(),
        s["recency"].to_numpy() * scale,
        s["T"].to_numpy() * scale,
        np.ones(len(s)),
        0.0,
    )
    log_params = np.log(fitter.params_.to_numpy() * np.array([1, scale, 1, 1]))
    hessian = numerical_hessian(
        lambda p: BetaGeoFitter._negative_log_likelihood(p, *args) * len(s), log_params
    )
    errors = fitter.params_.to_numpy() * np.sqrt(np.diag(np.linalg.inv(hessian)))
    np.testing.assert_allclose(errors, fitter.standard_errors_.to_numpy(), rtol=1e-3)


def test_mbgnbd_matches_lifetimes(calibration):
    s = calibration.summary
    reference = ModifiedBetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    ours = fit_purchases(s, "mbgnbd").fit
    for name in ("r", "alpha", "a", "b"):
        assert ours.params[name] == pytest.approx(reference.params_[name], rel=1e-4), name


def test_gamma_gamma_reproduces_fader_hardie_2013(cdnow_orders):
    spend = fit_spend(rfm_summary(cdnow_orders, CUTOFF, "weeks").summary)
    assert spend.n_customers == 946
    assert round(spend.params["p"], 2) == 6.25
    assert round(spend.params["q"], 2) == 3.74
    assert round(spend.params["v"], 2) == 15.44
    assert spend.problems == ()  # frequency and spend are nearly uncorrelated in CDNOW
    assert abs(spend.correlation) < 0.3


def test_predictions_and_clv_agree_with_lifetimes(cdnow_orders):
    # Unit months so lifetimes' CLV (which steps in months of the data's unit) uses the
    # same calendar months as ours.
    data = rfm_summary(cdnow_orders, unit="months")
    s = data.summary
    x, t_x, T, m = s["frequency"], s["recency"], s["T"], s["monetary_value"]
    bgf = BetaGeoFitter().fit(x, t_x, T)
    repeat = s[s["frequency"] > 0]
    ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])

    fit = fit_purchases(s, "bgnbd").fit
    spend = fit_spend(s)
    np.testing.assert_allclose(
        fit.probability_alive(x, t_x, T), bgf.conditional_probability_alive(x, t_x, T), rtol=1e-4
    )
    np.testing.assert_allclose(
        fit.expected_purchases(6, x, t_x, T),
        bgf.conditional_expected_number_of_purchases_up_to_time(6, x, t_x, T),
        rtol=1e-4,
    )
    np.testing.assert_allclose(
        spend.expected_spend(x, m), ggf.conditional_expected_average_profit(x, m), rtol=1e-4
    )
    annual = 0.12
    monthly = (1 + annual) ** (1 / 12) - 1
    reference = ggf.customer_lifetime_value(
        bgf, x, t_x, T, m, time=12, discount_rate=monthly, freq="M"
    )
    # Our "month" is 365.25/12 days; in unit months that is exactly 1.
    ours = customer_clv(forecast(data, fit, spend, 12), margin=1.0, annual_discount=annual)
    np.testing.assert_allclose(ours.to_numpy(), reference.to_numpy(), rtol=1e-3)


def test_holdout_counts_and_checks(calibration, cdnow_orders):
    s = calibration.summary
    # Hand count: distinct purchase days from 1997-10-01 to 1998-06-30 per customer.
    later = cdnow_orders[
        (cdnow_orders["order_date"] > CUTOFF) & (cdnow_orders["order_date"] <= END)
    ]
    by_hand = later.groupby("customer_id")["order_date"].nunique()
    assert int(s["holdout_frequency"].sum()) == int(by_hand.sum()) == 1882
    assert calibration.holdout_length == pytest.approx(39.0)  # weeks 40-78

    fit = fit_purchases(s, "bgnbd").fit
    bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    predicted = bgf.conditional_expected_number_of_purchases_up_to_time(
        39, s["frequency"], s["recency"], s["T"]
    ).sum()
    check = holdout_check(calibration, fit)
    assert check.actual == 1882
    assert check.predicted == pytest.approx(predicted, rel=1e-4)
    assert check.error == pytest.approx((predicted - 1882) / 1882, rel=1e-3)

    table = holdout_by_frequency(calibration, fit)
    assert table["customers"].sum() == 2357
    assert table["frequency"].tolist() == list(range(8))
    assert table.loc[0, "actual"] == pytest.approx(
        s.loc[s["frequency"] == 0, "holdout_frequency"].mean()
    )


def test_tracking_curve(calibration, cdnow_orders):
    fit = fit_purchases(calibration.summary, "bgnbd").fit
    curve = tracking_curve(cdnow_orders, calibration, fit)
    assert curve["actual"].is_monotonic_increasing
    # At the end: every repeat purchase day of weeks 1-78 (2,457 before the cut-off + 1,882 after).
    assert curve["actual"].iloc[-1] == 2457 + 1882
    assert curve["actual_step"].sum() == 2457 + 1882
    assert curve["predicted_step"].sum() == pytest.approx(curve["predicted"].iloc[-1])
    # At the cut-off: E[X(T_i)] summed over customers (eq. 7 of the paper, via lifetimes).
    at_cutoff = curve[curve["date"] == pd.Timestamp(CUTOFF)]
    bgf = BetaGeoFitter().fit(
        calibration.summary["frequency"], calibration.summary["recency"], calibration.summary["T"]
    )
    expected = bgf.expected_number_of_purchases_up_to_time(calibration.summary["T"]).sum()
    assert len(at_cutoff) == 1  # weekly steps from 1997-01-01 land on the cut-off (day 273)
    assert at_cutoff["predicted"].iloc[0] == pytest.approx(expected, rel=1e-4)
    assert curve["holdout"].any() and not curve["holdout"].all()


def test_frequency_recency_matrix_uses_the_oldest_customers(calibration):
    fit = fit_purchases(calibration.summary, "bgnbd").fit
    grid = frequency_recency_matrix(fit, calibration, horizon=10)
    T = calibration.summary["T"].max()
    row = grid[(grid["frequency"] == 3)].iloc[5]
    middle = (row["recency"] + row["recency_end"]) / 2
    bgf = BetaGeoFitter()
    bgf.params_ = pd.Series(fit.params)
    assert row["p_alive"] == pytest.approx(
        bgf.conditional_probability_alive(3, middle, T), rel=1e-6
    )
    assert grid["customers"].sum() == len(calibration.summary)


def test_demo_data_tells_the_story_in_sample_data_readme():
    # sample_data/README.md ("Customer lifetime value"), measured with lifetimes when the
    # demo was generated: BG/NBD r 0.42, alpha 9.6 (days), a 0.52, b 3.5; frequency and
    # spend nearly uncorrelated (r 0.03); calibrating to 2025-06-30 and predicting the
    # next 12 months gives 15,217 predicted orders against 15,974 actual (ratio 0.95,
    # per-customer r 0.74); a cut right after the peak (2025-12-31) overpredicts by 30%.
    root = os.path.join(os.path.dirname(__file__), "..", "..", "sample_data")
    with open(os.path.join(root, "transactions.csv"), "rb") as handle:
        result = ingest_file(handle.read(), "transactions.csv", "transactions")
    orders = orders_table(result.table)

    full = rfm_summary(orders, unit="days")
    fit = fit_purchases(full.summary).fit
    assert round(fit.params["r"], 2) == 0.42
    assert round(fit.params["alpha"], 1) == 9.6
    assert round(fit.params["a"], 2) == 0.52
    assert round(fit.params["b"], 1) == 3.5
    assert round(fit_spend(full.summary).correlation, 2) == 0.03

    year = rfm_summary(orders, "2025-06-30", "days", end="2026-06-30")
    check = holdout_check(year, fit_purchases(year.summary).fit)
    assert round(check.predicted) == 15217
    # The README counts orders (15,974); the model counts purchase days (a few
    # customers ordered twice on one day).
    assert 15_900 <= check.actual <= 15_974
    assert round(check.predicted / check.actual, 2) == 0.95
    assert round(check.correlation, 2) == 0.74

    after_peak = rfm_summary(orders, "2025-12-31", "days", end="2026-06-30")
    peak_check = holdout_check(after_peak, fit_purchases(after_peak.summary).fit)
    assert round(peak_check.error, 1) == 0.3


def test_dropout_uncertainty_flags_a_short_history_not_cdnow(calibration):
    # CDNOW's 39 calibration weeks pin a and b down (Fader, Hardie & Lee 2005 report
    # a = 0.793, b = 2.426 with tight errors): no warning.
    assert not dropout_is_uncertain(fit_purchases(calibration.summary, "bgnbd").fit)
    # Eight weeks of steady Poisson buyers who never leave: the drop-out parameters are
    # not identified, their standard errors exceed the estimates, and the page warns.
    rng = np.random.default_rng(7)
    rows = []
    for customer in range(600):
        rate = rng.gamma(1.0, 0.3)  # purchases per day
        day = int(rng.integers(0, 20))
        while day < 56:
            rows.append((f"c{customer}", pd.Timestamp("2024-01-01") + pd.Timedelta(days=day), 10.0))
            day += 1 + int(rng.exponential(1 / rate))
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    short = rfm_summary(orders, unit="weeks").summary
    assert dropout_is_uncertain(fit_purchases(short, "bgnbd").fit)
