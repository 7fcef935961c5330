"""Headline KPIs and monthly activity for the Overview page, computed from the orders table.

A KPI's change is only given against a previous period of the same length that the
data fully covers: against a shorter stretch (the data starting part-way through it)
the change would measure the file's start, not the business.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from core.format import fmt_change, fmt_count, fmt_share
from core.problems import Problem

KpiUnit = Literal["count", "money", "share"]
ALL_DATA: Final = "all"
PeriodChoice = int | Literal["all"]
PERIOD_DAYS: tuple[int, ...] = (30, 90, 180, 365)
DEFAULT_DAYS: Final = 90
_DATE = "%Y-%m-%d"


@dataclass(frozen=True)
class Kpi:
    """One headline number for the chosen period and the same number for the period before.

    `change` is relative ((value - previous) / previous) for counts and money, and
    the difference in share points for shares; None when there is no previous value
    to compare with (all data, a previous period the data does not fully cover, or a
    previous value of 0). `value` is None when it is undefined (an average over no orders).
    """

    key: str
    value: float | None
    previous: float | None
    unit: KpiUnit
    change: float | None


@dataclass(frozen=True)
class Coverage:
    """The calendar days the orders span: from the first order's day to the last order's day."""

    first_day: pd.Timestamp
    last_day: pd.Timestamp

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class Period:
    """The days a KPI counts (`first_day` to `last_day`, both included) and the equal stretch before.

    `days` is None for all the data; `previous_first_day` is then None too (there is
    no earlier stretch of the same length). The previous period is `previous_first_day`
    to the day before `first_day`.
    """

    days: int | None
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    previous_first_day: pd.Timestamp | None
    data_first_day: pd.Timestamp

    @property
    def fits_data(self) -> bool:
        """True when the data covers the whole period (it starts on or before the period's first day)."""
        return self.data_first_day <= self.first_day

    @property
    def comparable(self) -> bool:
        """True when the data fully covers a previous period of the same length."""
        return (
            self.previous_first_day is not None and self.data_first_day <= self.previous_first_day
        )


@dataclass(frozen=True)
class Headline:
    """The Overview's KPIs for one period, and what the reader should know about them.

    `caption` names the period's days (and the days compared with); `notes` explain a
    missing change (no full previous period, all data, an empty previous period) and
    orders of amount 0 that lower the average order value.
    """

    period: Period | None  # None when there are no orders
    kpis: tuple[Kpi, ...]
    notes: tuple[Problem, ...]
    caption: Problem | None = None  # the period's dates in words


def data_coverage(orders: pd.DataFrame) -> Coverage:
    """First and last calendar day with an order. Required column: order_date (not empty)."""
    dates = orders["order_date"]
    return Coverage(dates.min().normalize(), dates.max().normalize())


@dataclass(frozen=True)
class PeriodMenu:
    """The periods to offer for some data, the one to start with, and a note on those left out."""

    choices: tuple[PeriodChoice, ...]
    default: PeriodChoice
    notes: tuple[Problem, ...]


def period_menu(orders: pd.DataFrame) -> PeriodMenu:
    """The periods of PERIOD_DAYS the data can fill at least once, then ALL_DATA.

    The default is 90 days when the data also covers the 90 days before them (180 days
    or more), so that the first view has changes to show; otherwise all the data.
    Required column: order_date (not empty).
    """
    coverage = data_coverage(orders)
    fit = tuple(d for d in PERIOD_DAYS if d <= coverage.days)
    default: PeriodChoice = DEFAULT_DAYS if coverage.days >= 2 * DEFAULT_DAYS else ALL_DATA
    notes: tuple[Problem, ...] = ()
    if len(fit) < len(PERIOD_DAYS):
        longer = [d for d in PERIOD_DAYS if d > coverage.days]
        params = {
            "span": fmt_count(coverage.days),
            "start": coverage.first_day.strftime(_DATE),
            "end": coverage.last_day.strftime(_DATE),
            "periods": longer,
        }
        notes = (Problem("overview.periods_not_offered", params),)
    return PeriodMenu((*fit, ALL_DATA), default, notes)


def period_ending(
    orders: pd.DataFrame, choice: PeriodChoice, as_of: pd.Timestamp | None = None
) -> Period:
    """The `choice` days ending on `as_of`'s day (default: the last order's day), or all the data."""
    coverage = data_coverage(orders)
    last_day = pd.Timestamp(as_of).normalize() if as_of is not None else coverage.last_day
    if choice == ALL_DATA:
        return Period(None, coverage.first_day, last_day, None, coverage.first_day)
    days = int(choice)
    first_day = last_day - pd.Timedelta(days=days - 1)
    return Period(
        days, first_day, last_day, first_day - pd.Timedelta(days=days), coverage.first_day
    )


def headline_kpis(
    orders: pd.DataFrame, choice: PeriodChoice = DEFAULT_DAYS, as_of: pd.Timestamp | None = None
) -> Headline:
    """Customers, active customers, revenue, orders, average order value and repeat rate.

    Definitions (the Overview page shows them in words):
    - customers: distinct customers with at least one order up to the period's end;
      compared with the same count at the previous period's end.
    - active_customers: distinct customers with an order within the period.
    - revenue, orders: sums within the period (orders of amount 0 count as orders);
      average_order_value = revenue / orders.
    - repeat_rate: share of all customers up to the period's end with two or more
      orders (Shopify's "returning customer rate" over the customer base).

    Changes are given only when `period_ending(...).comparable`; otherwise a note
    says why there is none. Orders after `as_of` are left out.

    Required columns of `orders`: customer_id, order_date, amount (one row per order).
    """
    if as_of is not None:
        orders = orders.loc[
            orders["order_date"] < pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
        ]
    if orders.empty:
        return Headline(None, (), (Problem("overview.no_orders"),))
    period = period_ending(orders, choice, as_of)
    day = orders["order_date"].dt.normalize()
    in_period = (day >= period.first_day) & (day <= period.last_day)
    up_to_end = day <= period.last_day
    values, zero = _values(orders.loc[in_period], orders.loc[up_to_end])
    notes = _why_no_change(period)
    previous: dict[str, float | None] = dict.fromkeys(values)
    if period.comparable and period.previous_first_day is not None:
        in_previous = (day >= period.previous_first_day) & (day < period.first_day)
        previous, _ = _values(orders.loc[in_previous], orders.loc[day < period.first_day])
        if not previous["orders"]:
            notes += (Problem("overview.previous_empty", _days_params(period, previous=True)),)
    if zero:
        notes += (Problem("overview.zero_orders", {"n": fmt_count(zero)}),)
    kpis = tuple(
        _kpi(key, values[key], previous[key], unit)
        for key, unit in (
            ("customers", "count"),
            ("active_customers", "count"),
            ("revenue", "money"),
            ("orders", "count"),
            ("average_order_value", "money"),
            ("repeat_rate", "share"),
        )
    )
    return Headline(period, kpis, notes, _caption(period))


def _kpi(key: str, value: float | None, previous: float | None, unit: KpiUnit) -> Kpi:
    change = None
    if value is not None and previous is not None:
        if unit == "share":
            change = value - previous
        elif previous != 0:
            change = (value - previous) / previous
    if change is not None and not math.isfinite(change):
        change = None
    return Kpi(key, value, previous, unit, change)


def _values(window: pd.DataFrame, so_far: pd.DataFrame) -> tuple[dict[str, float | None], int]:
    """The six KPIs of one period (its orders, and every order up to its end), and its zero orders."""
    active, revenue, n_orders, zero = _window(window)
    customers, repeat = _base(so_far)
    values = {
        "customers": customers,
        "active_customers": active,
        "revenue": revenue,
        "orders": n_orders,
        "average_order_value": revenue / n_orders if n_orders else None,
        "repeat_rate": repeat,
    }
    return values, zero


def _window(chunk: pd.DataFrame) -> tuple[float, float, float, int]:
    """Active customers, revenue, orders and orders of amount 0 in a stretch of orders."""
    return (
        float(chunk["customer_id"].nunique()),
        float(chunk["amount"].sum()),
        float(len(chunk)),
        int((chunk["amount"] == 0).sum()),
    )


def _base(orders: pd.DataFrame) -> tuple[float, float]:
    per_customer = orders.groupby("customer_id", observed=True).size()
    if per_customer.empty:
        return 0.0, 0.0
    return float(len(per_customer)), float((per_customer >= 2).mean())


def _days_params(period: Period, previous: bool = False) -> dict[str, object]:
    if previous and period.previous_first_day is not None:
        start, end = period.previous_first_day, period.first_day - pd.Timedelta(days=1)
    else:
        start, end = period.first_day, period.last_day
    return {"days": period.days, "start": start.strftime(_DATE), "end": end.strftime(_DATE)}


def _caption(period: Period) -> Problem:
    if period.days is None:
        days = (period.last_day - period.first_day).days + 1
        return Problem("overview.all_span", {**_days_params(period), "days": fmt_count(days)})
    key = "overview.period_caption" if period.comparable else "overview.period_span"
    return Problem(key, _days_params(period))


def _why_no_change(period: Period) -> tuple[Problem, ...]:
    """Why a period has no change: all data, or a previous period the data does not fully cover."""
    span = (period.last_day - period.data_first_day).days + 1
    data_start = period.data_first_day.strftime(_DATE)
    if period.days is None:
        return (Problem("overview.all_data_no_change"),)
    if not period.fits_data:
        return (
            Problem(
                "overview.period_longer_than_data",
                {"start": data_start, "span": fmt_count(span), "days": period.days},
            ),
        )
    if not period.comparable:
        return (Problem("overview.no_full_previous", {"start": data_start, "days": period.days}),)
    return ()


def monthly_activity(orders: pd.DataFrame) -> pd.DataFrame:
    """Tidy monthly series: month, revenue, orders, active_customers, new_customers, partial.

    `partial` marks the first and last month when the data starts after the 1st or
    ends before the month's last day, so a chart does not read a half month as a drop.
    """
    if orders.empty:
        return pd.DataFrame(
            columns=["month", "revenue", "orders", "active_customers", "new_customers", "partial"]
        )
    month = orders["order_date"].dt.to_period("M")
    first_month = orders.groupby("customer_id", observed=True)["order_date"].min().dt.to_period("M")
    monthly = (
        orders.assign(month=month)
        .groupby("month")
        .agg(
            revenue=("amount", "sum"),
            orders=("amount", "size"),
            active_customers=("customer_id", "nunique"),
        )
    )
    monthly["new_customers"] = first_month.value_counts().reindex(monthly.index, fill_value=0)
    full_range = pd.period_range(monthly.index.min(), monthly.index.max(), freq="M")
    monthly = monthly.reindex(full_range, fill_value=0)
    first_day, last_day = orders["order_date"].min(), orders["order_date"].max()
    partial = np.zeros(len(monthly), dtype=bool)
    if first_day.day != 1:
        partial[0] = True
    if last_day.normalize() != (last_day.to_period("M").end_time.normalize()):
        partial[-1] = True
    monthly["partial"] = partial
    monthly.index = monthly.index.to_timestamp()
    monthly.index.name = "month"
    return monthly.reset_index()


# What the Overview points at: a drop of more than this share in revenue or active
# customers against the previous period, a repeat rate below this share.
DROP_WORTH_A_LOOK: Final = 0.05
LOW_REPEAT_RATE: Final = 0.3


def next_steps(headline: Headline, rows_set_aside: int) -> tuple[Problem, ...]:
    """Where to look next, as readings (severity "info"): falling revenue or buyers, few repeat buyers, set-aside rows."""
    by_key = {kpi.key: kpi for kpi in headline.kpis}
    steps: list[Problem] = []
    revenue, active = by_key.get("revenue"), by_key.get("active_customers")
    if revenue and revenue.change is not None and revenue.change < -DROP_WORTH_A_LOOK:
        steps.append(
            Problem(
                "overview.hint_revenue_down", {"change": fmt_share(abs(revenue.change))}, "info"
            )
        )
    if active and active.change is not None and active.change < -DROP_WORTH_A_LOOK:
        steps.append(
            Problem(
                "overview.hint_active_down",
                {"change": fmt_change(active.change, "count")},
                "info",
            )
        )
    repeat = by_key.get("repeat_rate")
    if repeat and repeat.value is not None and repeat.value < LOW_REPEAT_RATE:
        steps.append(Problem("overview.hint_low_repeat", {"rate": fmt_share(repeat.value)}, "info"))
    if rows_set_aside:
        steps.append(Problem("overview.hint_quality", {"n": fmt_count(rows_set_aside)}, "info"))
    return tuple(steps)
