"""Cohort retention, churn over time and survival (Kaplan-Meier) for transactional and subscription data.

Transactional data starts from the orders table (`core.summary.orders_table`); a
customer counts as churned after `churn_days` without an order, a threshold learned
from the data's own inter-purchase gaps (`core.segmentation.lifecycle_thresholds`).
Subscription-style data (a customers table with churned / end_date / tenure) is used
directly: its churn flag and tenure are the truth, no threshold is needed.

The Retention page's tabs each read one view (`cohort_view`, `churn_view` or
`subscription_churn_view`, `survival_view`): frozen results whose readings are
`Problem`s (severity info) that `say` words in the user's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from core.calendar import DAYS_PER_MONTH
from core.format import fmt_p, fmt_share
from core.i18n import t
from core.problems import Problem, problem
from core.segmentation import lifecycle_thresholds, purchase_days
from core.summary import require_columns

Period = Literal["month", "week", "quarter"]
PERIODS: tuple[Period, ...] = ("month", "week", "quarter")
LifetimeUnit = Literal["days", "tenure"]

MAX_GROUPS = 8  # groups beyond the largest ones are pooled as "other"
MIN_GROUP_CUSTOMERS = 5  # smaller groups are pooled too: their curves are noise
MIN_SURVIVAL_CUSTOMERS = 10
OTHER = "other"
UNKNOWN = "unknown"
ALL = "all"

# Message keys returned as data (texts in core.i18n.retention).
MSG_NO_COHORTS = "retention.no_cohorts"
MSG_NO_SIGNUP = "retention.sub_no_signup"
MSG_NO_SUBSCRIPTION = "retention.sub_no_columns"
MSG_TOO_FEW_LIFETIMES = "retention.too_few_lifetimes"
MSG_ONE_GROUP = "retention.one_group"
MSG_NO_EVENTS = "retention.no_events"
LOGRANK_ALPHA = 0.05  # survival curves "really differ" below this p-value

_DAY_NS = 86_400 * 10**9
# 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday.
_WEEK_SHIFT = 3


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------


def period_number(dates: np.ndarray | pd.Series, period: Period) -> np.ndarray:
    """Consecutive integer numbers of the calendar periods that `dates` fall in.

    Months count from 1970-01, quarters from 1970-Q1, weeks (Monday to Sunday) from
    the week of 1969-12-29; consecutive periods differ by one.
    """
    values = np.asarray(dates, dtype="datetime64[ns]")
    if period == "week":
        return (values.astype("datetime64[D]").astype(np.int64) + _WEEK_SHIFT) // 7
    months = values.astype("datetime64[M]").astype(np.int64)
    if period == "month":
        return months
    if period == "quarter":
        return months // 3
    raise ValueError(f"unknown period {period!r}")


def period_start(numbers: np.ndarray, period: Period) -> pd.DatetimeIndex:
    """First day of each period number (the inverse of `period_number`)."""
    numbers = np.asarray(numbers, dtype=np.int64)
    if period == "week":
        days = numbers * 7 - _WEEK_SHIFT
        return pd.DatetimeIndex(days.astype("datetime64[D]").astype("datetime64[ns]"))
    months = numbers if period == "month" else numbers * 3
    return pd.DatetimeIndex(months.astype("datetime64[M]").astype("datetime64[ns]"))


def _last_complete_period(last_day: np.datetime64, period: Period) -> int:
    """The last period that the data covers to its end (the period of `last_day` if it is its last day)."""
    this = int(period_number(np.array([last_day]), period)[0])
    next_day = np.array([last_day.astype("datetime64[D]") + np.timedelta64(1, "D")])
    return this if int(period_number(next_day, period)[0]) > this else this - 1


# ---------------------------------------------------------------------------
# Cohorts
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortActivity:
    """Which customer was active in which period after acquisition: the cached basis of cohort tables.

    ids: customer ids (str); cohort: each customer's acquisition period number;
    pair_customer / pair_age / pair_revenue: one row per (customer, period with
    activity), age = periods since acquisition (0 = the acquisition period), revenue
    in that period (None for subscription data). last_period: the last period the
    data covers completely (cells after it are left out); partial_start: start of
    the incomplete period that was left out, if any.
    """

    period: Period
    ids: pd.Index
    cohort: np.ndarray
    pair_customer: np.ndarray
    pair_age: np.ndarray
    pair_revenue: np.ndarray | None
    last_period: int
    partial_start: pd.Timestamp | None

    @property
    def has_revenue(self) -> bool:
        return self.pair_revenue is not None


def cohort_activity(orders: pd.DataFrame, period: Period = "month") -> CohortActivity:
    """Per (customer, period) activity and revenue from the orders table.

    A customer's cohort is the period of their first order; they are active in a
    period when they ordered in it. Required columns: customer_id, order_date, amount.
    One pass over the orders (factorised keys and bincount); everything after it
    works on (customer, period) pairs.
    """
    require_columns(orders, ("customer_id", "order_date", "amount"))
    customer = orders["customer_id"]
    dates = orders["order_date"].to_numpy("datetime64[ns]")
    if isinstance(customer.dtype, pd.CategoricalDtype):
        codes, ids = customer.cat.codes.to_numpy(np.int64), pd.Index(customer.cat.categories)
    else:
        codes, ids = pd.factorize(customer, sort=False)
        codes, ids = codes.astype(np.int64), pd.Index(ids)
    valid = (codes >= 0) & ~np.isnat(dates)
    codes, dates = codes[valid], dates[valid]
    amounts = orders["amount"].to_numpy(float)[valid]
    empty = np.empty(0, dtype=np.int64)
    if len(codes) == 0:
        return CohortActivity(period, pd.Index([], dtype="str"), empty, empty, empty, None, 0, None)
    # Drop ids without orders (categories can outlive their rows).
    used = np.bincount(codes, minlength=len(ids)) > 0
    remap = np.cumsum(used) - 1
    codes, ids = remap[codes], ids[used].astype("str")
    numbers = period_number(dates, period)
    first = np.full(len(ids), np.iinfo(np.int64).max)
    np.minimum.at(first, codes, numbers)
    age = numbers - first[codes]
    span = int(age.max()) + 1
    pair_key, uniques = pd.factorize(codes * span + age, sort=False)
    revenue = np.bincount(pair_key, weights=amounts, minlength=len(uniques))
    last = _last_complete_period(dates.max(), period)
    partial = None
    if last < int(numbers.max()):
        partial = period_start(np.array([last + 1]), period)[0]
    return CohortActivity(
        period,
        pd.Index(ids, name="customer_id"),
        first,
        uniques // span,
        uniques % span,
        revenue,
        last,
        partial,
    )


def subscription_activity(
    customers: pd.DataFrame, period: Period = "month", as_of: pd.Timestamp | None = None
) -> CohortActivity:
    """Cohort activity of subscription-style customers: subscribed from signup to end (or to `as_of`).

    Required: customer_id, signup_date, and end_date or churned. A customer is active
    in every period from the signup's to the end date's (churned customers without
    an end date are taken as active for `tenure` months when the data has a tenure,
    else only in their signup period). `as_of` defaults to the latest date in the
    table. Revenue is not known (pair_revenue is None).
    """
    require_columns(customers, ("customer_id", "signup_date"))
    signup = customers["signup_date"].to_numpy("datetime64[ns]")
    end = (
        customers["end_date"].to_numpy("datetime64[ns]")
        if "end_date" in customers
        else np.full(len(customers), np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    churned = _churn_flags(customers)
    keep = ~np.isnat(signup)
    if as_of is None:
        stamps = np.concatenate([signup[keep], end[~np.isnat(end)]])
        if len(stamps) == 0:
            empty = np.empty(0, dtype=np.int64)
            return CohortActivity(
                period, pd.Index([], dtype="str"), empty, empty, empty, None, 0, None
            )
        as_of_value = stamps.max()
    else:
        as_of_value = np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns")
    start = period_number(signup[keep], period)
    last_data = int(period_number(np.array([as_of_value]), period)[0])
    stop = np.full(len(start), last_data, dtype=np.int64)
    ended = end[keep]
    has_end = ~np.isnat(ended)
    stop[has_end] = period_number(ended[has_end], period)
    if "tenure" in customers:
        # Churned without an end date: signup + tenure months.
        tenure = pd.to_numeric(customers["tenure"], errors="coerce").to_numpy(float)[keep]
        gone = churned[keep] & ~has_end & ~np.isnan(tenure)
        months = np.round(tenure[gone]).astype(np.int64)
        end_guess = (signup[keep][gone].astype("datetime64[M]") + months).astype("datetime64[ns]")
        stop[gone] = period_number(end_guess, period)
    else:
        gone = churned[keep] & ~has_end
        stop[gone] = start[gone]
    stop = np.clip(stop, start, last_data)
    lengths = stop - start + 1
    customer = np.repeat(np.arange(len(start)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    last = _last_complete_period(as_of_value, period)
    partial = period_start(np.array([last + 1]), period)[0] if last < last_data else None
    ids = pd.Index(customers["customer_id"].astype("str").to_numpy()[keep], name="customer_id")
    return CohortActivity(period, ids, start, customer, offsets, None, last, partial)


def cohort_table(
    activity: CohortActivity,
    groups: pd.Series | None = None,
    min_group_customers: int = MIN_GROUP_CUSTOMERS,
) -> pd.DataFrame:
    """Retention of every (group, cohort) at every observed age, as tidy rows.

    Parameters
    ----------
    activity : from `cohort_activity` or `subscription_activity`.
    groups : optional Series indexed by customer_id giving each customer's group
        (acquisition channel, first category, ...); missing values become "unknown".
        Without it every customer is in group "all". Groups are pooled by
        `pooled_groups` (beyond the MAX_GROUPS largest, or with fewer than
        `min_group_customers` customers: "other").

    Returns
    -------
    DataFrame with one row per group, cohort and age (periods since acquisition),
    for ages the data covers completely:

    - group, cohort (period number), cohort_start (Timestamp), age;
    - customers: the cohort's size (customers acquired in that period);
    - active: customers who were active in exactly period `age`;
    - active_later: customers active in period `age` or any later period;
    - retention = active / customers ("active in exactly period k");
    - retention_later = active_later / customers ("active in period k or later":
      never rises with age, because a customer who comes back later still counts);
    - revenue, revenue_retention = revenue in period `age` / revenue in period 0
      (NaN for subscription data without revenue).
    """
    n_customers = len(activity.ids)
    columns = [
        "group",
        "cohort",
        "cohort_start",
        "age",
        "customers",
        "active",
        "active_later",
        "retention",
        "retention_later",
        "revenue",
        "revenue_retention",
    ]
    observed = activity.cohort <= activity.last_period
    if n_customers == 0 or not observed.any():
        return pd.DataFrame({c: [] for c in columns})
    group_codes, group_names = _group_codes(activity.ids, groups, min_group_customers)
    c0 = int(activity.cohort[observed].min())
    n_cohorts = activity.last_period - c0 + 1
    n_ages = n_cohorts
    n_groups = len(group_names)
    cohort_index = np.where(observed, activity.cohort - c0, 0)
    cell_of_customer = group_codes * n_cohorts + cohort_index
    sizes = np.bincount(cell_of_customer[observed], minlength=n_groups * n_cohorts)

    pair_customer, pair_age = activity.pair_customer, activity.pair_age
    in_view = observed[pair_customer] & (
        activity.cohort[pair_customer] + pair_age <= activity.last_period
    )
    pc, pa = pair_customer[in_view], pair_age[in_view]
    flat = cell_of_customer[pc] * n_ages + pa
    n_cells = n_groups * n_cohorts * n_ages
    active = np.bincount(flat, minlength=n_cells).reshape(n_groups, n_cohorts, n_ages)
    if activity.pair_revenue is not None:
        revenue = np.bincount(flat, weights=activity.pair_revenue[in_view], minlength=n_cells)
        revenue = revenue.reshape(n_groups, n_cohorts, n_ages)
    else:
        revenue = np.full((n_groups, n_cohorts, n_ages), np.nan)
    last_age = np.full(n_customers, -1, dtype=np.int64)
    np.maximum.at(last_age, pc, pa)
    has = observed & (last_age >= 0)
    later = np.bincount(cell_of_customer[has] * n_ages + last_age[has], minlength=n_cells).reshape(
        n_groups, n_cohorts, n_ages
    )
    later = np.cumsum(later[:, :, ::-1], axis=2)[:, :, ::-1]

    g, c, a = np.meshgrid(
        np.arange(n_groups), np.arange(n_cohorts), np.arange(n_ages), indexing="ij"
    )
    size = np.broadcast_to(sizes.reshape(n_groups, n_cohorts, 1), g.shape)
    keep = (size > 0) & (c + a <= n_cohorts - 1)
    first_revenue = np.broadcast_to(revenue[:, :, :1], g.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "group": np.asarray(group_names, dtype=object)[g[keep]],
                "cohort": c[keep] + c0,
                "cohort_start": period_start(c[keep] + c0, activity.period),
                "age": a[keep],
                "customers": size[keep],
                "active": active[keep],
                "active_later": later[keep],
                "retention": active[keep] / size[keep],
                "retention_later": later[keep] / size[keep],
                "revenue": revenue[keep],
                "revenue_retention": np.where(
                    first_revenue[keep] > 0, revenue[keep] / first_revenue[keep], np.nan
                ),
            }
        )
    return table.reset_index(drop=True)


def average_curve(table: pd.DataFrame) -> pd.DataFrame:
    """Retention by age averaged over cohorts, weighting each cohort by its size.

    At each age only the cohorts observed that long count: retention = sum of active /
    sum of cohort sizes over those cohorts (likewise retention_later), and
    revenue_retention = their revenue in period `age` / their revenue in period 0.
    Returns group, age, cohorts, customers, retention, retention_later, revenue_retention.
    """
    if table.empty:
        return pd.DataFrame(
            columns=[
                "group",
                "age",
                "cohorts",
                "customers",
                "retention",
                "retention_later",
                "revenue_retention",
            ]
        )
    first = table[table["age"] == 0].set_index(["group", "cohort"])["revenue"]
    base = table.assign(
        first_revenue=first.reindex(pd.MultiIndex.from_frame(table[["group", "cohort"]])).to_numpy()
    )
    sums = base.groupby(["group", "age"], sort=True).agg(
        cohorts=("cohort", "size"),
        customers=("customers", "sum"),
        active=("active", "sum"),
        active_later=("active_later", "sum"),
        revenue=("revenue", "sum"),
        first_revenue=("first_revenue", "sum"),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(
            {
                "cohorts": sums["cohorts"],
                "customers": sums["customers"],
                "retention": sums["active"] / sums["customers"],
                "retention_later": sums["active_later"] / sums["customers"],
                "revenue_retention": (sums["revenue"] / sums["first_revenue"]).where(
                    sums["first_revenue"] > 0
                ),
            }
        )
    if table["revenue"].isna().all():
        out["revenue_retention"] = np.nan
    return out.reset_index()


def _group_codes(
    ids: pd.Index, groups: pd.Series | None, min_customers: int
) -> tuple[np.ndarray, list[str]]:
    if groups is None:
        return np.zeros(len(ids), dtype=np.int64), [ALL]
    values = pooled_groups(groups.reindex(ids), min_customers=min_customers)
    names = sorted(values.unique(), key=group_sort_key)
    codes = pd.Index(names).get_indexer(values)
    return codes.astype(np.int64), [str(n) for n in names]


def group_sort_key(name: str) -> tuple[int, float, str]:
    """Sort key for groups in tables and legends.

    Amount bands go by amount ("≤ 12" < "12–25" < "> 48"), other names alphabetically,
    "other" and "unknown" last.
    """
    if name in (OTHER, UNKNOWN):
        return (3, 0.0, name)
    for prefix, rank in (("≤ ", 0), ("> ", 2)):
        if name.startswith(prefix):
            try:
                return (rank, float(name.removeprefix(prefix)), name)
            except ValueError:
                break
    head = name.split("–")[0]
    try:
        return (1, float(head), name) if "–" in name else (1, float("inf"), name)
    except ValueError:
        return (1, float("inf"), name)


def pooled_groups(
    values: pd.Series, top: int = MAX_GROUPS, min_customers: int = MIN_GROUP_CUSTOMERS
) -> pd.Series:
    """Group labels as text: missing -> "unknown"; beyond the `top` largest or smaller than `min_customers` -> "other"."""
    text = values.astype("object").where(values.notna(), None)
    text = text.map(lambda v: v if v is None else str(v))
    counts = text.value_counts()
    keep = counts.index[:top][counts.iloc[:top] >= min_customers]
    pooled = text.where(text.isin(keep) | text.isna(), OTHER)
    return pooled.fillna(UNKNOWN).astype(str)


# ---------------------------------------------------------------------------
# Attributes to split by
# ---------------------------------------------------------------------------

# Attributes the page can split cohorts and survival curves by, in this order.
GROUP_COLUMNS = (
    "channel",
    "first_category",
    "first_discount",
    "first_channel",
    "first_value",
    "region",
    "gender",
    "age_band",
)
_MAX_LEVELS = 12


def acquisition_attributes(
    transactions: pd.DataFrame | None, customers: pd.DataFrame | None
) -> pd.DataFrame:
    """What each customer looked like when acquired, for splitting cohorts and survival curves.

    Indexed by customer_id (str). Columns, when the data has them:

    - channel: acquisition channel (customers.channel);
    - first_category: the category with the largest amount in the customer's first
      order (the lines at their earliest order time);
    - first_discount: "yes" when a line of the first order had discount > 0, else "no";
    - first_channel: the sales channel of the first order (transactions.channel);
    - first_value: the first order's amount in four bands of about equal size;
    - region, gender (customers table), age_band (customers.age in bands); without a
      customers table region, the region of the first order (transactions.region);
    - any other text column of the customers table with 2 to 12 values (e.g. plan).

    A column with only one value is left out (nothing to compare).
    """
    parts: list[pd.DataFrame] = []
    if transactions is not None and len(transactions):
        parts.append(_first_order_attributes(transactions))
    if customers is not None and len(customers):
        attrs = pd.DataFrame(
            index=pd.Index(customers["customer_id"].astype("str"), name="customer_id")
        )
        for column in ("channel", "region", "gender"):
            if column in customers:
                attrs[column] = customers[column].astype("object").to_numpy()
        if "age" in customers:
            age = pd.to_numeric(customers["age"], errors="coerce").to_numpy(float)
            bands = pd.cut(
                age,
                [0, 25, 35, 45, 55, 65, 200],
                right=False,
                labels=["<25", "25-34", "35-44", "45-54", "55-64", "65+"],
            )
            attrs["age_band"] = np.asarray(bands.astype(object))
        known = {"customer_id", "signup_date", "end_date", "churned", "tenure", "age"}
        for column in customers.columns:
            if column in known or column in attrs.columns:
                continue
            values = customers[column]
            if pd.api.types.is_numeric_dtype(values) and values.nunique() > _MAX_LEVELS:
                continue
            if 2 <= values.nunique() <= _MAX_LEVELS:
                attrs[str(column)] = values.astype("object").to_numpy()
        attrs = attrs[~attrs.index.duplicated()]
        parts.append(attrs)
    if not parts:
        return pd.DataFrame(index=pd.Index([], name="customer_id", dtype="str"))
    # The region of the first order stands in when the customers table has none.
    first = parts[0]
    if "first_region" in first:
        has_region = len(parts) > 1 and "region" in parts[1]
        parts[0] = (
            first.drop(columns="first_region")
            if has_region
            else first.rename(columns={"first_region": "region"})
        )
    out = pd.concat(parts, axis=1) if len(parts) > 1 else parts[0]
    out.index.name = "customer_id"
    keep = [c for c in out.columns if out[c].nunique(dropna=True) >= 2]
    return out[keep]


def _first_order_attributes(transactions: pd.DataFrame) -> pd.DataFrame:
    customer = transactions["customer_id"]
    if isinstance(customer.dtype, pd.CategoricalDtype):
        codes, ids = customer.cat.codes.to_numpy(np.int64), pd.Index(customer.cat.categories)
    else:
        codes, ids = pd.factorize(customer, sort=False)
        codes, ids = codes.astype(np.int64), pd.Index(ids)
    stamps = transactions["order_date"].to_numpy("datetime64[ns]").view("int64")
    valid = (codes >= 0) & (stamps != np.iinfo(np.int64).min)
    first = np.full(len(ids), np.iinfo(np.int64).max)
    np.minimum.at(first, codes[valid], stamps[valid])
    rows = np.flatnonzero(valid & (stamps == first[np.where(codes >= 0, codes, 0)]))
    line_codes = codes[rows]
    seen = np.bincount(line_codes, minlength=len(ids)) > 0
    out = pd.DataFrame(index=pd.Index(ids[seen].astype("str"), name="customer_id"))
    amounts = transactions["amount"].to_numpy(float)[rows]
    for source, target in (
        ("category", "first_category"),
        ("channel", "first_channel"),
        ("region", "first_region"),
    ):
        if source in transactions:
            values = transactions[source].iloc[rows]
            frame = pd.DataFrame(
                {"code": line_codes, "value": values.astype("object").to_numpy(), "amount": amounts}
            ).dropna(subset=["value"])
            sums = frame.groupby(["code", "value"], sort=False)["amount"].sum().reset_index()
            top = sums.sort_values("amount", ascending=False, kind="stable").drop_duplicates("code")
            mapped = pd.Series(
                top["value"].to_numpy(), index=ids[top["code"].to_numpy()].astype("str")
            )
            out[target] = mapped.reindex(out.index).to_numpy()
    if "discount" in transactions:
        discount = transactions["discount"].to_numpy(float)[rows]
        any_discount = np.zeros(len(ids), dtype=bool)
        np.logical_or.at(any_discount, line_codes, np.nan_to_num(discount) > 0)
        out["first_discount"] = np.where(any_discount[seen], "yes", "no")
    first_value = np.bincount(line_codes, weights=amounts, minlength=len(ids))[seen]
    out["first_value"] = value_bands(first_value)
    return out


def value_bands(values: np.ndarray, bands: int = 4) -> np.ndarray:
    """Amounts in `bands` bands of about equal size, labelled by their range ("12–25", "> 60").

    Edges are the quantiles of the values rounded to two significant digits (so that
    labels read like prices); equal edges are merged, so there may be fewer bands.
    """
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return np.empty(0, dtype=object)
    inner = np.quantile(values, np.arange(1, bands) / bands)
    edges = np.unique([float(f"{e:.2g}") for e in inner if e > 0])
    if len(edges) == 0:
        return np.full(len(values), "all", dtype=object)
    labels = [f"≤ {edges[0]:g}"]
    labels += [f"{low:g}–{high:g}" for low, high in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f"> {edges[-1]:g}")
    return np.asarray(labels, dtype=object)[np.searchsorted(edges, values, side="left")]


# ---------------------------------------------------------------------------
# Churn: threshold, spells, churn rate by month
# ---------------------------------------------------------------------------


def churn_threshold_days(orders: pd.DataFrame) -> tuple[int, int, Problem | None]:
    """The data's own inactivity threshold: (churn_days, number of gaps, a reading or None).

    The 95th percentile of the customer-weighted gaps between purchase days, as
    `core.segmentation.lifecycle_thresholds` defines it (one threshold for the
    whole app: a customer "churned" on the Segmentation page is churned here too).
    """
    found = lifecycle_thresholds(orders)
    return found.churn_days, found.n_gaps, found.problem


@dataclass(frozen=True)
class Spells:
    """Stretches of activity: a customer is active from a purchase until `churn_days` after the last one.

    A spell starts at a purchase day that follows more than `churn_days` of silence
    (or the first purchase) and ends on the first day with more than `churn_days` of
    silence (last purchase day + churn_days + 1): the customer's churn date.
    Arrays in days since 1970-01-01. `observed_end` is False when the end lies after
    `as_of_day` (the customer may still come back: censored).
    """

    customer: np.ndarray
    start: np.ndarray
    last_purchase: np.ndarray
    end: np.ndarray
    observed_end: np.ndarray
    ids: pd.Index
    first_day: int
    as_of_day: int


def activity_spells(orders: pd.DataFrame, churn_days: int) -> Spells:
    """Activity spells of every customer (see `Spells`), up to the last order's day."""
    if churn_days < 1:
        raise ValueError("churn_days must be at least 1")
    require_columns(orders, ("customer_id", "order_date", "amount"))
    history = purchase_days(orders, None)
    day, customer, gap = history.day, history.customer, history.gap
    if history.as_of_day is None or len(day) == 0:
        empty = np.empty(0, dtype=np.int64)
        return Spells(empty, empty, empty, empty, np.empty(0, bool), history.ids, 0, 0)
    opens = (gap == 0) | (gap > churn_days)
    spell_id = np.cumsum(opens) - 1
    starts = day[opens]
    last = np.full(len(starts), np.iinfo(np.int64).min)
    np.maximum.at(last, spell_id, day)
    # The churn date is the first day on which the silence exceeds churn_days.
    end = last + churn_days + 1
    return Spells(
        customer[opens],
        starts,
        last,
        end,
        end <= history.as_of_day,
        history.ids,
        int(day.min()),
        history.as_of_day,
    )


