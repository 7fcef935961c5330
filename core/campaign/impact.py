"""Campaign impact without a control group: a counterfactual forecast from the pre-period.

In the spirit of CausalImpact (Brodersen et al. 2015, "Inferring causal impact using
Bayesian structural time-series models"): a structural time-series model (a local
level whose standard deviation is fixed at 0.01 of the series' own, CausalImpact's
default prior; a fixed day-of-week pattern for daily data with three weeks or more
before the start; with two years or more, a fixed yearly pattern of ten harmonics,
learnt on the log scale because a seasonal peak grows with the business;
statsmodels ``UnobservedComponents``) is fitted to the KPI before the campaign and
forecast over the campaign period. The effect is observed minus forecast; intervals
come from simulating the fitted model forward from the filtered state at the start of
the campaign, so the cumulative effect's interval accounts for how errors add up.

With less than two years before the start a yearly pattern cannot be learnt (one
cycle cannot be told apart from growth). When the history covers the same weeks one
year earlier, the forecast is then scaled by how far those weeks rose above the same
model's forecast last year (a placebo estimate at the same date: a Christmas peak
that also came last year is not campaign effect); the uncertainty of that factor is
carried into the simulated paths. Unlike CausalImpact, the model's parameters are
fixed at their maximum-likelihood values (their uncertainty is not included).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.structural import UnobservedComponents

from core.calendar import DAYS_PER_WEEK, DAYS_PER_YEAR
from core.campaign.readings import Figure, money, p_phrase, reading, share
from core.ingest.coerce import parse_dates, parse_numbers
from core.problems import Problem

Frequency = Literal["D", "W"]
MIN_PRE_PERIODS = {"D": 28, "W": 8}
# The page's starting windows: eight weeks before, four weeks after (in days or weeks).
DEFAULT_PRE_PERIODS = {"D": 56, "W": 8}
DEFAULT_POST_PERIODS = {"D": 28, "W": 4}
# A pasted series needs this many readable rows.
MIN_PASTED_ROWS = 10
# Periods in a year, and the history a yearly pattern needs (two full cycles).
YEAR_PERIODS = {"D": DAYS_PER_YEAR, "W": DAYS_PER_YEAR / DAYS_PER_WEEK}
YEARLY_MIN_PERIODS = {"D": 730, "W": 104}
YEARLY_HARMONICS = 10
LEVEL_SD = 0.01
# Same weekday one year earlier (52 weeks).
YEAR_SHIFT = pd.Timedelta(days=364)

# A pasted series prefilled while the demo is loaded: weekend bump, some noise and
# +400 a day from 2026-03-02 (the 57th day).
EXAMPLE_SERIES = pd.DataFrame(
    {
        "date": pd.date_range("2026-01-05", periods=70, freq="D").strftime("%Y-%m-%d"),
        "value": [
            1000 + 150 * (i % 7 in (5, 6)) + 25 * ((i * 37) % 11 - 5) + 400 * (i >= 56)
            for i in range(70)
        ],
    }
)


def kpi_series(
    orders: pd.DataFrame, kpi: Literal["revenue", "orders"], frequency: Frequency = "D"
) -> pd.Series:
    """Daily (or weekly, weeks starting Monday) revenue or order count, days without orders as 0.

    Expects `core.summary.orders_table` output (order_date, amount).
    """
    dates = orders["order_date"].dt.normalize()
    values = orders["amount"] if kpi == "revenue" else pd.Series(1.0, index=orders.index)
    daily = values.groupby(dates).sum()
    full = pd.date_range(daily.index.min(), daily.index.max(), freq="D")
    daily = daily.reindex(full, fill_value=0.0).astype(np.float64)
    if frequency == "W":
        daily = daily.resample("W-MON", label="left", closed="left").sum()
    daily.index.name = "date"
    return daily


@dataclass(frozen=True)
class PastedSeries:
    """A pasted (date, value) table read as a regular series, or the problem that stops it.

    frequency: "W" when the dates step by six days or more, else "D". notes: how
    ambiguous dates (05/03/2026) were read, when nothing in the column decided it.
    """

    series: pd.Series | None
    frequency: Frequency = "D"
    problem: Problem | None = None
    notes: tuple[Problem, ...] = ()


def _pasted_dates(column: pd.Series) -> tuple[pd.Series, Problem | None]:
    """The pasted dates through the ingest's one date reader (`core.ingest.coerce.parse_dates`).

    Its day/month order comes from the column's own evidence (a first part above 12
    is a day): 28 rows of "DD/03/2026" are 1 to 28 March. When nothing decides it,
    dates are read day first and a note says so.
    """
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column, None
    reading_ = parse_dates(column.astype("string"))
    note = None
    if reading_.order_evidence in ("ambiguous", "conflict"):
        note = Problem("campaign.impact_dates_order", {"order": reading_.order_used}, "info")
    return reading_.values, note


def _pasted_values(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.astype("float64")
    return parse_numbers(column.astype("string")).values


def series_from_table(frame: pd.DataFrame) -> PastedSeries:
    """A pasted two-column table (date, value) -> a regular series (gaps interpolated), or a problem.

    Dates are read by the ingest's date reader (day/month order from the column's own
    evidence), numbers by its number reader. Rows whose date or value cannot be read are
    left out; fewer than MIN_PASTED_ROWS readable rows is `campaign.impact_bad_series`.
    """
    bad = Problem("campaign.impact_bad_series", {"minimum": MIN_PASTED_ROWS}, "info")
    if frame.shape[1] < 2:
        return PastedSeries(None, problem=bad)
    dates, note = _pasted_dates(frame.iloc[:, 0].reset_index(drop=True))
    values = _pasted_values(frame.iloc[:, 1].reset_index(drop=True))
    ok = dates.notna() & values.notna()
    if ok.sum() < MIN_PASTED_ROWS:
        return PastedSeries(None, problem=bad)
    series = pd.Series(
        values[ok].to_numpy(np.float64), index=pd.DatetimeIndex(dates[ok]).normalize()
    )
    series = series.groupby(level=0).sum().sort_index()
    steps = series.index.to_series().diff().dropna().dt.days
    step = int(steps.mode().iloc[0]) if len(steps) else 1
    freq: Frequency = "W" if step >= 6 else "D"
    full = pd.date_range(series.index.min(), series.index.max(), freq="7D" if freq == "W" else "D")
    series = series.reindex(full).interpolate(limit_direction="both")
    series.index.name = "date"
    return PastedSeries(series, freq, None, (note,) if note else ())


def span(series: pd.Series) -> tuple[dt.date, dt.date]:
    """The first and last day of a series (the campaign start can be picked between them)."""
    return series.index.min().date(), series.index.max().date()


def frequency_of(series: pd.Series) -> Frequency:
    """ "W" for a weekly series (periods six days apart or more), else "D"."""
    step = (series.index[1] - series.index[0]).days if len(series) > 1 else 1
    return "W" if step >= 6 else "D"


@dataclass(frozen=True)
class ImpactResult:
    """Observed against forecast, per period and summed over the campaign period.

    frame: date, observed, predicted, predicted_low, predicted_high, effect,
    effect_low, effect_high, cumulative, cumulative_low, cumulative_high, post (bool).
    seasonality: the patterns modelled ("weekly", "yearly"); last_year: the placebo
    estimate at the same date one year earlier (relative effect, low, high) when the
    forecast was scaled by it, else None.
    """

    frame: pd.DataFrame
    average: tuple[float, float, float]  # effect per period: estimate, low, high
    cumulative: tuple[float, float, float]
    relative: tuple[float, float, float]  # cumulative effect / cumulative forecast
    p_value: float  # share of simulated paths at least as far from zero as observed (two-sided)
    frequency: Frequency = "D"
    problem: Problem | None = None
    notes: tuple[Problem, ...] = field(default_factory=tuple)
    seasonality: tuple[str, ...] = ()
    last_year: tuple[float, float, float] | None = None
    unscaled: tuple[float, float, float] | None = None  # cumulative without last year's scaling

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def verdict(self) -> Literal["up", "down", "unclear", "season"]:
        """What the data can say: a clear rise or fall, nothing clear, or not separable from the season.

        With last year's scaling, a direction is claimed only when the forecast without
        that scaling shows the same clear direction (a launch ramp or a one-off last
        year must not turn into a campaign effect either way).
        """
        low, high = self.cumulative[1], self.cumulative[2]
        way = "up" if low > 0 else ("down" if high < 0 else "unclear")
        if way == "unclear" or self.unscaled is None:
            return way
        agrees = self.unscaled[1] > 0 if way == "up" else self.unscaled[2] < 0
        return way if agrees else "season"

    @property
    def average_shown(self) -> tuple[Figure, Figure, Figure]:
        return tuple(money(v) for v in self.average)  # type: ignore[return-value]

    @property
    def cumulative_shown(self) -> tuple[Figure, Figure, Figure]:
        return tuple(money(v) for v in self.cumulative)  # type: ignore[return-value]

    @property
    def relative_shown(self) -> tuple[Figure, Figure, Figure]:
        return tuple(share(v) for v in self.relative)  # type: ignore[return-value]

    @property
    def reading(self) -> Problem:
        """What the data can say about the effect, in one sentence (`verdict`)."""
        return reading(
            f"campaign.impact_reading_{self.verdict}",
            total=money(self.cumulative[0]),
            low=money(self.cumulative[1]),
            high=money(self.cumulative[2]),
            rel=share(self.relative[0]),
            p=p_phrase(self.p_value),
        )


def _failed(key: str, **params: object) -> ImpactResult:
    nan3 = (math.nan, math.nan, math.nan)
    return ImpactResult(pd.DataFrame(), nan3, nan3, nan3, math.nan, problem=Problem(key, params))


def estimate_impact(
    series: pd.Series,
    start: pd.Timestamp | str,
    pre_periods: int | None = None,
    post_periods: int | None = None,
    level: float = 0.95,
    simulations: int = 2000,
    seed: int = 11,
) -> ImpactResult:
    """Effect of a campaign that started at `start` on a regular KPI series.

    With two years or more before `start` the model learns from all of them (weekly
    and yearly patterns); otherwise `pre_periods` limits the training window to the
    last periods before `start` (default: all) and, when the history reaches the same
    weeks a year earlier, the forecast is scaled by last year's placebo estimate.
    `post_periods` limits the evaluation window (default: to the end). Refuses
    (`campaign.impact_short_pre`) with fewer than 28 days or 8 weeks before `start`.
    """
    start = pd.Timestamp(start).normalize()
    series = series.astype(np.float64).sort_index()
    frequency = frequency_of(series)
    history = series[series.index < start]
    post = series[series.index >= start]
    if post_periods:
        post = post.iloc[:post_periods]
    if len(post) == 0:
        return _failed("campaign.impact_no_post")
    need = MIN_PRE_PERIODS[frequency]
    if len(history) < need:
        return _failed(
            "campaign.impact_short_pre",
            n=need,
            have=len(history),
            days=MIN_PRE_PERIODS["D"],
            weeks=MIN_PRE_PERIODS["W"],
        )
    yearly = len(history) >= YEARLY_MIN_PERIODS[frequency]
    pre = history if yearly or not pre_periods else history.iloc[-pre_periods:]
    factor = None
    if not yearly:
        factor = _last_year_factor(series, start, pre_periods, len(post), frequency, seed)
    result = _fit(pre, post, frequency, yearly, factor, level, simulations, seed)
    if not result.ok or yearly:
        return result
    if factor is not None:
        plain = _fit(pre, post, frequency, False, None, level, simulations, seed)
        return replace(result, unscaled=plain.cumulative)
    return replace(result, notes=(*result.notes, Problem("campaign.impact_no_yearly")))


def _last_year_factor(
    series: pd.Series,
    start: pd.Timestamp,
    pre_periods: int | None,
    horizon: int,
    frequency: Frequency,
    seed: int,
) -> tuple[float, float, tuple[float, float, float]] | None:
    """log(1 + relative effect) of the same model at the same date a year earlier, its SD and the effect.

    None when the history does not cover those weeks (with enough periods before them).
    """
    before = start - YEAR_SHIFT
    history = series[series.index < before]
    post = series[series.index >= before].iloc[:horizon]
    if len(history) < MIN_PRE_PERIODS[frequency] or len(post) < horizon:
        return None
    if post.index[-1] >= start:
        return None  # last year's window would overlap this year's pre-period start
    pre = history.iloc[-pre_periods:] if pre_periods else history
    placebo = _fit(pre, post, frequency, False, None, 0.95, 2000, seed + 1, paths_only=True)
    if placebo is None:
        return None
    observed, forecast_totals = placebo
    ok = forecast_totals > 0
    if observed <= 0 or ok.mean() < 0.99:
        return None
    logs = np.log(observed) - np.log(forecast_totals[ok])
    rel = np.expm1(np.percentile(logs, [50, 2.5, 97.5]))
    return (
        float(np.log(observed / np.median(forecast_totals))),
        float(np.std(logs)),
        tuple(float(r) for r in rel),
    )


def _fit(
    pre: pd.Series,
    post: pd.Series,
    frequency: Frequency,
    yearly: bool,
    factor: tuple[float, float, tuple[float, float, float]] | None,
    level: float,
    simulations: int,
    seed: int,
    paths_only: bool = False,
):
    """Fit on `pre`, forecast over `post`: an ImpactResult (or, paths_only, observed and forecast totals)."""
    if float(pre.std()) == 0:
        return None if paths_only else _failed("campaign.impact_flat")
    # A yearly peak grows with the business (multiplicative): learnt on the log scale.
    log = yearly and bool((pre > 0).all())
    learn = np.log(pre) if log else pre
    scale, centre = float(learn.std()), float(learn.mean())

    def back(values):
        values = np.asarray(values) * scale + centre
        return np.exp(values) if log else values

    y = (learn.to_numpy() - centre) / scale
    seasonal = 7 if frequency == "D" and len(pre) >= 3 * 7 else None
    extra = {}
    if yearly:
        extra = {
            "freq_seasonal": [{"period": YEAR_PERIODS[frequency], "harmonics": YEARLY_HARMONICS}],
            "stochastic_freq_seasonal": [False],
        }
    model = UnobservedComponents(
        y, level="llevel", seasonal=seasonal, stochastic_seasonal=False, **extra
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # CausalImpact's default: the level may drift by 1% of the series' SD per period.
        # Left free, the level's variance soaks up every swing of the pre-period and the
        # forecast interval fans out until nothing could ever be detected.
        fit = model.fit_constrained({"sigma2.level": LEVEL_SD**2}, disp=False, maxiter=200)
    h = len(post)
    paths = back(_simulate(fit, h, simulations, seed))
    observed = post.to_numpy()
    if paths_only:
        return float(observed.sum()), paths.sum(axis=1)
    alpha = 1 - level
    fc = fit.get_forecast(h)
    predicted = back(fc.predicted_mean)
    band = back(fc.conf_int(alpha=alpha))
    if factor is not None:
        # Last year's same weeks: scale the forecast, and each path by a draw of the factor.
        log_factor, log_sd, _ = factor
        draws = np.random.default_rng(seed + 2).normal(log_factor, log_sd, simulations)
        paths = paths * np.exp(draws)[:, None]
        predicted = predicted * math.exp(log_factor)
        band = band * math.exp(log_factor)

    effect_paths = observed[None, :] - paths
    cum_paths = np.cumsum(effect_paths, axis=1)
    lo, hi = 100 * alpha / 2, 100 * (1 - alpha / 2)
    effect = observed - predicted
    cumulative = np.cumsum(effect)
    post_frame = pd.DataFrame(
        {
            "date": post.index,
            "observed": observed,
            "predicted": predicted,
            "predicted_low": band[:, 0],
            "predicted_high": band[:, 1],
            "effect": effect,
            "effect_low": observed - band[:, 1],
            "effect_high": observed - band[:, 0],
            "cumulative": cumulative,
            "cumulative_low": np.percentile(cum_paths, lo, axis=0),
            "cumulative_high": np.percentile(cum_paths, hi, axis=0),
            "post": True,
        }
    )
    in_sample = back(fit.fittedvalues)
    pre_frame = pd.DataFrame(
        {
            "date": pre.index,
            "observed": pre.to_numpy(),
            "predicted": in_sample,
            "post": False,
        }
    )
    # The first periods' one-step predictions are poor while the filter starts up.
    pre_frame.loc[pre_frame.index[: (seasonal or 1) + 1], "predicted"] = np.nan
    frame = pd.concat([pre_frame, post_frame], ignore_index=True)
    total = cum_paths[:, -1]
    average = (
        float(cumulative[-1] / h),
        float(np.percentile(total, lo) / h),
        float(np.percentile(total, hi) / h),
    )
    cum = (float(cumulative[-1]), float(np.percentile(total, lo)), float(np.percentile(total, hi)))
    forecast_total = paths.sum(axis=1)
    rel_paths = total / np.where(forecast_total != 0, forecast_total, np.nan)
    base = float(predicted.sum())
    relative = (
        float(cumulative[-1] / base) if base else math.nan,
        float(np.nanpercentile(rel_paths, lo)),
        float(np.nanpercentile(rel_paths, hi)),
    )
    # Two-sided tail probability of the observed total under the no-effect forecast.
    centred = forecast_total - forecast_total.mean()
    p_value = float(np.mean(np.abs(centred) >= abs(observed.sum() - forecast_total.mean())))
    notes = []
    if frequency == "D" and seasonal is None:
        notes.append(Problem("campaign.impact_no_weekly"))
    if factor is not None:
        notes.append(
            Problem(
                "campaign.impact_last_year",
                {
                    "rel": round(100 * factor[2][0], 1),
                    "low": round(100 * factor[2][1], 1),
                    "high": round(100 * factor[2][2], 1),
                },
            )
        )
    patterns = tuple(
        name for name, on in (("weekly", seasonal is not None), ("yearly", yearly)) if on
    )
    return ImpactResult(
        frame,
        average,
        cum,
        relative,
        p_value,
        frequency,
        notes=tuple(notes),
        seasonality=patterns,
        last_year=factor[2] if factor is not None else None,
    )


def _simulate(fit, horizon: int, repetitions: int, seed: int) -> np.ndarray:
    """Forecast paths (repetitions x horizon) of a fitted state-space model, state uncertainty included.

    The state at the first forecast period is drawn from the filter's one-step-ahead
    prediction (mean and covariance); each step then adds state and observation
    shocks with the fitted variances.
    """
    rng = np.random.default_rng(seed)
    ssm = fit.filter_results
    design = np.asarray(ssm.design)[:, :, 0]
    transition = np.asarray(ssm.transition)[:, :, 0]
    selection = np.asarray(ssm.selection)[:, :, 0]
    state_cov = np.asarray(ssm.state_cov)[:, :, 0]
    obs_var = float(np.asarray(ssm.obs_cov)[0, 0, 0])
    mean = np.asarray(ssm.predicted_state)[:, -1]
    cov = np.asarray(ssm.predicted_state_cov)[:, :, -1]
    cov = (cov + cov.T) / 2
    state = rng.multivariate_normal(mean, cov, size=repetitions, method="eigh")
    k_posdef = state_cov.shape[0]
    out = np.empty((repetitions, horizon))
    for step in range(horizon):
        out[:, step] = state @ design[0] + rng.normal(0.0, math.sqrt(max(obs_var, 0)), repetitions)
        shocks = rng.multivariate_normal(
            np.zeros(k_posdef), state_cov, size=repetitions, method="eigh"
        )
        state = state @ transition.T + shocks @ selection.T
    return out
