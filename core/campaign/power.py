"""Planning the next test: recipients needed, power, and the smallest detectable effect.

Conversion rates are compared on Cohen's h (the arcsine-transformed difference,
``statsmodels.stats.proportion.proportion_effectsize``) with the normal power
function of a two-sided two-sample test (``statsmodels.stats.power.NormalIndPower``).
`plan_view` and `detectable_view` are the planner's What-ifs: a few closed-form
solves, well under the 200 ms a slider may take.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from core.campaign.abtest import CampaignData
from core.campaign.readings import Figure, count, points, reading, share
from core.problems import Problem

# The planner's starting values when the data says nothing better: a 3% conversion
# rate and 20,000 recipients available.
DEFAULT_BASELINE = 0.03
DEFAULT_TOTAL = 20_000


@dataclass(frozen=True)
class SampleSize:
    """Recipients needed per group and in total, and days at a daily volume."""

    control: int
    variant: int
    total: int
    days: int | None
    effect_size: float  # Cohen's h
    problem: Problem | None = None


def _ratio(variant_share: float) -> float:
    """nobs2 / nobs1 for a split that sends `variant_share` of the traffic to the variant."""
    return variant_share / (1.0 - variant_share)


def cohens_h(baseline: float, target: float) -> float:
    """Cohen's h = 2 asin(sqrt(target)) - 2 asin(sqrt(baseline)) (positive when target > baseline)."""
    return float(proportion_effectsize(target, baseline))


def rate_for_h(baseline: float, h: float) -> float:
    """The rate that lies `h` (Cohen's h) above `baseline`: the inverse of `cohens_h`."""
    angle = (h + 2 * math.asin(math.sqrt(baseline))) / 2
    angle = min(max(angle, 0.0), math.pi / 2)
    return math.sin(angle) ** 2


def sample_size(
    baseline: float,
    lift_points: float,
    alpha: float = 0.05,
    power: float = 0.8,
    variant_share: float = 0.5,
    daily_volume: float | None = None,
) -> SampleSize:
    """Recipients to detect a conversion-rate change of `lift_points` (absolute, 0.005 = 0.5 points).

    Solved with ``NormalIndPower().solve_power`` for nobs1 (the control), rounded up.
    """
    target = baseline + lift_points
    if not (0 < baseline < 1) or not (0 < target < 1) or lift_points == 0:
        return SampleSize(
            0, 0, 0, None, math.nan, Problem("campaign.power_bad_rates", {}, "warning")
        )
    h = abs(cohens_h(baseline, target))
    ratio = _ratio(variant_share)
    n1 = NormalIndPower().solve_power(
        effect_size=h, nobs1=None, alpha=alpha, power=power, ratio=ratio
    )
    control = int(math.ceil(float(np.squeeze(n1))))
    variant = int(math.ceil(control * ratio))
    total = control + variant
    days = int(math.ceil(total / daily_volume)) if daily_volume and daily_volume > 0 else None
    return SampleSize(control, variant, total, days, h)


def power_at(
    baseline: float,
    lift_points: float,
    control: int,
    alpha: float = 0.05,
    variant_share: float = 0.5,
) -> float:
    """The chance that a test with `control` recipients in the control group detects the change."""
    target = baseline + lift_points
    if not (0 < baseline < 1) or not (0 < target < 1) or control < 2:
        return math.nan
    h = abs(cohens_h(baseline, target))
    return float(
        NormalIndPower().power(
            effect_size=h, nobs1=control, alpha=alpha, ratio=_ratio(variant_share)
        )
    )


def detectable_lift(
    baseline: float,
    control: int,
    alpha: float = 0.05,
    power: float = 0.8,
    variant_share: float = 0.5,
) -> float:
    """The smallest upward change in conversion rate (absolute) detectable with `control` recipients."""
    if not (0 < baseline < 1) or control < 2:
        return math.nan
    h = NormalIndPower().solve_power(
        effect_size=None, nobs1=control, alpha=alpha, power=power, ratio=_ratio(variant_share)
    )
    return rate_for_h(baseline, float(np.squeeze(h))) - baseline