def monthly_churn(spells: Spells) -> pd.DataFrame:
    """Churn rate by calendar month: customers who passed the inactivity threshold / customers active at the month's start.

    A customer is active on a day when they bought within the last `churn_days`
    days (inside a spell). Their churn date is the spell's end (last purchase +
    churn_days + 1, the first day of a silence longer than the threshold). Only whole months from the first month in which a customer could
    have churned (first purchase + churn_days) to the last complete month count.

    Returns month (Timestamp of the 1st), active_start, churned, churn_rate,
    new_customers (first purchase in the month), returned (a later spell started).
    """
    columns = ["month", "active_start", "churned", "churn_rate", "new_customers", "returned"]
    if len(spells.start) == 0:
        return pd.DataFrame(columns=columns)
    first_possible = spells.first_day + int((spells.end - spells.last_purchase).min())
    months = np.arange(
        _month_of_day(first_possible) + (0 if _is_month_start(first_possible) else 1),
        _month_of_day(
            spells.as_of_day + 1
        ),  # exclusive: the month holding as_of + 1 is not complete
    )
    if len(months) == 0:
        return pd.DataFrame(columns=columns)
    bounds = _month_bounds(months)
    first_spell = np.ones(len(spells.start), dtype=bool)
    first_spell[1:] = spells.customer[1:] != spells.customer[:-1]
    return _churn_table(
        months,
        bounds,
        np.sort(spells.start),
        np.sort(spells.end),
        new=_count_in(np.sort(spells.start[first_spell]), bounds),
        returned=_count_in(np.sort(spells.start[~first_spell]), bounds),
    )


