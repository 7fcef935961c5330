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
    assert short.problem.key == "campaign.impact_short_pre"
    # The minimum is said, and the text's "28 days, 8 weeks" come from MIN_PRE_PERIODS.
    assert short.problem.params == {"n": 28, "have": 10, "days": 28, "weeks": 8}
    weekly = _series(1, 0.0, days_pre=42).resample("W-MON").sum()
    assert estimate_impact(weekly, START).problem.params["n"] == 8
    flat = pd.Series(5.0, index=pd.date_range("2025-01-01", periods=60))
    assert estimate_impact(flat, "2025-02-15").problem.key == "campaign.impact_flat"
    assert estimate_impact(_series(1, 0.0), "2030-01-01").problem.key == "campaign.impact_no_post"


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
    pasted = series_from_table(frame)
    assert pasted.problem is None and len(pasted.series) == 20 and pasted.frequency == "D"
    short = series_from_table(frame.head(3))
    assert short.series is None and short.problem.key == "campaign.impact_bad_series"
    assert short.problem.params == {"minimum": 10}
    weekly_read = series_from_table(
        pd.DataFrame({"d": pd.date_range("2025-01-06", periods=30, freq="7D"), "v": range(30)})
    )
    weekly = weekly_read.series
    assert weekly_read.frequency == "W"
    assert (weekly.index[1] - weekly.index[0]).days == 7
    assert estimate_impact(weekly, weekly.index[20]).frequency == "W"
    assert pytest.approx(weekly.iloc[3]) == 3


def test_pasted_day_first_dates_are_read_by_the_ingests_date_reader():
    """Issue 14: 28 rows of "DD/03/2026" were parsed by pd.to_datetime(format="mixed") month
    first where they could be (01/03 -> 3 January) and day first elsewhere, a series from
    2026-01-03 interpolated over 335 days. The ingest's reader (core.ingest.coerce.parse_dates)
    sees 13/03..28/03, so the column is day first: 1 to 28 March, one value a day."""
    frame = pd.DataFrame(
        {"date": [f"{day:02d}/03/2026" for day in range(1, 29)], "value": range(100, 128)}
    )
    pasted = series_from_table(frame)
    assert pasted.problem is None and pasted.notes == ()
    assert pasted.series.index[0] == pd.Timestamp("2026-03-01")
    assert pasted.series.index[-1] == pd.Timestamp("2026-03-28")
    assert len(pasted.series) == 28 and pasted.frequency == "D"
    assert pasted.series.tolist() == list(range(100, 128))  # nothing interpolated


def test_pasted_dates_that_read_either_way_say_how_they_were_read():
    # 01/03 .. 12/03 alone do not say which part is the day: read day first, and said.
    frame = pd.DataFrame({"date": [f"{day:02d}/03/2026" for day in range(1, 13)], "value": 1.0})
    pasted = series_from_table(frame)
    assert pasted.series.index[0] == pd.Timestamp("2026-03-01") and len(pasted.series) == 12
    assert [(n.key, n.params) for n in pasted.notes] == [
        ("campaign.impact_dates_order", {"order": "dmy"})
    ]
    # Text numbers are read by the ingest's number reader too.
    text = pd.DataFrame({"date": frame["date"], "value": ["1,200.50"] * 12})
    assert series_from_table(text).series.iloc[0] == 1200.5


def _seasonal(years: float, seed: int, effect_from=None, effect=0.0, end="2026-12-31") -> pd.Series:
    """A daily KPI: 30% growth a year, a weekend bump, a peak (x2) around 1 December, 5% noise."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end=end, periods=int(years * 365), freq="D")
    base = 1000 * (1 + 0.3 * np.arange(len(dates)) / 365)
    day = dates.day_of_year.to_numpy()
    peak = 1 + np.exp(-((((day - 335 + 182) % 365 - 182) / 25.0) ** 2))
    values = base * peak * np.where(dates.day_of_week >= 5, 1.15, 1.0)
    values = values * (1 + rng.normal(0, 0.05, len(dates)))
    if effect_from is not None:
        values[dates >= pd.Timestamp(effect_from)] += effect
    return pd.Series(values, index=dates)


def test_a_seasonal_peak_is_not_an_effect_with_last_year_in_the_history():
    # 16 months: too short for a yearly pattern, but last November is in the data.
    series = _seasonal(1.35, seed=3)
    result = estimate_impact(series, "2026-11-02", 56, 28)
    assert result.ok and result.last_year is not None
    assert result.cumulative[1] <= 0 <= result.cumulative[2]
    assert "campaign.impact_last_year" in {n.key for n in result.notes}
    # The same window without last year's weeks (history starts after them) reads the peak
    # as an effect and says that the yearly pattern is not modelled.
    short = estimate_impact(series[series.index >= "2026-01-01"], "2026-11-02", 56, 28)
    assert short.ok and short.last_year is None and short.cumulative[1] > 0
    assert "campaign.impact_no_yearly" in {n.key for n in short.notes}


def test_a_real_effect_outside_the_peak_is_still_found_with_last_years_scaling():
    series = _seasonal(1.5, seed=4, effect_from="2026-09-07", effect=400.0)
    result = estimate_impact(series, "2026-09-07", 56, 28)
    assert result.ok and result.last_year is not None
    assert result.cumulative[1] > 0
    assert result.cumulative[1] <= 400.0 * 28 <= result.cumulative[2]


def test_two_years_of_history_learn_the_yearly_pattern():
    series = _seasonal(3.0, seed=5)
    result = estimate_impact(series, "2026-11-02", None, 28)
    assert result.ok and result.seasonality == ("weekly", "yearly")
    assert result.last_year is None
    assert result.cumulative[1] <= 0 <= result.cumulative[2]
    planted = _seasonal(3.0, seed=5, effect_from="2026-11-02", effect=800.0)
    found = estimate_impact(planted, "2026-11-02", None, 28)
    assert found.cumulative[1] > 0


def test_demo_q4_ramp_is_not_an_effect_and_the_march_campaign_is(demo_series):
    """sample_data/README.md: November-December peaks in both years; March 2026's bump is the campaign."""
    q4 = estimate_impact(demo_series, "2025-11-03", 56, 28)
    assert q4.last_year is not None and q4.cumulative[1] <= 0 <= q4.cumulative[2]
    assert q4.unscaled[1] > 0  # the old reading: a "significant" rise that is the season
    assert q4.verdict == "unclear"
    march = estimate_impact(demo_series, "2026-03-02", 56, 28)
    assert march.cumulative[1] > 0 and march.p_value < 0.01 and march.verdict == "up"
    # September 2024 was the shop's launch ramp, not a season: scaled by it, September
    # 2025 would read as a fall; without the scaling it reads as a rise. No claim either way.
    september = estimate_impact(demo_series, "2025-09-01", 56, 28)
    assert september.cumulative[2] < 0 < september.unscaled[1]
    assert september.verdict == "season"


@pytest.fixture(scope="module")
def demo_series() -> pd.Series:
    from pathlib import Path

    from core.ingest import ingest_file
    from core.summary import orders_table

    path = Path(__file__).resolve().parents[2] / "sample_data" / "transactions.csv"
    result = ingest_file(path.read_bytes(), path.name, "transactions")
    return kpi_series(orders_table(result.table), "revenue", "D")