def power_curve(
    baseline: float,
    lift_points: float,
    alpha: float = 0.05,
    variant_share: float = 0.5,
    max_total: int | None = None,
    points: int = 60,
) -> pd.DataFrame:
    """Power against total recipients (for a chart): columns total, control, power."""
    need = sample_size(baseline, lift_points, alpha, 0.8, variant_share)
    if need.problem:
        return pd.DataFrame(columns=["total", "control", "power"])
    top = max_total or need.total * 2.5
    totals = np.unique(np.linspace(max(top / points, 20), top, points).astype(int))
    controls = np.maximum((totals * (1 - variant_share)).astype(int), 2)
    # One vectorised call: the same numbers as `power_at` for each size, in 1/60 of the time.
    h = abs(cohens_h(baseline, baseline + lift_points))
    powers = NormalIndPower().power(
        effect_size=h, nobs1=controls.astype(float), alpha=alpha, ratio=_ratio(variant_share)
    )
    return pd.DataFrame({"total": totals, "control": controls, "power": np.asarray(powers)})


# --- the planner's views ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanDefaults:
    """Where the planner starts: the control's conversion rate (percent) and the test's size."""

    baseline_percent: float
    total: int


def plan_defaults(data: CampaignData | None, control: str | None) -> PlanDefaults:
    """The control's rate in this test (rounded to 0.01 points) and its recipients, else the defaults."""
    baseline = 100 * DEFAULT_BASELINE
    if data is not None and data.ok and control is not None and data.has("conversion"):
        arm = data.arms.loc[control]
        if arm["conversions"] > 0:
            baseline = round(100 * float(arm["conversions"]) / float(arm["recipients"]), 2)
    total = data.recipients if data is not None and data.ok else DEFAULT_TOTAL
    return PlanDefaults(float(baseline), int(total))


@dataclass(frozen=True)
class PlanSettings:
    """The planner's inputs, rates as shares: 0.03 is 3%, a change of 0.005 is 0.5 points."""

    baseline: float
    lift_points: float
    alpha: float = 0.05
    power: float = 0.8
    variant_share: float = 0.5
    daily_volume: float | None = None


@dataclass(frozen=True)
class PlanView:
    """Recipients needed, as shown, with the sentence and the power curve (problem: none computed)."""

    need: SampleSize
    control: Figure
    variant: Figure
    total: Figure
    days: Figure
    reading: Problem | None
    curve: pd.DataFrame
    problem: Problem | None = None


def plan_view(settings: PlanSettings) -> PlanView:
    """`sample_size` and `power_curve` for the planner's settings."""
    s = settings
    need = sample_size(s.baseline, s.lift_points, s.alpha, s.power, s.variant_share, s.daily_volume)
    if need.problem:
        none = Figure("–")
        return PlanView(need, none, none, none, none, None, pd.DataFrame(), need.problem)
    said = reading(
        "campaign.plan_reading",
        total=count(need.total),
        baseline=points(s.baseline),
        target=points(s.baseline + s.lift_points),
        mde=points(s.lift_points),
        power=share(s.power, 0),
        alpha=share(s.alpha, 0),
    )
    curve = power_curve(s.baseline, s.lift_points, s.alpha, s.variant_share)
    days = count(need.days) if need.days else Figure("–")
    return PlanView(
        need, count(need.control), count(need.variant), count(need.total), days, said, curve
    )


@dataclass(frozen=True)
class DetectableView:
    """The smallest change a given size detects (points) and its sentence (None when it cannot be computed)."""

    lift: float
    shown: Figure
    reading: Problem | None


def detectable_view(settings: PlanSettings, total: int) -> DetectableView:
    """`detectable_lift` with `total` recipients split as in `settings` (the control gets the rest)."""
    s = settings
    control = int(total * (1 - s.variant_share))
    lift = detectable_lift(s.baseline, control, s.alpha, s.power, s.variant_share)
    if math.isnan(lift):
        return DetectableView(lift, points(lift), None)
    said = reading(
        "campaign.plan_reverse_reading",
        total=count(total),
        mde=points(lift),
        rel=share(lift / s.baseline, 0),
        power=share(s.power, 0),
    )
    return DetectableView(lift, points(lift), said)