def subscription_monthly_churn(customers: pd.DataFrame) -> pd.DataFrame:
    """Churn rate by month for subscription data: end dates in the month / customers subscribed at its start.

    Needs signup_date and end_date. Returns the columns of `monthly_churn`
    (returned is always 0: a subscription that ended does not come back here).
    """
    columns = ["month", "active_start", "churned", "churn_rate", "new_customers", "returned"]
    if "signup_date" not in customers or "end_date" not in customers:
        return pd.DataFrame(columns=columns)
    signup = customers["signup_date"].to_numpy("datetime64[ns]").astype("datetime64[D]")
    end = customers["end_date"].to_numpy("datetime64[ns]").astype("datetime64[D]")
    ok = ~np.isnat(signup)
    signup, end = signup[ok].astype(np.int64), end[ok]
    if len(signup) == 0:
        return pd.DataFrame(columns=columns)
    has_end = ~np.isnat(end)
    end_days = np.where(has_end, end.astype(np.int64), np.iinfo(np.int64).max)
    last_day = int(max(signup.max(), end_days[has_end].max() if has_end.any() else signup.max()))
    months = np.arange(_month_of_day(int(signup.min())) + 1, _month_of_day(last_day + 1))
    if len(months) == 0:
        return pd.DataFrame(columns=columns)
    bounds = _month_bounds(months)
    starts = np.sort(signup)
    return _churn_table(
        months,
        bounds,
        starts,
        np.sort(end_days),
        new=_count_in(starts, bounds),
        returned=np.zeros(len(months), dtype=np.int64),
    )


