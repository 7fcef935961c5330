"""Headline KPIs and monthly activity for the Overview page, computed from the orders table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

KpiUnit = Literal["count", "money", "share"]


@dataclass(frozen=True)
class Kpi:
    """One headline number for the chosen period and the same number for the period before.

    `change` is relative ((value - previous) / previous) for counts and money, and
    the difference in share points for shares; None when there is no previous value
    to compare with.
    """

    key: str
    value: float
    previous: float | None
    unit: KpiUnit
    change: float | None


@dataclass(frozen=True)
class Period:
    start: pd.Timestamp  # exclusive
    end: pd.Timestamp  # inclusive
    previous_start: pd.Timestamp  # exclusive
    # True when the data does not reach back a full period before `start`.
    previous_is_partial: bool

    @property
    def first_day(self) -> pd.Timestamp:
        """The first calendar day inside the period."""
        return (self.start + pd.Timedelta(microseconds=1)).normalize()


def period_ending(orders: pd.DataFrame, days: int, as_of: pd.Timestamp | None = None) -> Period:
    """The `days` days ending at `as_of` (default: the last order), and the equal period before."""
    end = pd.Timestamp(as_of) if as_of is not None else orders["order_date"].max()
    end = end.normalize() + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    start = end - pd.Timedelta(days=days)
    previous_start = start - pd.Timedelta(days=days)
    return Period(start, end, previous_start, bool(orders["order_date"].min() > previous_start))


def headline_kpis(
    orders: pd.DataFrame, days: int = 90, as_of: pd.Timestamp | None = None
) -> list[Kpi]:
    """Customers, active customers, revenue, orders, average order value and repeat rate.

    Definitions (the Overview page shows them in words):
    - customers: distinct customers with at least one order up to the period's end;
      compared with the same count at the previous period's end.
    - active_customers: distinct customers with an order within the period.
    - revenue, orders: sums within the period; average_order_value = revenue / orders.
    - repeat_rate: share of all customers up to the period's end with two or more
      orders (Shopify's "returning customer rate" over the customer base).

    Required columns of `orders`: customer_id, order_date, amount (one row per order).
    """
    if orders.empty:
        return []
    period = period_ending(orders, days, as_of)
    dates = orders["order_date"]
    in_period = (dates > period.start) & (dates <= period.end)
    in_previous = (dates > period.previous_start) & (dates <= period.start)
    up_to_end = dates <= period.end
    up_to_start = dates <= period.start

    def window(mask: pd.Series) -> tuple[float, float, float]:
        chunk = orders.loc[mask]
        return (
            float(chunk["customer_id"].nunique()),
            float(chunk["amount"].sum()),
            float(len(chunk)),
        )

    active, revenue, n_orders = window(in_period)
    prev_active, prev_revenue, prev_orders = window(in_previous)
    customers, repeat = _base(orders.loc[up_to_end])
    prev_customers, prev_repeat = _base(orders.loc[up_to_start])
    has_previous = bool(up_to_start.any())

    def kpi(key: str, value: float, previous: float, unit: KpiUnit) -> Kpi:
        if not has_previous or (unit != "share" and previous == 0):
            return Kpi(key, value, previous if has_previous else None, unit, None)
        change = value - previous if unit == "share" else (value - previous) / previous
        return Kpi(key, value, previous, unit, change)

    aov = revenue / n_orders if n_orders else 0.0
    prev_aov = prev_revenue / prev_orders if prev_orders else 0.0
    return [
        kpi("customers", customers, prev_customers, "count"),
        kpi("active_customers", active, prev_active, "count"),
        kpi("revenue", revenue, prev_revenue, "money"),
        kpi("orders", n_orders, prev_orders, "count"),
        kpi("average_order_value", aov, prev_aov, "money"),
        kpi("repeat_rate", repeat, prev_repeat, "share"),
    ]


def _base(orders: pd.DataFrame) -> tuple[float, float]:
    per_customer = orders.groupby("customer_id", observed=True).size()
    if per_customer.empty:
        return 0.0, 0.0
    return float(len(per_customer)), float((per_customer >= 2).mean())


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
