"""Planning the next test: recipients needed, power, and the smallest detectable effect.

Conversion rates are compared on Cohen's h (the arcsine-transformed difference,
``statsmodels.stats.proportion.proportion_effectsize``) with the normal power
function of a two-sided two-sample test (``statsmodels.stats.power.NormalIndPower``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize


@dataclass(frozen=True)
class SampleSize:
    """Recipients needed per group and in total, and days at a daily volume."""

    control: int
    variant: int
    total: int
    days: int | None
    effect_size: float  # Cohen's h
    message: str | None = None


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
        return SampleSize(0, 0, 0, None, math.nan, "campaign.power_bad_rates")
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
    if need.message:
        return pd.DataFrame(columns=["total", "control", "power"])
    top = max_total or need.total * 2.5
    totals = np.unique(np.linspace(max(top / points, 20), top, points).astype(int))
    controls = np.maximum((totals * (1 - variant_share)).astype(int), 2)
    powers = [power_at(baseline, lift_points, int(c), alpha, variant_share) for c in controls]
    return pd.DataFrame({"total": totals, "control": controls, "power": powers})