def _month_bounds(months: np.ndarray) -> np.ndarray:
    """First days (days since 1970) of `months` and of the month after the last one."""
    bounds = np.append(months, months[-1] + 1).astype("datetime64[M]").astype("datetime64[D]")
    return bounds.astype(np.int64)


def _count_in(sorted_days: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """How many of `sorted_days` fall in each [bounds[i], bounds[i + 1])."""
    return np.searchsorted(sorted_days, bounds[1:], "left") - np.searchsorted(
        sorted_days, bounds[:-1], "left"
    )


def _churn_table(
    months: np.ndarray,
    bounds: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    new: np.ndarray,
    returned: np.ndarray,
) -> pd.DataFrame:
    """Monthly churn from sorted activity starts and ends (churn dates), in days.

    Active at a month's start: a start on or before it and no end on or before it
    (start <= s < end); churned in the month: an end inside it.
    """
    active = np.searchsorted(starts, bounds[:-1], "right") - np.searchsorted(
        ends, bounds[:-1], "right"
    )
    churned = _count_in(ends, bounds)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(active > 0, churned / active, np.nan)
    return pd.DataFrame(
        {
            "month": months.astype("datetime64[M]").astype("datetime64[ns]"),
            "active_start": active,
            "churned": churned,
            "churn_rate": rate,
            "new_customers": new,
            "returned": returned,
        }
    )


def _month_of_day(day: int) -> int:
    return int(np.datetime64(day, "D").astype("datetime64[M]").astype(np.int64))


def _is_month_start(day: int) -> bool:
    return np.datetime64(day, "D") == np.datetime64(day, "D").astype("datetime64[M]")


# ---------------------------------------------------------------------------
# Lifetimes and survival
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lifetimes:
    """One lifetime per customer: duration, whether the end was seen (churned), and the unit.

    table: indexed by customer_id with duration (float) and churned (bool).
    unit: "days", or "tenure" (the unit of the file's tenure column, usually months).
    dropped: customers left out for lack of a start or a duration.
    """

    table: pd.DataFrame
    unit: LifetimeUnit
    dropped: int = 0


def customer_lifetimes(spells: Spells) -> Lifetimes:
    """Each customer's buying lifetime from transactions: days from the first to the last order.

    Churned (the event) when the last order is more than churn_days before the last
    day of data. Customers still active are censored at their latest order: their
    lifetime is at least that long. So the Kaplan-Meier curve starts below 1 by the
    share of customers who never came back after a first order (a lifetime of 0 days).
    """
    if len(spells.start) == 0:
        empty = pd.DataFrame(
            {"duration": pd.Series([], dtype=float), "churned": pd.Series([], dtype=bool)},
            index=pd.Index([], name="customer_id", dtype="str"),
        )
        return Lifetimes(empty, "days")
    n = len(spells.ids)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, spells.customer, spells.start)
    np.maximum.at(last, spells.customer, spells.last_purchase)
    seen = first != np.iinfo(np.int64).max
    churn_days = int((spells.end - spells.last_purchase).max()) - 1
    table = pd.DataFrame(
        {
            "duration": (last - first)[seen].astype(float),
            "churned": (spells.as_of_day - last[seen]) > churn_days,
        },
        index=pd.Index(np.asarray(spells.ids)[seen].astype(str), name="customer_id", dtype="str"),
    )
    return Lifetimes(table, "days")


