"""Per-customer frequency / recency / age / spend for the buy-till-you-die models, and the holdout split.

Built on `core.summary.customer_summary` (the project's one per-customer summary), so the
CLV page counts purchases the same way as every other page: several orders on one
calendar day are one purchase, as in lifetimes and Fader, Hardie & Lee (2005).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from core.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK
from core.problems import Problem, problem
from core.summary import customer_summary, require_columns

TimeUnit = Literal["days", "weeks", "months"]
TIME_UNITS: tuple[TimeUnit, ...] = ("days", "weeks", "months")
# A month is the average calendar month (core.calendar), so 12 months are one year.
UNIT_DAYS: dict[str, float] = {"days": 1.0, "weeks": DAYS_PER_WEEK, "months": DAYS_PER_MONTH}
_DAY_NS = 86_400 * 10**9

SUMMARY_COLUMNS = ("frequency", "recency", "T", "monetary_value")


@dataclass(frozen=True)
class ClvData:
    """A calibration summary (and its holdout counts), its dates and expected problems.

    `summary` is indexed by customer_id with columns frequency (repeat purchase days),
    recency (first to last purchase), T (first purchase to the cut-off), monetary_value
    (mean spend of the repeat purchase days, 0 without repeats), first_purchase (the
    day), total_spend, and when a holdout exists holdout_frequency (purchase days after
    the cut-off) and holdout_spend. zero_repeat_days counts the repeat purchase days
    whose spend is 0 (purchases of 0 are purchases: they count in frequency and
    recency, and at 0 in monetary_value). Times are in `unit`. `problems`: what limits
    the data, most important first (see `rfm_summary`).
    """

    summary: pd.DataFrame
    unit: TimeUnit
    first_day: pd.Timestamp
    cutoff: pd.Timestamp
    end: pd.Timestamp
    problems: tuple[Problem, ...] = ()

    @property
    def holdout_length(self) -> float:
        """Length of the holdout period (the days after the cut-off up to `end`) in `unit`."""
        return (self.end - self.cutoff).days / UNIT_DAYS[self.unit]


def default_cutoff(orders: pd.DataFrame) -> pd.Timestamp:
    """The calibration cut-off that holds out the last quarter of the data's time span."""
    require_columns(orders, ("order_date",))
    first = orders["order_date"].min().normalize()
    last = orders["order_date"].max().normalize()
    return first + pd.Timedelta(days=int((last - first).days * 0.75))


def rfm_summary(
    orders: pd.DataFrame,
    cutoff: pd.Timestamp | str | None = None,
    unit: TimeUnit = "weeks",
    end: pd.Timestamp | str | None = None,
) -> ClvData:
    """Frequency, recency, T and monetary value per customer up to `cutoff`, and the holdout after it.

    Parameters
    ----------
    orders : customer_id, order_date, amount (e.g. `core.summary.orders_table`).
    cutoff : last calendar day of the calibration period (its purchases count);
        default: the last day of the data (no holdout).
    unit : "days", "weeks" (7 days) or "months" (`core.calendar.DAYS_PER_MONTH` days).
    end : last day of the holdout period (default: the data's last day).

    Definitions follow lifetimes' `summary_data_from_transaction_data` and Fader, Hardie
    & Lee (2005): frequency x = purchase days - 1; recency t_x = days from the first to
    the last purchase day; T = days from the first purchase day to the cut-off day;
    monetary value = mean spend per repeat purchase day (the first day excluded, as in
    Fader & Hardie's Gamma-Gamma note, 2013). Customers whose first purchase is after
    the cut-off are not in the summary.

    Problems (warnings, in this order): "clv.no_orders" (nothing up to the cut-off),
    "clv.one_day" (all purchases on one day: no time to learn from),
    "clv.too_few_customers" (fewer than `minimum` = MIN_CUSTOMERS), "clv.no_repeat_buyers";
    and "clv.no_holdout" (info: a holdout was asked for but has no days).
    """
    require_columns(orders, ("customer_id", "order_date", "amount"))
    if unit not in UNIT_DAYS:
        raise ValueError(f"unit must be one of {TIME_UNITS}, not {unit!r}")
    days = orders["order_date"].to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    if len(days) == 0:
        empty = pd.Timestamp("1970-01-01")
        return ClvData(_empty_summary(), unit, empty, empty, empty, (_NO_ORDERS,))
    first_day, last_day = int(days.min()), int(days.max())
    cutoff_day = last_day if cutoff is None else _day(cutoff)
    end_day = last_day if end is None else _day(end)
    end_day = max(end_day, cutoff_day)
    stamps = {
        k: _stamp(v) for k, v in (("first", first_day), ("cut", cutoff_day), ("end", end_day))
    }

    in_calibration = days <= cutoff_day
    calibration = orders[in_calibration]
    if calibration.empty:
        return ClvData(
            _empty_summary(),
            unit,
            stamps["first"],
            stamps["cut"],
            stamps["end"],
            (_NO_ORDERS,),
        )
    base = customer_summary(calibration)
    first_purchase = base["first_purchase"].dt.normalize()
    last_purchase = base["last_purchase"].dt.normalize()
    frequency = (base["purchase_days"] - 1).to_numpy(np.int64)
    first_day_spend = _first_day_spend(calibration, first_purchase)
    zero_repeat_days = _zero_repeat_days(calibration, first_purchase)
    repeat_spend = base["total_spend"].to_numpy(float) - first_day_spend
    scale = UNIT_DAYS[unit]
    summary = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last_purchase - first_purchase).dt.days.to_numpy(float) / scale,
            "T": (stamps["cut"] - first_purchase).dt.days.to_numpy(float) / scale,
            "monetary_value": np.where(frequency > 0, repeat_spend / np.maximum(frequency, 1), 0.0),
            "first_purchase": first_purchase.to_numpy(),
            "total_spend": base["total_spend"].to_numpy(float),
            "zero_repeat_days": zero_repeat_days,
        },
        index=base.index,
    )
    if end_day > cutoff_day:
        later = orders[(days > cutoff_day) & (days <= end_day)]
        summary = summary.join(_holdout(later, summary.index))

    problems = []
    if last_day == first_day:
        problems.append(problem("clv.one_day", "warning"))
    if len(summary) < MIN_CUSTOMERS:
        problems.append(too_few_customers())
    if (summary["frequency"] == 0).all():
        problems.append(problem("clv.no_repeat_buyers", "warning"))
    if cutoff is not None and end_day == cutoff_day:
        problems.append(problem("clv.no_holdout", "info"))
    return ClvData(summary, unit, stamps["first"], stamps["cut"], stamps["end"], tuple(problems))


