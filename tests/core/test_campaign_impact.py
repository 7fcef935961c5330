"""Pre/post impact without a control group: planted effects on generated series, and the simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.campaign.impact import _simulate, estimate_impact, kpi_series, series_from_table

START = pd.Timestamp("2025-03-03")


def _series(seed: int, effect: float, days_pre: int = 84, days_post: int = 28) -> pd.Series:
    """A daily KPI: level 1,000, weekend bump, noise SD 60; `effect` added from START on."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(
        START - pd.Timedelta(days=days_pre), periods=days_pre + days_post, freq="D"
    )
    weekly = np.where(dates.day_of_week >= 5, 150.0, 0.0)
    values = 1000 + weekly + rng.normal(0, 60, len(dates))
    values[dates >= START] += effect
    return pd.Series(values, index=dates)


def test_recovers_a_planted_effect_within_its_interval():
    result = estimate_impact(_series(1, effect=120.0), START, pre_periods=84, post_periods=28)
    assert result.ok
    low, high = result.cumulative[1], result.cumulative[2]
    assert low <= 120.0 * 28 <= high
    assert low > 0  # clearly detected
    assert result.average[1] <= 120.0 <= result.average[2]
    assert result.p_value < 0.01


def test_intervals_cover_the_planted_effect_across_seeds():
    errors, claimed, hits = [], [], 0
    for seed in range(40):
        planted = estimate_impact(_series(seed, effect=60.0), START, 84, 28)
        low, estimate, high = planted.cumulative[1], planted.cumulative[0], planted.cumulative[2]
        hits += low <= 60.0 * 28 <= high
        errors.append(estimate - 60.0 * 28)
        claimed.append((high - low) / (2 * 1.96))
    # 95% intervals: P(34 or more of 40 | 95%) = 0.99.
    assert hits >= 34
    # Unbiased, and the claimed spread matches the real spread of the estimates.
    assert abs(np.mean(errors)) < 3 * np.std(errors) / np.sqrt(40)
    assert 0.8 < np.std(errors) / np.mean(claimed) < 1.25
    null_flagged = 0
    for seed in range(10):
        null = estimate_impact(_series(100 + seed, effect=0.0), START, 84, 28)
        null_flagged += not (null.cumulative[1] <= 0 <= null.cumulative[2])
    assert null_flagged <= 2


def test_simulated_paths_match_statsmodels_forecast_intervals():
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    y = _series(7, 0.0).to_numpy()[:84]
    fit = UnobservedComponents((y - y.mean()) / y.std(), level="llevel", seasonal=7).fit(disp=False)
    paths = _simulate(fit, 14, 20000, seed=1)
    band = np.asarray(fit.get_forecast(14).conf_int(alpha=0.1))
    np.testing.assert_allclose(np.percentile(paths, 5, axis=0), band[:, 0], atol=0.05)
    np.testing.assert_allclose(np.percentile(paths, 95, axis=0), band[:, 1], atol=0.05)
    np.testing.assert_allclose(
        paths.mean(axis=0), np.asarray(fit.get_forecast(14).predicted_mean), atol=0.03
    )


def test_short_or_flat_series_give_messages():
    short = estimate_impact(_series(1, 0.0, days_pre=10), START)
    assert short.message.key == "campaign.impact_short_pre"
    flat = pd.Series(5.0, index=pd.date_range("2025-01-01", periods=60))
    assert estimate_impact(flat, "2025-02-15").message.key == "campaign.impact_flat"
    assert estimate_impact(_series(1, 0.0), "2030-01-01").message.key == "campaign.impact_no_post"


def test_kpi_series_fills_missing_days_and_weeks():
    orders = pd.DataFrame(
        {
            "order_date": pd.to_datetime(
                ["2025-01-01 10:00", "2025-01-01 15:00", "2025-01-04 00:00"]
            ),
            "amount": [10.0, 5.0, 7.0],
        }
    )
    daily = kpi_series(orders, "revenue")
    assert daily.tolist() == [15.0, 0.0, 0.0, 7.0]
    assert kpi_series(orders, "orders").tolist() == [2.0, 0.0, 0.0, 1.0]
    weekly = kpi_series(orders, "revenue", "W")
    assert weekly.sum() == 22.0


def test_pasted_series():
    frame = pd.DataFrame(
        {"d": pd.date_range("2025-01-01", periods=20).strftime("%Y-%m-%d"), "v": range(20)}
    )
    series, problem = series_from_table(frame)
    assert problem is None and len(series) == 20
    _, problem = series_from_table(frame.head(3))
    assert problem == "campaign.impact_bad_series"
    weekly, _ = series_from_table(
        pd.DataFrame({"d": pd.date_range("2025-01-06", periods=30, freq="7D"), "v": range(30)})
    )
    assert (weekly.index[1] - weekly.index[0]).days == 7
    assert estimate_impact(weekly, weekly.index[20]).frequency == "W"
    assert pytest.approx(weekly.iloc[3]) == 3