def has_subscription_columns(customers: pd.DataFrame | None) -> bool:
    """True when a customers table says who churned (a churn flag or an end date)."""
    return customers is not None and bool({"churned", "end_date"} & set(customers.columns))


def subscription_lifetimes(customers: pd.DataFrame, as_of: pd.Timestamp | None = None) -> Lifetimes:
    """Lifetimes straight from a subscription-style customers table.

    The event is the churn flag when there is one, else "has an end date". The
    duration is `tenure` when the table has it (its own unit, usually months);
    otherwise the days from signup_date to end_date (or to `as_of`, default the
    latest date in the table, for customers still subscribed). Customers without a
    usable duration are counted in `dropped`.
    """
    require_columns(customers, ("customer_id",))
    churned = _churn_flags(customers)
    if "tenure" in customers:
        duration = pd.to_numeric(customers["tenure"], errors="coerce").to_numpy(float)
        unit: LifetimeUnit = "tenure"
    elif "signup_date" in customers:
        signup = customers["signup_date"].to_numpy("datetime64[ns]")
        end = (
            customers["end_date"].to_numpy("datetime64[ns]")
            if "end_date" in customers
            else np.full(len(customers), np.datetime64("NaT"), dtype="datetime64[ns]")
        )
        if as_of is None:
            stamps = np.concatenate([signup[~np.isnat(signup)], end[~np.isnat(end)]])
            as_of_value = stamps.max() if len(stamps) else np.datetime64("NaT")
        else:
            as_of_value = np.datetime64(pd.Timestamp(as_of).to_datetime64(), "ns")
        stop = np.where(np.isnat(end), as_of_value, end)
        duration = (stop - signup).astype("timedelta64[D]").astype(float)
        duration[np.isnat(signup) | np.isnat(stop)] = np.nan
        unit = "days"
    else:
        duration = np.full(len(customers), np.nan)
        unit = "tenure"
    ok = ~np.isnan(duration) & (duration >= 0)
    table = pd.DataFrame(
        {"duration": duration[ok], "churned": churned[ok]},
        index=pd.Index(customers["customer_id"].astype("str").to_numpy()[ok], name="customer_id"),
    )
    table = table[~table.index.duplicated()]
    return Lifetimes(table, unit, int((~ok).sum()))


def _churn_flags(customers: pd.DataFrame) -> np.ndarray:
    """Who churned, for survival: an unknown outcome counts as still subscribed (censored)."""
    return churn_outcome(customers) == 1


def churn_outcome(customers: pd.DataFrame) -> np.ndarray:
    """Each row's outcome from a subscription table: 1.0 churned, 0.0 still subscribed, NaN unknown.

    Churned when the churn flag is set or there is an end date; still subscribed when
    the flag is 0 (or, without a flag column, when there is no end date); unknown when
    the flag is blank and no end date says otherwise.
    """
    ended = (
        ~np.isnat(customers["end_date"].to_numpy("datetime64[ns]"))
        if "end_date" in customers
        else np.zeros(len(customers), dtype=bool)
    )
    if "churned" in customers:
        flags = pd.to_numeric(customers["churned"], errors="coerce").to_numpy(float)
        outcome = np.where(np.isnan(flags), np.nan, (flags > 0).astype(float))
    else:
        outcome = np.zeros(len(customers), dtype=float)
    outcome[ended] = 1.0
    return outcome


@dataclass(frozen=True)
class SurvivalResult:
    """Kaplan-Meier curves, medians and the log-rank test.

    curves: group, time, survival, lower, upper (95% pointwise, Greenwood), at_risk;
    each group's curve starts at time 0 with survival 1.
    groups: group, customers, churned, median (NaN when the curve never falls to 0.5),
    survival_at (survival at `horizon`, NaN when not observed that long), lost_at_start
    (1 - survival at time 0: customers whose lifetime is 0, e.g. who never bought again).
    logrank_chi2 / logrank_p / logrank_df: the log-rank test across groups (None with
    one group). problem: why the data cannot support the analysis (severity error,
    no curves) or a note on it (severity info: everyone fell into one group).
    """

    curves: pd.DataFrame
    groups: pd.DataFrame
    logrank_chi2: float | None = None
    logrank_p: float | None = None
    logrank_df: int | None = None
    problem: Problem | None = None


