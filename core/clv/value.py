"""Per-customer forecasts and CLV, the value of a new customer against acquisition cost, and chart tables.

The forecast (expected purchases month by month over the horizon, expected spend)
is the expensive part and is computed once per fit and horizon; margin, discount
rate, acquisition cost and the repeat-rate uplift are applied to it afterwards in
milliseconds, so what-if sliders never refit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.calendar import DAYS_PER_MONTH
from core.clv.data import UNIT_DAYS, ClvData
from core.clv.models import PurchaseFit, SpendFit

MAX_HORIZON_MONTHS = 60
# CLV : CAC of 3 : 1 or more is the common rule of thumb for healthy acquisition; below
# 1 : 1 a new customer does not pay back what it cost to win.
GOOD_RATIO = 3.0
BREAK_EVEN_RATIO = 1.0
TOP_VALUE_SHARE = 0.1  # the "top customers" whose share of the total value is read out
OPEN_END_QUANTILE = 0.99  # the CLV histogram's last bar holds the customers above this


@dataclass(frozen=True)
class Forecast:
    """Per-customer predictions over `horizon_months` months after the data's last day.

    `table` (indexed by customer_id): frequency, recency, T, monetary_value,
    total_spend, first_purchase, first_day_spend, p_alive, expected_purchases (over
    the horizon), expected_spend (per purchase). `monthly[i, k]` is customer i's
    expected number of purchases in month k + 1 of the horizon.
    """

    table: pd.DataFrame
    monthly: np.ndarray
    horizon_months: int
    unit: str


@dataclass(frozen=True)
class ForecastBase:
    """What every horizon's forecast shares: per-customer facts and the distinct purchase patterns.

    `table` (indexed by customer_id): frequency, recency, T, monetary_value,
    total_spend, first_purchase, first_day_spend, p_alive, expected_spend.
    `patterns` holds the distinct (frequency, recency, T) rows and `pattern_of[i]` the
    row of customer i: customers with the same history get the same predictions, so
    the expensive model evaluations run once per pattern.
    """

    table: pd.DataFrame
    patterns: np.ndarray
    pattern_of: np.ndarray
    unit: str


def forecast_base(data: ClvData, purchase: PurchaseFit, spend: SpendFit) -> ForecastBase:
    """Probability alive and expected spend per customer, and the purchase patterns to forecast."""
    s = data.summary
    x, t_x, T = s["frequency"].to_numpy(), s["recency"].to_numpy(), s["T"].to_numpy()
    patterns, back = np.unique(np.column_stack([x, t_x, T]), axis=0, return_inverse=True)
    back = back.ravel()
    p_alive = purchase.probability_alive(patterns[:, 0], patterns[:, 1], patterns[:, 2])[back]
    first_day_spend = s["total_spend"].to_numpy() - s["monetary_value"].to_numpy() * x
    mean_spend = s["total_spend"].to_numpy() / (x + 1)
    table = s[
        ["frequency", "recency", "T", "monetary_value", "total_spend", "first_purchase"]
    ].assign(
        first_day_spend=first_day_spend,
        p_alive=p_alive,
        expected_spend=spend.expected_spend(x, s["monetary_value"].to_numpy(), mean_spend),
    )
    return ForecastBase(table, patterns, back, data.unit)


def cumulative_purchases(
    base: ForecastBase, purchase: PurchaseFit, first_month: int, last_month: int
) -> np.ndarray:
    """E[purchases from the data's last day to the end of month k] per pattern, k = first..last.

    Shape (patterns, last - first + 1). Months are `core.calendar.DAYS_PER_MONTH` days.
    """
    step = DAYS_PER_MONTH / UNIT_DAYS[base.unit]
    p = base.patterns
    return np.column_stack(
        [
            purchase.expected_purchases(k * step, p[:, 0], p[:, 1], p[:, 2])
            for k in range(first_month, last_month + 1)
        ]
    ).reshape(len(p), last_month - first_month + 1)


def forecast_from(base: ForecastBase, cumulative: np.ndarray, horizon_months: int) -> Forecast:
    """The forecast over `horizon_months` from `cumulative_purchases` of months 1.. (at least the horizon)."""
    if not 1 <= horizon_months <= min(MAX_HORIZON_MONTHS, cumulative.shape[1]):
        raise ValueError(
            f"horizon_months must be 1..{min(MAX_HORIZON_MONTHS, cumulative.shape[1])}"
        )
    steps = np.column_stack([np.zeros(len(cumulative)), cumulative[:, :horizon_months]])
    monthly = np.maximum(np.diff(steps, axis=1), 0.0)[base.pattern_of]
    table = base.table.assign(expected_purchases=monthly.sum(axis=1))[list(FORECAST_COLUMNS)]
    return Forecast(table, monthly, horizon_months, base.unit)


FORECAST_COLUMNS = (
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "total_spend",
    "first_purchase",
    "first_day_spend",
    "p_alive",
    "expected_purchases",
    "expected_spend",
)


def forecast(
    data: ClvData, purchase: PurchaseFit, spend: SpendFit, horizon_months: int = 12
) -> Forecast:
    """Probability alive, expected purchases month by month, and expected spend per customer."""
    if not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
        raise ValueError(f"horizon_months must be 1..{MAX_HORIZON_MONTHS}")
    base = forecast_base(data, purchase, spend)
    return forecast_from(
        base, cumulative_purchases(base, purchase, 1, horizon_months), horizon_months
    )


def discount_factors(months: int, annual_rate: float) -> np.ndarray:
    """1 / (1 + d)^k for months k = 1..months, with d the monthly rate equivalent to `annual_rate`.

    (1 + d)^12 = 1 + annual_rate, so cash in month 12 is discounted by exactly one year.
    """
    return (1.0 + annual_rate) ** (-np.arange(1, months + 1) / 12.0)


def customer_clv(
    fc: Forecast, margin: float, annual_discount: float, repeat_uplift: float = 0.0
) -> pd.Series:
    """Discounted margin of each customer's expected future purchases over the horizon.

    CLV_i = margin x E[spend_i] x sum_k E[purchases_i in month k] / (1 + d)^k: the
    discounted-cash-flow form of lifetimes' `customer_lifetime_value` with a monthly
    rate d. `repeat_uplift` (0.1 = +10%) scales the expected purchases.
    """
    factors = discount_factors(fc.horizon_months, annual_discount)
    value = fc.monthly @ factors * fc.table["expected_spend"].to_numpy() * margin
    return pd.Series(value * (1.0 + repeat_uplift), index=fc.table.index, name="clv")


def cumulative_value(fc: Forecast, margin: float, annual_discount: float) -> np.ndarray:
    """Mean discounted margin per customer accumulated by month 0..H (0 at month 0)."""
    factors = discount_factors(fc.horizon_months, annual_discount)
    per_month = (fc.monthly * fc.table["expected_spend"].to_numpy()[:, None]).mean(axis=0)
    return np.concatenate([[0.0], np.cumsum(per_month * factors * margin)])


@dataclass(frozen=True)
class NewCustomerValue:
    """What a newly won customer is expected to bring: first order, then repeat purchases.

    `curve[k]` is the discounted margin accumulated by month k (k = 0: the first
    order's margin), so `curve[-1]` is the value over the horizon.
    """

    first_order_spend: float
    repeat_spend: float
    curve: np.ndarray

    @property
    def value(self) -> float:
        return float(self.curve[-1])


def new_customer_value(
    purchase: PurchaseFit,
    spend: SpendFit,
    fc: Forecast,
    margin: float,
    annual_discount: float,
) -> NewCustomerValue:
    """Value of an average new customer from the model's forecast for someone who just bought.

    Repeat purchases: E[X(t)] for a new customer (eq. 7 of Fader, Hardie & Lee 2005
    for BG/NBD), month by month; spend per repeat purchase: the spend model's
    population mean; first order: the average first-day spend in the data.
    """
    step = DAYS_PER_MONTH / UNIT_DAYS[fc.unit]
    cumulative = purchase.expected_purchases_new(np.arange(0, fc.horizon_months + 1) * step)
    monthly = np.maximum(np.diff(cumulative), 0.0)
    first = float(fc.table["first_day_spend"].mean())
    repeat = float(spend.population_mean)
    factors = discount_factors(fc.horizon_months, annual_discount)
    curve = margin * np.concatenate([[first], first + np.cumsum(monthly * factors * repeat)])
    return NewCustomerValue(first, repeat, curve)


def payback_month(curve: np.ndarray, cac: float) -> int | None:
    """First month k (0 = at the first order) whose accumulated margin covers `cac`; None if never."""
    covered = np.flatnonzero(curve >= cac - 1e-9)
    return int(covered[0]) if len(covered) else None


@dataclass(frozen=True)
class Acquisition:
    """CLV against acquisition cost: one row per group in `table`, the payback curves in `curves`.

    table columns: group (None for all customers), customers, mean_clv (future value of
    the existing customers), new_value (a new customer over the horizon), cac (NaN: not
    entered), ratio (new_value / cac; NaN without a cost above 0), payback_months (<NA>:
    no cost entered or not within the horizon; see `verdict`).
    curves columns: group, month (0..H), value (margin accumulated by a new customer), cac.
    """

    table: pd.DataFrame
    curves: pd.DataFrame

    @property
    def verdict(self) -> str | None:
        """Message key of the overall CLV : CAC reading; None until a cost above 0 is entered."""
        return acquisition_verdict(float(self.table["ratio"].iloc[0]))


def acquisition_verdict(ratio: float) -> str | None:
    """ "clv.ratio_good" (GOOD_RATIO : 1 or more, the common rule of thumb), "clv.ratio_ok"
    (break-even to GOOD_RATIO), "clv.ratio_bad" (below 1 : 1), or None without a ratio: no
    verdict on a cost nobody entered."""
    if not np.isfinite(ratio):
        return None
    if ratio >= GOOD_RATIO:
        return "clv.ratio_good"
    return "clv.ratio_ok" if ratio >= BREAK_EVEN_RATIO else "clv.ratio_bad"


def acquisition_table(
    fc: Forecast,
    clv: pd.Series,
    new: NewCustomerValue,
    cac: float | None | dict[str, float | None],
    margin: float,
    groups: pd.Series | None = None,
) -> Acquisition:
    """CLV against acquisition cost, overall or per group (acquisition channel).

    `cac` is what the user entered: one cost, or a cost per group; None (or NaN) where
    nothing was entered, and then no ratio and no payback are computed. Overall, per
    group, the cost is the customer-weighted mean of the groups' costs, known only
    when every group has one.

    A group's new-customer value keeps the group's own average first order, and scales
    the repeat part of `new` by the group's mean CLV relative to all customers
    (channels whose customers are worth more bring better repeat buyers).
    """
    overall_clv = float(clv.mean()) if len(clv) else 0.0
    rows, curves = [], []

    def add(name, members: pd.Index, group_cac: float) -> None:
        group_clv = float(clv.loc[members].mean()) if len(members) else 0.0
        index = group_clv / overall_clv if overall_clv > 0 else 1.0
        first = float(fc.table.loc[members, "first_day_spend"].mean()) * margin
        curve = first + (new.curve - new.curve[0]) * index
        known = bool(np.isfinite(group_cac) and group_cac > 0)
        rows.append(
            {
                "group": name,
                "customers": len(members),
                "mean_clv": group_clv,
                "new_value": float(curve[-1]),
                "cac": group_cac,
                "ratio": float(curve[-1]) / group_cac if known else np.nan,
                "payback_months": payback_month(curve, group_cac) if known else None,
            }
        )
        curves.append(
            pd.DataFrame(
                {"group": name, "month": np.arange(len(curve)), "value": curve, "cac": group_cac}
            )
        )

    aligned = None if groups is None else groups.reindex(fc.table.index).astype("string")
    names = [] if aligned is None else aligned.dropna().value_counts().index.tolist()
    if isinstance(cac, dict):
        costs = {str(name): _cost(cac.get(str(name))) for name in names}
        overall = _mean_cac(costs, aligned) if names else np.nan
    else:
        overall = _cost(cac)
        costs = {str(name): overall for name in names}
    add(None, fc.table.index, overall)
    for name in names:
        members = aligned.index[(aligned == name).fillna(False).to_numpy(bool)]
        add(str(name), members, costs[str(name)])
    table = pd.DataFrame(rows)
    table["payback_months"] = table["payback_months"].astype("Int64")
    return Acquisition(table, pd.concat(curves, ignore_index=True))


def _cost(value: float | None) -> float:
    return float(value) if value is not None and np.isfinite(value) else np.nan


def _mean_cac(costs: dict[str, float], groups: pd.Series) -> float:
    """Customer-weighted mean cost over the groups; NaN when any group has none entered."""
    values = np.array(list(costs.values()), float)
    if not np.isfinite(values).all():
        return np.nan
    counts = groups.value_counts()
    weights = np.array([counts.get(k, 0) for k in costs], float)
    return float((weights * values).sum() / weights.sum())


@dataclass(frozen=True)
class Uplift:
    """What "customers buy x% more often" would be worth over the horizon."""

    extra_purchases: float
    extra_revenue: float
    extra_clv: float


def repeat_uplift(fc: Forecast, clv: pd.Series, uplift: float) -> Uplift:
    """Expected purchases scaled by 1 + uplift: extra purchases, revenue and discounted margin."""
    purchases = float(fc.table["expected_purchases"].sum())
    revenue = float((fc.table["expected_purchases"] * fc.table["expected_spend"]).sum())
    return Uplift(purchases * uplift, revenue * uplift, float(clv.sum()) * uplift)


# ---------------------------------------------------------------------------
# Tables for charts
# ---------------------------------------------------------------------------


def clv_distribution(clv: pd.Series, bins: int = 30) -> pd.DataFrame:
    """CLV binned for a histogram: bin_start, bin_end, customers, total (CLV in the bin), open_end.

    Bins are equal-width up to the 99th percentile (OPEN_END_QUANTILE); customers above it
    fall in the last bin (open_end True), so a few very valuable customers do not squash
    the chart.
    """
    values = clv.to_numpy(float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return pd.DataFrame(columns=["bin_start", "bin_end", "customers", "total", "open_end"])
    top = float(np.quantile(values, OPEN_END_QUANTILE))
    low = min(0.0, float(values.min()))
    if top <= low:
        top = low + 1.0
    edges = np.linspace(low, top, bins + 1)
    which = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    customers = np.bincount(which, minlength=bins)
    total = np.bincount(which, weights=values, minlength=bins)
    open_end = np.zeros(bins, bool)
    open_end[-1] = bool((values > top).any())
    return pd.DataFrame(
        {
            "bin_start": edges[:-1],
            "bin_end": edges[1:],
            "customers": customers,
            "total": total,
            "open_end": open_end,
        }
    )


def value_share_of_top(clv: pd.Series, top: float = TOP_VALUE_SHARE) -> float:
    """Share of the total CLV held by the `top` fraction of customers (at least one customer)."""
    total = float(clv.sum())
    if total <= 0 or len(clv) == 0:
        return 0.0
    values = clv.to_numpy(float)
    count = max(1, int(len(values) * top))
    # The `count` largest values (np.partition: linear time, unlike sorting).
    return float(np.partition(values, len(values) - count)[len(values) - count :].sum()) / total


def top_positions(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` largest values, largest first, ties in position order.

    The same as `np.argsort(-values, kind="stable")[:count]`, in linear time.
    """
    count = min(count, len(values))
    if count == 0:
        return np.zeros(0, np.int64)
    threshold = np.partition(values, len(values) - count)[len(values) - count]
    above = np.flatnonzero(values > threshold)
    tied = np.flatnonzero(values == threshold)[: count - len(above)]
    chosen = np.concatenate([above, tied])
    return chosen[np.argsort(-values[chosen], kind="stable")]


def value_by_group(table: pd.DataFrame, clv: pd.Series, groups: pd.Series) -> pd.DataFrame:
    """Per group: customers, mean_clv, total_clv, clv_share, mean_p_alive (largest total first).

    Customers without a group count under "?". Sums by integer codes (`np.bincount`):
    the pandas group-by it replaces took 25 ms for 5,000 customers, on every What-if
    change; the test compares the two.
    """
    labels = groups.reindex(table.index)
    if isinstance(labels.dtype, pd.CategoricalDtype):
        codes = labels.cat.codes.to_numpy(np.int64)
        names = np.append(labels.cat.categories.astype(str).to_numpy(object), "?")
        codes = np.where(codes < 0, len(names) - 1, codes)
    else:
        codes, uniques = pd.factorize(labels.astype("string").fillna("?"))
        names = np.asarray(uniques, dtype=object)
    values = clv.reindex(table.index).to_numpy(float)
    size = len(names)
    customers = np.bincount(codes, minlength=size)
    present = customers > 0
    total = np.bincount(codes, weights=values, minlength=size)
    alive = np.bincount(codes, weights=table["p_alive"].to_numpy(float), minlength=size)
    out = pd.DataFrame(
        {
            "group": pd.array(names[present].astype(str), dtype="string"),
            "customers": customers[present],
            "mean_clv": total[present] / customers[present],
            "total_clv": total[present],
            "mean_p_alive": alive[present] / customers[present],
        }
    )
    everything = out["total_clv"].sum()
    out["clv_share"] = out["total_clv"] / everything if everything else 0.0
    # By name, then by total (stable): the order a sorted group-by then a sort gives.
    out = out.sort_values("group", kind="stable").sort_values(
        "total_clv", ascending=False, kind="stable"
    )
    return out[
        ["group", "customers", "mean_clv", "total_clv", "mean_p_alive", "clv_share"]
    ].reset_index(drop=True)


def frequency_recency_matrix(
    purchase: PurchaseFit, data: ClvData, horizon: float, cells: int = 24
) -> pd.DataFrame:
    """Expected purchases over `horizon` (in the data's unit) and P(alive) on a frequency x recency grid.

    As lifetimes' plot_frequency_recency_matrix: customers of the longest age T seen.
    Frequency runs 0..its 99th percentile (at most `cells` rows); recency is binned
    into `cells` steps from 0 to T. Columns: frequency, recency, recency_end,
    expected_purchases, p_alive, customers (actual customers in the cell, any age).
    """
    s = data.summary
    T = float(s["T"].max())
    top = int(max(1, min(np.quantile(s["frequency"], 0.99), cells - 1)))
    frequencies = np.arange(0, top + 1)
    edges = np.linspace(0.0, T, cells + 1)
    mids = (edges[:-1] + edges[1:]) / 2
    x, r = np.meshgrid(frequencies, mids, indexing="ij")
    x, r = x.ravel().astype(float), r.ravel()
    # A customer without repeat purchases has recency 0 whatever the cell.
    r = np.where(x == 0, 0.0, r)
    ages = np.full_like(r, T)
    grid = pd.DataFrame(
        {
            "frequency": x.astype(int),
            "recency": np.tile(edges[:-1], len(frequencies)),
            "recency_end": np.tile(edges[1:], len(frequencies)),
            "expected_purchases": purchase.expected_purchases(horizon, x, r, ages),
            "p_alive": purchase.probability_alive(x, r, ages),
        }
    )
    cell_f = np.minimum(s["frequency"].to_numpy(), top)
    cell_r = np.clip(
        np.searchsorted(edges, s["recency"].to_numpy(), side="right") - 1, 0, cells - 1
    )
    counts = np.bincount(cell_f * cells + cell_r, minlength=len(frequencies) * cells)
    grid["customers"] = counts
    return grid


def customer_table(
    fc: Forecast,
    clv: pd.Series,
    segments: pd.Series | None = None,
    channels: pd.Series | None = None,
) -> pd.DataFrame:
    """The per-customer table of the page and its export, highest CLV first.

    Columns: customer_id, clv, p_alive, expected_purchases, expected_spend, purchases
    (purchase days so far), total_spend, and segment, channel when given.
    """
    t = fc.table
    out = pd.DataFrame(
        {
            "clv": clv.reindex(t.index),
            "p_alive": t["p_alive"],
            "expected_purchases": t["expected_purchases"],
            "expected_spend": t["expected_spend"],
            "purchases": t["frequency"] + 1,
            "total_spend": t["total_spend"],
        },
        index=t.index,
    )
    if segments is not None:
        out["segment"] = segments.reindex(t.index)
    if channels is not None:
        out["channel"] = channels.reindex(t.index)
    return out.sort_values("clv", ascending=False, kind="stable").reset_index()