MIN_CUSTOMERS = 20  # fewer than this: four parameters cannot be estimated with any confidence
_NO_ORDERS = Problem("clv.no_orders", {}, "warning")


def too_few_customers() -> Problem:
    """The warning for fewer customers than MIN_CUSTOMERS (the text reads the threshold)."""
    return problem("clv.too_few_customers", "warning", minimum=MIN_CUSTOMERS)


def _first_day_spend(calibration: pd.DataFrame, first_purchase: pd.Series) -> np.ndarray:
    """Each customer's spend on their first purchase day (excluded from the repeat mean)."""
    position = positions(calibration["customer_id"], first_purchase.index)
    day = calibration["order_date"].to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    first = first_purchase.to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    on_first = day == first[position]
    return np.bincount(
        position[on_first],
        weights=calibration["amount"].to_numpy(float)[on_first],
        minlength=len(first_purchase),
    )


def _zero_repeat_days(calibration: pd.DataFrame, first_purchase: pd.Series) -> np.ndarray:
    """Each customer's repeat purchase days (after the first day) whose spend adds up to 0."""
    position = positions(calibration["customer_id"], first_purchase.index)
    day = calibration["order_date"].to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    first = first_purchase.to_numpy("datetime64[ns]").view("int64") // _DAY_NS
    repeat = (position >= 0) & (day != first[np.maximum(position, 0)])
    if not repeat.any():
        return np.zeros(len(first_purchase), np.int64)
    span = int(day.max() - day.min()) + 1
    keys = position[repeat].astype(np.int64) * span + (day[repeat] - day.min())
    pairs, which = np.unique(keys, return_inverse=True)
    spend = np.bincount(which, weights=calibration["amount"].to_numpy(float)[repeat])
    return np.bincount(pairs[spend == 0] // span, minlength=len(first_purchase)).astype(np.int64)


def positions(customer_ids: pd.Series, index: pd.Index) -> np.ndarray:
    """Row of each customer id in `index` (-1 when absent), without a string per row.

    Ingested customer ids are categorical: their categories are looked up once and the
    integer codes do the rest.
    """
    if isinstance(customer_ids.dtype, pd.CategoricalDtype):
        categories = customer_ids.cat.categories
        row_of_code = np.append(index.get_indexer(categories.astype(str)), -1)
        return row_of_code[customer_ids.cat.codes.to_numpy(np.int64)]
    return index.get_indexer(customer_ids.astype(str).to_numpy())


def _holdout(later: pd.DataFrame, customers: pd.Index) -> pd.DataFrame:
    """Purchase days and spend after the cut-off of the calibration customers (0 when none)."""
    out = pd.DataFrame(
        {"holdout_frequency": np.zeros(len(customers), np.int64), "holdout_spend": 0.0},
        index=customers,
    )
    if later.empty:
        return out
    after = customer_summary(later)
    known = after.index.intersection(customers)
    out.loc[known, "holdout_frequency"] = after.loc[known, "purchase_days"].to_numpy(np.int64)
    out.loc[known, "holdout_spend"] = after.loc[known, "total_spend"].to_numpy(float)
    return out


def _day(value: pd.Timestamp | str) -> int:
    return int(pd.Timestamp(value).normalize().value // _DAY_NS)


def _stamp(day: int) -> pd.Timestamp:
    return pd.Timestamp(day * _DAY_NS)


def _empty_summary() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "frequency": pd.Series(dtype="int64"),
            "recency": pd.Series(dtype=float),
            "T": pd.Series(dtype=float),
            "monetary_value": pd.Series(dtype=float),
            "first_purchase": pd.Series(dtype="datetime64[ns]"),
            "total_spend": pd.Series(dtype=float),
            "zero_repeat_days": pd.Series(dtype="int64"),
        },
        index=pd.Index([], name="customer_id", dtype="str"),
    )