def kaplan_meier(
    lifetimes: pd.DataFrame, groups: pd.Series | None = None, horizon: float | None = None
) -> SurvivalResult:
    """Kaplan-Meier survival curves (statsmodels SurvfuncRight) overall or by group, with a log-rank test.

    Parameters
    ----------
    lifetimes : indexed by customer_id with duration (>= 0) and churned (bool), as
        made by `customer_lifetimes` or `subscription_lifetimes`.
    groups : optional Series indexed by customer_id; pooled by `pooled_groups`
        (small groups become "other", missing "unknown").
    horizon : a time at which to read each curve (e.g. 365 days).

    The log-rank test (statsmodels `survdiff`, Mantel-Haenszel) asks whether the
    groups' survival curves differ more than chance would make them.
    """
    require_columns(lifetimes, ("duration", "churned"))
    time = lifetimes["duration"].to_numpy(float)
    status = lifetimes["churned"].to_numpy(bool).astype(int)
    if len(time) < MIN_SURVIVAL_CUSTOMERS:
        too_few = problem(MSG_TOO_FEW_LIFETIMES, minimum=MIN_SURVIVAL_CUSTOMERS)
        return SurvivalResult(_empty_curves(), _empty_groups(), problem=too_few)
    if status.sum() == 0:
        return SurvivalResult(_empty_curves(), _empty_groups(), problem=problem(MSG_NO_EVENTS))
    labels = (
        np.full(len(time), ALL, dtype=object)
        if groups is None
        else pooled_groups(groups.reindex(lifetimes.index)).to_numpy(dtype=object)
    )
    names = sorted(set(labels), key=group_sort_key)
    curve_parts, rows = [], []
    for name in names:
        mask = labels == name
        curve, row = _one_curve(time[mask], status[mask], horizon)
        curve_parts.append(curve.assign(group=name))
        rows.append({"group": name, **row})
    curves = pd.concat(curve_parts, ignore_index=True)[
        ["group", "time", "survival", "lower", "upper", "at_risk"]
    ]
    summary = pd.DataFrame(rows)
    if len(names) < 2:
        note = None if groups is None else problem(MSG_ONE_GROUP, "info")
        return SurvivalResult(curves, summary, problem=note)
    chi2, p_value = survdiff(time, status, labels)
    return SurvivalResult(curves, summary, float(chi2), float(p_value), len(names) - 1)


def _one_curve(
    time: np.ndarray, status: np.ndarray, horizon: float | None
) -> tuple[pd.DataFrame, dict[str, float]]:
    row = {
        "customers": len(time),
        "churned": int(status.sum()),
        "median": np.nan,
        "survival_at": np.nan,
        "lost_at_start": 0.0,
    }
    if status.sum() == 0:
        curve = pd.DataFrame(
            {
                "time": [0.0, float(time.max())],
                "survival": [1.0, 1.0],
                "lower": [1.0, 1.0],
                "upper": [1.0, 1.0],
                "at_risk": [len(time), int((time >= time.max()).sum())],
            }
        )
        if horizon is not None and time.max() >= horizon:
            row["survival_at"] = 1.0
        return curve, row
    fit = SurvfuncRight(time, status)
    times = np.asarray(fit.surv_times, dtype=float)
    prob = np.asarray(fit.surv_prob, dtype=float)
    se = np.nan_to_num(np.asarray(fit.surv_prob_se, dtype=float))
    curve = pd.DataFrame(
        {
            "time": np.concatenate([[0.0], times]),
            "survival": np.concatenate([[1.0], prob]),
            "lower": np.concatenate([[1.0], np.clip(prob - 1.959964 * se, 0, 1)]),
            "upper": np.concatenate([[1.0], np.clip(prob + 1.959964 * se, 0, 1)]),
            "at_risk": np.concatenate([[len(time)], np.asarray(fit.n_risk)]),
        }
    )
    # Extend to the longest follow-up so a flat tail is drawn.
    if time.max() > times.max():
        curve = pd.concat(
            [
                curve,
                pd.DataFrame(
                    {
                        "time": [float(time.max())],
                        "survival": [prob[-1]],
                        "lower": [curve["lower"].iloc[-1]],
                        "upper": [curve["upper"].iloc[-1]],
                        "at_risk": [int((time >= time.max()).sum())],
                    }
                ),
            ],
            ignore_index=True,
        )
    row["median"] = float(fit.quantile(0.5))
    row["lost_at_start"] = 1.0 - survival_at(curve, 0.0)
    if horizon is not None and time.max() >= horizon:
        row["survival_at"] = float(survival_at(curve, horizon))
    return curve, row


def survival_at(curve: pd.DataFrame, at: float) -> float:
    """A step curve's value at time `at` (the last step at or before it)."""
    position = int(np.searchsorted(curve["time"].to_numpy(float), at, side="right")) - 1
    return float(curve["survival"].iloc[max(position, 0)])


def _empty_curves() -> pd.DataFrame:
    return pd.DataFrame(columns=["group", "time", "survival", "lower", "upper", "at_risk"])


def _empty_groups() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["group", "customers", "churned", "median", "survival_at", "lost_at_start"]
    )


def logrank_reading(result: SurvivalResult, alpha: float = LOGRANK_ALPHA) -> Problem | None:
    """A plain-language reading of the log-rank test (severity info), or None without a test.

    Names the groups with the longest and the shortest median lifetime; when some
    median is not reached, the groups with the highest and lowest survival at the
    longest time every group is followed (the shortest of the groups' follow-ups), so
    that all curves are compared at one time they all cover. "other" and "unknown"
    are named only when there is nothing else. The groups "really differ" when the
    test's p-value is below `alpha`. Params: chi2, p (as text), best and worst
    (`group_name`s).
    """
    if result.logrank_p is None:
        return None
    groups = result.groups[~result.groups["group"].isin([OTHER, UNKNOWN])]
    if len(groups) < 2:
        groups = result.groups
    if groups["median"].notna().all():
        score = groups["median"].to_numpy(float)
    else:
        curves = result.curves[result.curves["group"].isin(groups["group"])]
        common = curves.groupby("group")["time"].max().min()
        score = np.array(
            [survival_at(curves[curves["group"] == g], common) for g in groups["group"]]
        )
    best = groups["group"].iloc[int(np.argmax(score))]
    worst = groups["group"].iloc[int(np.argmin(score))]
    key = "retention.logrank_differ" if result.logrank_p < alpha else "retention.logrank_same"
    return problem(
        key,
        "info",
        chi2=f"{result.logrank_chi2:.1f}",
        p=fmt_p(result.logrank_p),
        best=group_name(best),
        worst=group_name(worst),
    )


def acquisition_cohorts(activity: CohortActivity) -> pd.Series:
    """Each customer's acquisition period start (Timestamp), indexed by customer_id: a grouping for survival curves."""
    return pd.Series(
        period_start(activity.cohort, activity.period), index=activity.ids, name="cohort"
    )


# ---------------------------------------------------------------------------
# Names for people: groups, splits, cohorts
# ---------------------------------------------------------------------------


class Name(str):
    """Text from the user's data (a group, a category, a column header) inside a reading's params.

    A reading's other params are numbers already formatted; a `Name` is the user's own
    text, which the page must show as inert text (never as Markdown).
    """

    __slots__ = ()


