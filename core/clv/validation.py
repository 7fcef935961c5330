"""Whether to trust a fitted purchase model: holdout predictions against what customers actually did.

The two classic checks of Fader, Hardie & Lee (2005): conditional expectations in
the holdout period by number of calibration purchases (their Figure 4), and
cumulative repeat transactions over calendar time (the tracking plot, Figure 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.clv.data import UNIT_DAYS, ClvData, positions
from core.clv.models import PurchaseFit

_DAY_NS = 86_400 * 10**9
MAX_FREQUENCY_BUCKET = 7  # calibration frequencies 7 and above are pooled, as in the paper


@dataclass(frozen=True)
class HoldoutCheck:
    """Repeat purchases in the holdout: actual, predicted and the aggregate error."""

    customers: int
    actual: float
    predicted: float
    correlation: float  # per customer, actual vs predicted

    @property
    def error(self) -> float:
        """(predicted - actual) / actual: +0.10 means the model predicts 10% too many purchases."""
        return (self.predicted - self.actual) / self.actual if self.actual else float("nan")

    @property
    def verdict(self) -> str:
        """ "clv.check_good" (total within 10%), "clv.check_fair" (within 20%), else "clv.check_poor"."""
        size = abs(self.error)
        return (
            "clv.check_good" if size < 0.1 else "clv.check_fair" if size < 0.2 else "clv.check_poor"
        )


def holdout_predictions(data: ClvData, fit: PurchaseFit) -> np.ndarray:
    """Each calibration customer's expected purchases in the holdout period."""
    s = data.summary
    return fit.expected_purchases(
        data.holdout_length, s["frequency"].to_numpy(), s["recency"].to_numpy(), s["T"].to_numpy()
    )


def holdout_check(data: ClvData, fit: PurchaseFit) -> HoldoutCheck | None:
    """Totals of actual and predicted holdout purchases (None when there is no holdout)."""
    if "holdout_frequency" not in data.summary or data.holdout_length <= 0:
        return None
    predicted = holdout_predictions(data, fit)
    actual = data.summary["holdout_frequency"].to_numpy(float)
    correlation = (
        float(np.corrcoef(actual, predicted)[0, 1])
        if len(actual) > 2 and actual.std() > 0 and predicted.std() > 0
        else float("nan")
    )
    return HoldoutCheck(len(actual), float(actual.sum()), float(predicted.sum()), correlation)


def holdout_by_frequency(data: ClvData, fit: PurchaseFit) -> pd.DataFrame:
    """Mean actual and predicted holdout purchases by calibration frequency (0..7+).

    Columns: frequency (int; the last bucket pools 7 and more), customers, actual,
    predicted (means per customer).
    """
    if "holdout_frequency" not in data.summary:
        return pd.DataFrame(columns=["frequency", "customers", "actual", "predicted"])
    s = data.summary
    bucket = np.minimum(s["frequency"].to_numpy(), MAX_FREQUENCY_BUCKET)
    frame = pd.DataFrame(
        {
            "frequency": bucket,
            "actual": s["holdout_frequency"].to_numpy(float),
            "predicted": holdout_predictions(data, fit),
        }
    )
    out = frame.groupby("frequency").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    return out.reset_index()


def tracking_curve(
    orders: pd.DataFrame, data: ClvData, fit: PurchaseFit, max_points: int = 120
) -> pd.DataFrame:
    """Cumulative repeat purchases of the calibration customers over calendar time, actual vs model.

    Columns: date (end of each step), actual, predicted (cumulative), actual_step,
    predicted_step (repeat purchases within the step: the weekly view of the paper's
    Figure 1, where seasons show), holdout (date after the cut-off). Steps are one time unit long, or longer when that would give more than
    `max_points` points. The prediction for a date is the sum over customers of
    E[X(age)] for a new customer at that age (eq. 7 of Fader, Hardie & Lee 2005),
    grouped by first-purchase day so the work grows with days, not customers.
    """
    s = data.summary
    first_day = s["first_purchase"].to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    start = int(first_day.min())
    end = int(data.end.value // _DAY_NS)
    # Whole days per step, so per-step counts are comparable (no 6/7-day alternation).
    step = int(np.ceil(max(UNIT_DAYS[data.unit], (end - start + 1) / max_points)))
    grid = np.unique(np.minimum(np.ceil(start - 1 + step * np.arange(1, max_points + 2)), end))
    grid = grid[grid >= start].astype(np.int64)

    # Actual: distinct (customer, day) pairs after each customer's first purchase day.
    position = positions(orders["customer_id"], s.index)
    days = orders["order_date"].to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    known = (position >= 0) & (days <= end)
    position, days = position[known], days[known]
    pairs = pd.unique(position.astype(np.int64) * (end - start + 2) + (days - start))
    pair_customer = pairs // (end - start + 2)
    pair_day = pairs % (end - start + 2) + start
    repeat_days = np.sort(pair_day[pair_day > first_day[pair_customer]])
    actual = np.searchsorted(repeat_days, grid, side="right")

    # Expected: customers grouped by their first purchase day.
    cohort_days, counts = np.unique(first_day, return_counts=True)
    ages = (grid[:, None] - cohort_days[None, :]) / UNIT_DAYS[data.unit]
    expected = fit.expected_purchases_new(np.clip(ages, 0, None).ravel()).reshape(ages.shape)
    predicted = (expected * counts[None, :]).sum(axis=1)
    cutoff = int(data.cutoff.value // _DAY_NS)
    return pd.DataFrame(
        {
            "date": pd.to_datetime(grid * _DAY_NS),
            "actual": actual.astype(float),
            "predicted": predicted,
            "actual_step": np.diff(actual, prepend=0).astype(float),
            "predicted_step": np.diff(predicted, prepend=0.0),
            "holdout": grid > cutoff,
        }
    )
