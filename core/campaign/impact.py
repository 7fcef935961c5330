"""Campaign impact without a control group: a counterfactual forecast from the pre-period.

In the spirit of CausalImpact (Brodersen et al. 2015, "Inferring causal impact using
Bayesian structural time-series models"): a structural time-series model (a local
level whose standard deviation is fixed at 0.01 of the series' own, CausalImpact's
default prior, plus a fixed day-of-week pattern for daily data; statsmodels
``UnobservedComponents``) is fitted to the KPI before the campaign and forecast
over the campaign period. The effect is observed minus forecast; intervals come
from simulating the fitted model forward from the filtered state at the start of
the campaign, so the cumulative effect's interval accounts for how errors add up.
Unlike CausalImpact, the model's parameters are fixed at their maximum-likelihood
values (their uncertainty is not included).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.structural import UnobservedComponents

from core.ingest.problems import Problem

Frequency = Literal["D", "W"]
MIN_PRE_PERIODS = {"D": 28, "W": 8}
LEVEL_SD = 0.01


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


def series_from_table(frame: pd.DataFrame) -> tuple[pd.Series | None, str | None]:
    """A pasted two-column table (date, value) -> a regular series, or a message key."""
    if frame.shape[1] < 2:
        return None, "campaign.impact_bad_series"
    dates = pd.to_datetime(frame.iloc[:, 0], errors="coerce", format="mixed")
    values = pd.to_numeric(frame.iloc[:, 1], errors="coerce")
    ok = dates.notna() & values.notna()
    if ok.sum() < 10:
        return None, "campaign.impact_bad_series"
    series = pd.Series(values[ok].to_numpy(np.float64), index=dates[ok].dt.normalize())
    series = series.groupby(level=0).sum().sort_index()
    steps = series.index.to_series().diff().dropna().dt.days
    step = int(steps.mode().iloc[0]) if len(steps) else 1
    freq = "W" if step >= 6 else "D"
    full = pd.date_range(series.index.min(), series.index.max(), freq="7D" if freq == "W" else "D")
    series = series.reindex(full).interpolate(limit_direction="both")
    series.index.name = "date"
    return series, None


@dataclass(frozen=True)
class ImpactResult:
    """Observed against forecast, per period and summed over the campaign period.

    frame: date, observed, predicted, predicted_low, predicted_high, effect,
    effect_low, effect_high, cumulative, cumulative_low, cumulative_high, post (bool).
    """

    frame: pd.DataFrame
    average: tuple[float, float, float]  # effect per period: estimate, low, high
    cumulative: tuple[float, float, float]
    relative: tuple[float, float, float]  # cumulative effect / cumulative forecast
    p_value: float  # share of simulated paths at least as far from zero as observed (two-sided)
    frequency: Frequency = "D"
    message: Problem | None = None
    notes: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.message is None


def _failed(key: str, **params: object) -> ImpactResult:
    nan3 = (math.nan, math.nan, math.nan)
    return ImpactResult(pd.DataFrame(), nan3, nan3, nan3, math.nan, message=Problem(key, params))


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

    `pre_periods` limits the training window to the last periods before `start`
    (default: all); `post_periods` the evaluation window (default: to the end).
    """
    start = pd.Timestamp(start).normalize()
    series = series.astype(np.float64).sort_index()
    step = (series.index[1] - series.index[0]).days if len(series) > 1 else 1
    frequency: Frequency = "W" if step >= 6 else "D"
    pre = series[series.index < start]
    post = series[series.index >= start]
    if pre_periods:
        pre = pre.iloc[-pre_periods:]
    if post_periods:
        post = post.iloc[:post_periods]
    if len(post) == 0:
        return _failed("campaign.impact_no_post")
    if len(pre) < MIN_PRE_PERIODS[frequency]:
        return _failed("campaign.impact_short_pre", n=MIN_PRE_PERIODS[frequency])
    if float(pre.std()) == 0:
        return _failed("campaign.impact_flat")
    scale = float(pre.std())
    y = (pre.to_numpy() - float(pre.mean())) / scale
    seasonal = 7 if frequency == "D" and len(pre) >= 3 * 7 else None
    model = UnobservedComponents(y, level="llevel", seasonal=seasonal, stochastic_seasonal=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # CausalImpact's default: the level may drift by 1% of the series' SD per period.
        # Left free, the level's variance soaks up every swing of the pre-period and the
        # forecast interval fans out until nothing could ever be detected.
        fit = model.fit_constrained({"sigma2.level": LEVEL_SD**2}, disp=False, maxiter=200)
    h = len(post)
    paths = _simulate(fit, h, simulations, seed) * scale + float(pre.mean())
    alpha = 1 - level
    fc = fit.get_forecast(h)
    predicted = np.asarray(fc.predicted_mean) * scale + float(pre.mean())
    band = np.asarray(fc.conf_int(alpha=alpha)) * scale + float(pre.mean())

    observed = post.to_numpy()
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
    in_sample = np.asarray(fit.fittedvalues) * scale + float(pre.mean())
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
    return ImpactResult(frame, average, cum, relative, p_value, frequency, notes=tuple(notes))


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