# Group values that are words of the app, not of the data ("retention.value_<value>").
_APP_VALUES = frozenset({"yes", "no", OTHER, UNKNOWN, ALL})


def group_name(value: object) -> Problem | Name:
    """A group for a reading's params: a word of the app to translate, or the data's own text."""
    text = str(value)
    if text in _APP_VALUES:
        return Problem(f"retention.value_{text}", severity="info")
    return Name(text)


def group_label(value: object, lang: str = "en") -> str:
    """A group's name in `lang` for charts and tables ("other" -> "Other"; data values as they are)."""
    text = str(value)
    return t(f"retention.value_{text}", lang) if text in _APP_VALUES else text


def split_label(column: str, lang: str = "en") -> str:
    """The name of an attribute to split by ("channel" -> "Acquisition channel"; other columns as headed)."""
    if column in GROUP_COLUMNS or column == "cohort":
        return t(f"retention.group_{column}", lang)
    return str(column)


def cohort_label(starts: pd.Series, period: Period) -> pd.Series:
    """Readable cohort names: 2024-07 (month), 2024-Q3 (quarter), 2024-07-01 (week starting Monday)."""
    starts = pd.to_datetime(starts)
    if period == "quarter":
        return starts.dt.year.astype(str) + "-Q" + starts.dt.quarter.astype(str)
    if period == "week":
        return starts.dt.strftime("%Y-%m-%d")
    return starts.dt.strftime("%Y-%m")


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for download: columns headed "retention.col_<name>" in `lang`."""
    return frame.rename(columns={c: t(f"retention.col_{c}", lang) for c in frame.columns})


# ---------------------------------------------------------------------------
# Views: what each tab of the Retention page shows
# ---------------------------------------------------------------------------

HEATMAP_MAX_COHORTS = 36  # the heatmap shows the most recent cohorts; curves and downloads all
READING_AGES = (1, 3, 6, 12)  # ages the cohort reading quotes, when observed
# Survival is read at one year: 365 whole days (lifetimes are whole days), or tenure 12.
SURVIVAL_READ_DAYS = 365.0


@dataclass(frozen=True)
class CohortSettings:
    """The Cohorts tab's choices: period of acquisition and the attribute to split by (None: no split)."""

    period: Period = "month"
    split: str | None = None


@dataclass(frozen=True)
class CohortView:
    """The Cohorts tab: the cohort table, the average curves, and what they mean.

    table: `cohort_table` rows of every group; average: `average_curve` per group;
    groups: the groups in display order (one, "all", without a split); cohorts:
    cohorts per group (for the heatmap's "most recent" note); readings: the cohort
    reading and, with a split, the best and the worst group (severity info);
    problem: why there is nothing to show (severity info).
    """

    settings: CohortSettings
    subscription: bool
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    average: pd.DataFrame = field(default_factory=pd.DataFrame)
    groups: tuple[str, ...] = ()
    cohorts: Mapping[str, int] = field(default_factory=dict)
    has_revenue: bool = False
    partial_start: pd.Timestamp | None = None
    readings: tuple[Problem, ...] = ()
    problem: Problem | None = None

    def heatmap_rows(self, group: str) -> pd.DataFrame:
        """One group's rows of the most recent HEATMAP_MAX_COHORTS cohorts."""
        rows = self.group_rows(group)
        recent = np.sort(rows["cohort"].unique())[-HEATMAP_MAX_COHORTS:]
        return rows[rows["cohort"].isin(recent)]

    def group_rows(self, group: str) -> pd.DataFrame:
        return self.table[self.table["group"] == group]

    def heatmap_note(self, group: str) -> Problem | None:
        """Says the heatmap shows only the most recent cohorts, when it does."""
        total = self.cohorts.get(group, 0)
        if total <= HEATMAP_MAX_COHORTS:
            return None
        return problem("retention.heatmap_recent", "info", n=HEATMAP_MAX_COHORTS, total=total)


def cohort_view(
    activity: CohortActivity | None,
    attributes: pd.DataFrame,
    settings: CohortSettings,
    subscription: bool = False,
) -> CohortView:
    """Cohort retention of `activity` (`cohort_activity` or `subscription_activity`), split by an attribute.

    `attributes` is `acquisition_attributes`' table; `settings.split` one of its
    columns or None. `subscription` words the reading for subscribers. The reading
    quotes the average "active in period k or later" at READING_AGES (the ones
    observed) of all customers; with a split, the groups with the highest and the
    lowest share still active at the second of those ages ("other" and "unknown"
    are not named).
    """
    if activity is None:
        return CohortView(settings, subscription, problem=problem(MSG_NO_SIGNUP, "info"))
    split = settings.split
    groups = attributes[split] if split is not None else None
    table = cohort_table(activity, groups)
    if table.empty:
        no_cohorts = problem(MSG_NO_COHORTS, "info")
        return CohortView(
            settings, subscription, has_revenue=activity.has_revenue, problem=no_cohorts
        )
    average = average_curve(table)
    names = tuple(dict.fromkeys(table["group"]))
    cohorts = table.groupby("group", sort=False)["cohort"].nunique()
    overall = table if split is None else cohort_table(activity)
    readings = _cohort_readings(average_curve(overall), average, settings, subscription)
    return CohortView(
        settings,
        subscription,
        table,
        average,
        names,
        {str(g): int(n) for g, n in cohorts.items()},
        activity.has_revenue,
        activity.partial_start,
        readings,
    )


def _cohort_readings(
    overall: pd.DataFrame, average: pd.DataFrame, settings: CohortSettings, subscription: bool
) -> tuple[Problem, ...]:
    observed = set(overall["age"])
    marks = [a for a in READING_AGES if a in observed]
    if not marks:
        return ()
    values = overall.set_index("age")
    noun = Problem(f"retention.period_noun_{settings.period}", severity="info")
    parts = tuple(
        problem(
            "retention.reading_age",
            "info",
            age=a,
            noun=noun,
            value=fmt_share(values.loc[a, "retention_later"]),
        )
        for a in marks
    )
    key = "retention.cohort_reading_subscription" if subscription else "retention.cohort_reading"
    first = fmt_share(values.loc[marks[0], "retention"])
    readings = [problem(key, "info", period=noun, first=first, parts=parts)]
    if settings.split is not None and average["group"].nunique() > 1:
        age = marks[min(1, len(marks) - 1)]
        at_age = average[(average["age"] == age) & ~average["group"].isin([OTHER, UNKNOWN])]
        if len(at_age) > 1:
            best = at_age.loc[at_age["retention_later"].idxmax()]
            worst = at_age.loc[at_age["retention_later"].idxmin()]
            readings.append(
                problem(
                    "retention.split_reading",
                    "info",
                    age=age,
                    best=group_name(best["group"]),
                    best_value=fmt_share(best["retention_later"]),
                    worst=group_name(worst["group"]),
                    worst_value=fmt_share(worst["retention_later"]),
                )
            )
    return tuple(readings)


def cohort_export(view: CohortView, lang: str = "en") -> pd.DataFrame:
    """The cohort table for download: cohorts and groups named, columns headed in `lang`."""
    table = view.table
    export = table.assign(
        cohort=cohort_label(table["cohort_start"], view.settings.period),
        group=table["group"].map(lambda g: group_label(g, lang)),
    ).drop(columns=["cohort_start"])
    return _headed(export, lang)


POOLED_MONTHS = 12  # the headline churn rate pools the last complete months, up to this many
CHURN_RATE_HELP = problem("retention.metric_monthly_churn_help", "info", months=POOLED_MONTHS)


@dataclass(frozen=True)
class ChurnView:
    """The Churn tab: churn rate by month and its headline figures.

    monthly: `monthly_churn` rows; rate: churned / active at the start, pooled over
    the last `months` complete months (up to POOLED_MONTHS); yearly: the share lost
    in a year at that monthly rate, 1 - (1 - rate)^12; last_* and peak_*: the last
    complete month and the worst one. active_now: customers active (or still
    subscribed) now. Subscription data: customers in the table and the share who
    churned. notes: facts about the threshold (severity info); problem: why there is
    no month to show (severity info).
    """

    monthly: pd.DataFrame
    active_now: int
    months: int = 0
    rate: float = float("nan")
    yearly: float = float("nan")
    last_month: pd.Timestamp | None = None
    last_rate: float = float("nan")
    peak_month: pd.Timestamp | None = None
    peak_rate: float = float("nan")
    customers: int | None = None
    churned_share: float | None = None
    notes: tuple[Problem, ...] = ()
    problem: Problem | None = None

    @property
    def reading(self) -> Problem | None:
        if self.last_month is None or self.peak_month is None:
            return None
        return problem(
            "retention.churn_reading",
            "info",
            rate=fmt_share(self.rate),
            yearly=fmt_share(self.yearly),
            peak_month=self.peak_month.strftime("%Y-%m"),
            peak=fmt_share(self.peak_rate),
        )


def _churn_view(monthly: pd.DataFrame, active_now: int, **extra: object) -> ChurnView:
    if monthly.empty:
        return ChurnView(
            monthly, active_now, problem=problem("retention.no_churn_months", "info"), **extra
        )
    pooled = monthly.tail(POOLED_MONTHS)
    rate = float(pooled["churned"].sum() / max(pooled["active_start"].sum(), 1))
    last = monthly.iloc[-1]
    peak = monthly.loc[monthly["churn_rate"].idxmax()]
    return ChurnView(
        monthly,
        active_now,
        len(pooled),
        rate,
        1 - (1 - rate) ** 12,
        pd.Timestamp(last["month"]),
        float(last["churn_rate"]),
        pd.Timestamp(peak["month"]),
        float(peak["churn_rate"]),
        **extra,
    )


def churn_view(orders: pd.DataFrame, spells: Spells, churn_days: int) -> ChurnView:
    """Churn by month from purchase histories, with `spells` = `activity_spells(orders, churn_days)`.

    Notes that the threshold is long for the data when three thresholds do not fit in
    the days from the first to the last order.
    """
    span = (orders["order_date"].max() - orders["order_date"].min()).days
    notes = ()
    if churn_days * 3 > span:
        notes = (problem("retention.threshold_long", "info", days=churn_days, span=span),)
    active_now = int((~spells.observed_end).sum())
    return _churn_view(monthly_churn(spells), active_now, notes=notes)


def subscription_churn_view(customers: pd.DataFrame, lifetimes: Lifetimes) -> ChurnView:
    """Churn by month of a subscription table (`subscription_monthly_churn`), with `lifetimes` = its `subscription_lifetimes`."""
    flags = lifetimes.table["churned"]
    share = float(flags.mean()) if len(flags) else None
    return _churn_view(
        subscription_monthly_churn(customers),
        int((~flags).sum()),
        customers=len(flags),
        churned_share=share,
    )


def monthly_export(monthly: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Churn by month for download: months as YYYY-MM, columns headed in `lang`."""
    return _headed(monthly.assign(month=monthly["month"].dt.strftime("%Y-%m")), lang)


@dataclass(frozen=True)
class SurvivalView:
    """The Survival tab: Kaplan-Meier curves by group, a table per group, and the readings.

    curves: `SurvivalResult.curves` with x, the time in the unit shown (months for
    lifetimes in days; the file's tenure unit otherwise); summary: group, customers,
    churned, median (in the unit shown), survival_at (percent, at 12 months or tenure
    12); unit: "months" or "tenure"; readings: the median lifetime and the log-rank
    test (severity info); problem: why there are no curves (severity error), or a
    note on them (severity info); dropped: customers without a usable lifetime.
    """

    by: str | None
    unit: Literal["months", "tenure"]
    curves: pd.DataFrame
    summary: pd.DataFrame
    readings: tuple[Problem, ...] = ()
    problem: Problem | None = None
    dropped: int = 0

    @property
    def unit_name(self) -> Problem:
        return Problem(f"retention.unit_{self.unit}", severity="info")


def survival_groups(
    attributes: pd.DataFrame, by: str | None, quarters: pd.Series | None = None
) -> pd.Series | None:
    """The grouping of customers for survival curves: an attribute, the acquisition quarter, or none.

    `quarters` is `acquisition_cohorts` of the quarterly activity (needed for "cohort").
    """
    if by is None:
        return None
    if by == "cohort":
        return None if quarters is None else cohort_label(quarters, "quarter")
    return attributes[by]


def survival_view(lifetimes: Lifetimes, groups: pd.Series | None, by: str | None) -> SurvivalView:
    """Kaplan-Meier curves of `lifetimes` overall or by `groups` (`survival_groups`), read for people.

    Lifetimes in days are shown in months (DAYS_PER_MONTH) and read at one year
    (SURVIVAL_READ_DAYS); tenure is shown in its own unit and read at tenure 12. The
    median reading is of all customers together.
    """
    in_days = lifetimes.unit == "days"
    horizon, scale = (SURVIVAL_READ_DAYS, DAYS_PER_MONTH) if in_days else (12.0, 1.0)
    unit = "months" if in_days else "tenure"
    result = kaplan_meier(lifetimes.table, groups, horizon=horizon)
    if result.curves.empty:
        return SurvivalView(
            by, unit, result.curves, result.groups, (), result.problem, lifetimes.dropped
        )
    curves = result.curves.assign(x=result.curves["time"] / scale)
    summary = pd.DataFrame(
        {
            "group": result.groups["group"],
            "customers": result.groups["customers"],
            "churned": result.groups["churned"],
            "median": result.groups["median"] / scale,
            "survival_at": result.groups["survival_at"] * 100,
        }
    )
    overall = result if groups is None else kaplan_meier(lifetimes.table, None, horizon=horizon)
    everyone = overall.groups.iloc[0]
    unit_name = Problem(f"retention.unit_{unit}", severity="info")
    if pd.notna(everyone["median"]):
        median = problem(
            "retention.median_reading" if in_days else "retention.median_reading_tenure",
            "info",
            median=f"{everyone['median'] / scale:.1f}",
            unit=unit_name,
            lost=fmt_share(everyone["lost_at_start"]),
        )
    else:
        median = problem("retention.median_not_reached", "info")
    readings = (median,) + tuple(r for r in (logrank_reading(result),) if r is not None)
    return SurvivalView(by, unit, curves, summary, readings, result.problem, lifetimes.dropped)


def named_groups(frame: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """`frame` with its group column named for people in `lang` (each group translated once)."""
    names = {g: group_label(g, lang) for g in frame["group"].unique()}
    return frame.assign(group=frame["group"].map(names))
