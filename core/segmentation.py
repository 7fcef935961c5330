"""RFM scores and named segments, segment profiles and the what-if, lifecycle stages, and the
Segmentation page's tables (segments, stages, breakdowns, customer lists) labelled in one language.

Everything here starts from the orders table (`core.summary.orders_table`: one row per
order with customer_id, order_date, amount) and is vectorised over customers and orders.

Scores 1-5 follow one tie rule (see `score_quintiles`): customers with the same value
always share a score; walking the distinct values from worst to best, each score takes
customers until it holds its fair share of those not yet scored (remaining customers /
remaining scores); a block of ties bigger than that share takes one score on its own,
and the customers after it are divided evenly over the scores left. So with 60% one-time
buyers, frequency 1 scores F=1 and the other 40% spread over F=2..5 (about 10% each).
`score_quintiles` states the rule in full; tests/core/test_segmentation.py checks it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from core.i18n import field_label, t
from core.problems import Problem, problem
from core.summary import require_columns

MonetaryKind = Literal["total", "average"]

# The 11 named RFM segments, in the order pages list them (best to worst, roughly).
SEGMENTS: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential_loyalist",
    "new_customers",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose_them",
    "hibernating",
    "lost",
)

# (R score, F score) -> segment, all 25 cells. The rule lists widely copied from
# blogs (e.g. "Champions: R 4-5 and F 4-5; Loyal: R 2-5 and F 3-5; ...") overlap
# (one customer matches several rules, so the result depends on rule order) and
# leave gaps (cells no rule matches, shown as "Others"). An explicit grid puts every
# customer in exactly one segment and is the rule table the page shows.
_GRID_ROWS: dict[int, tuple[str, str, str, str, str]] = {  # R score -> segments for F = 1..5
    5: ("new_customers", "potential_loyalist", "potential_loyalist", "champions", "champions"),
    4: ("promising", "potential_loyalist", "potential_loyalist", "loyal", "champions"),
    3: ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose_them"),
    1: ("lost", "lost", "at_risk", "cant_lose_them", "cant_lose_them"),
}
SEGMENT_GRID: dict[tuple[int, int], str] = {
    (r, f): row[f - 1] for r, row in _GRID_ROWS.items() for f in range(1, 6)
}

# Lifecycle stages, in the order a stacked chart shows them.
STAGES: tuple[str, ...] = ("new", "reactivated", "active", "at_risk", "churned")

# Message keys for recommended actions and one-line descriptions; the texts live in
# core.i18n. "at_risk" is both a segment and a stage, hence the separate namespaces.
ACTIONS: dict[str, str] = {segment: f"action.{segment}" for segment in SEGMENTS}
STAGE_ACTIONS: dict[str, str] = {stage: f"action.stage.{stage}" for stage in STAGES}
SEGMENT_DESCRIPTIONS: dict[str, str] = {segment: f"segment_help.{segment}" for segment in SEGMENTS}
STAGE_DESCRIPTIONS: dict[str, str] = {stage: f"stage_help.{stage}" for stage in STAGES}

MIN_CUSTOMERS = 10  # fewer customers than this: quintiles say little
YEAR_DAYS = 365
# Lifecycle thresholds used when the data has too few inter-purchase gaps to learn from.
DEFAULT_ACTIVE_DAYS = 90
DEFAULT_CHURN_DAYS = 180
MIN_GAPS = 30
# The share of repeat customers' gaps each threshold covers (`lifecycle_thresholds`).
ACTIVE_PERCENTILE = 0.8
CHURN_PERCENTILE = 0.95
# Largest threshold a user can set by hand (ten years of silence).
MAX_THRESHOLD_DAYS = 3650
# Customers a page lists (those who spent most); downloads hold every customer.
LIST_ROWS = 1_000

_DAY_NS = 86_400 * 10**9
_SEGMENT_CODE = {segment: code for code, segment in enumerate(SEGMENTS)}
# _GRID_CODES[r - 1, f - 1] is the segment code of cell (r, f).
_GRID_CODES = np.array(
    [[_SEGMENT_CODE[SEGMENT_GRID[(r, f)]] for f in range(1, 6)] for r in range(1, 6)], dtype=np.int8
)
_CELL_NAMES = np.array([[f"R{r}F{f}" for f in range(1, 6)] for r in range(1, 6)], dtype=object)
_NEVER = np.iinfo(np.int32).min // 2  # "no such day" in int32 day arrays; safe to subtract from
_BLOCK_CELLS = 4_000_000  # (customer, month) cells per block in lifecycle_by_month


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def score_quintiles(values: pd.Series, higher_is_better: bool = True) -> pd.Series:
    """Score values 1-5 by quintile, keeping ties together and the scale balanced.

    The tie rule:

    - Customers with the same value always get the same score, and a better value
      never gets a lower score.
    - Walking the distinct values from worst to best, each score takes customers until
      it holds its fair share of those not yet scored (remaining customers / remaining
      scores). Precisely, the score takes the next distinct value's customers while
      the middle of that block is within the share (customers already in the score +
      half the block <= share): taking it then leaves the score no farther from its
      share than stopping. Without ties a score so holds its share rounded to the
      nearest customer (a half rounds up).
    - A block of ties bigger than that share takes one score on its own (it is never
      added to a score that already holds customers), and the customers after it are
      divided evenly over the scores left, by the same rule.
    - While the distinct values left are no more than the scores left, each value gets
      its own score, so with 5 or more distinct values all five scores are used.

    Without ties this gives exact quintiles (each score holds N/5 customers, within
    one). With 60% of customers tied at the worst value, those score 1 and the other
    40% are spread over 2-5 (about 10% each), instead of an empty or lopsided scale.

    With fewer than 5 distinct values, each distinct value gets its own score, spread
    over 1-5 as evenly as possible: 2 values score 1 and 5; 3 values 1, 3, 5; 4 values
    1, 2, 4, 5. When all values are equal everyone scores 1 (the first score takes the
    whole block): no customer is better than another.

    Parameters
    ----------
    values : Series of numbers, no missing values.
    higher_is_better : True for frequency and monetary value; False for recency in
        days, where fewer days since the last order is better.

    Returns
    -------
    Series of int64 scores 1-5 with the index and name of `values`.

    Notes
    -----
    Plain quintiles (pandas.qcut) fail on tied data: with most customers at
    frequency 1, bin edges coincide and qcut raises or leaves empty scores, and
    ranking first (`rank(method="first")`) splits identical customers arbitrarily.
    Runs in one sort plus five vectorised passes over the distinct values.
    """
    array = values.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(array).any():
        raise ValueError("values must not contain missing values")
    if len(array) == 0:
        return pd.Series(np.empty(0, dtype=np.int64), index=values.index, name=values.name)
    _, inverse, counts = np.unique(
        array if higher_is_better else -array, return_inverse=True, return_counts=True
    )
    value_scores = _walk_scores(counts.astype(np.int64))
    return pd.Series(value_scores[inverse.ravel()], index=values.index, name=values.name)


def _walk_scores(counts: np.ndarray) -> np.ndarray:
    """Score 1-5 for each distinct value, given customer counts ordered worst to best."""
    n_values = len(counts)
    cum = np.concatenate([[0], np.cumsum(counts)])  # cum[j]: customers before value j
    doubled_mid = cum[:-1] + cum[1:]  # 2 x (customers up to the middle of value j)
    scores = np.zeros(n_values, dtype=np.int64)
    start = 0
    for score in range(1, 6):
        if start >= n_values:
            break
        scores_left = 6 - score
        remaining = int(cum[-1] - cum[start])
        if scores_left == 1:
            stop = n_values
        else:
            # Integer arithmetic throughout: "x <= share" is "x * scores_left <= remaining".
            # Value j joins while the score's count up to the middle of j is within the share.
            limit = 2 * remaining + 2 * int(cum[start]) * scores_left
            stop_mid = int(np.searchsorted(doubled_mid * scores_left, limit, side="right"))
            big = np.flatnonzero(counts[start + 1 :] * scores_left > remaining)
            stop_big = start + 1 + int(big[0]) if len(big) else n_values
            # Leave at least one value for each later score.
            stop_forced = n_values - scores_left + 1
            stop = max(start + 1, min(stop_mid, stop_big, stop_forced))
        scores[start:stop] = score
        start = stop
    if n_values < 5:
        # Spread k < 5 distinct values over 1..5: k=2 -> 1, 5; k=3 -> 1, 3, 5; k=4 -> 1, 2, 4, 5.
        spread = np.rint(1 + 4 * np.arange(n_values) / max(n_values - 1, 1)).astype(np.int64)
        scores = spread[scores - 1]
    return scores


# ---------------------------------------------------------------------------
# RFM
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RfmResult:
    """RFM table per customer, the analysis date, and the problems found, most important first.

    `problems`: "warning"s (no orders, too few customers, no repeat buyers: the
    table is empty or says little) and an "info" reading (short history).
    """

    table: pd.DataFrame
    as_of: pd.Timestamp | None
    monetary: MonetaryKind
    problems: tuple[Problem, ...] = ()


_RFM_COLUMNS = {
    "first_order": "datetime64[ns]",
    "last_order": "datetime64[ns]",
    "recency_days": "int64",
    "frequency": "int64",
    "monetary": "float64",
    "revenue": "float64",
    "yearly_revenue": "float64",
    "r_score": "int64",
    "f_score": "int64",
    "m_score": "int64",
    "rfm_cell": "str",
    "rfm_segment": pd.CategoricalDtype(list(SEGMENTS)),
}


def rfm_table(
    orders: pd.DataFrame,
    as_of: pd.Timestamp | str | None = None,
    monetary: MonetaryKind = "total",
) -> RfmResult:
    """Recency, frequency and monetary value per customer, their 1-5 scores and segment.

    Parameters
    ----------
    orders : one row per order with columns customer_id (str or categorical),
        order_date (datetime64) and amount (> 0), as made by
        `core.summary.orders_table`.
    as_of : the analysis date (default: the day of the last order). Orders after it
        are ignored, so the table can be seen as it was on an earlier day; orders on
        the day itself count.
    monetary : "total" (spend up to `as_of`) or "average" (spend per order).

    Returns
    -------
    RfmResult whose table is indexed by customer_id (str), with columns

    - first_order, last_order: timestamps of the customer's first and last order.
    - recency_days: calendar days from the last order's date to `as_of` (0 = bought
      on the analysis day).
    - frequency: number of orders.
    - monetary: total or average order value, as chosen.
    - revenue: total spend up to `as_of` (whatever `monetary` is).
    - yearly_revenue: spend in the 365 days ending on `as_of` (the days
      as_of - 364 .. as_of). When the data covers fewer than 365 days up to `as_of`,
      it is the spend over the covered days scaled to a year, with the reading
      "segmentation.short_history".
    - r_score (higher = more recent), f_score, m_score: 1-5 by `score_quintiles`
      (monetary values rounded to 6 decimals first, so float noise never splits ties).
    - rfm_cell: "R4F2" style; rfm_segment: one of SEGMENTS by SEGMENT_GRID on (R, F).

    Problems (RfmResult.problems, most important first): warnings
    "segmentation.no_orders" (no order up to `as_of`; empty table),
    "segmentation.too_few_customers" (fewer than MIN_CUSTOMERS customers: scores say
    little; param minimum), "segmentation.no_repeat_buyers" (everyone bought once: F
    is 1 for all, while R and M still rank customers); the reading
    "segmentation.short_history" (severity info; see yearly_revenue).

    The R and F scores and segment names follow the classic RFM practice (Hughes,
    "Strategic Database Marketing", 1994) with the segment names popularised by
    Putler and others; the tie rule and the grid are this module's, documented above.
    """
    if monetary not in ("total", "average"):
        raise ValueError(f"monetary must be 'total' or 'average', not {monetary!r}")
    require_columns(orders, ("customer_id", "order_date", "amount"))
    codes, ids, stamps, valid = _order_arrays(orders)
    amounts = orders["amount"].to_numpy(float)
    days = stamps // _DAY_NS
    as_of_day = _as_of_day(days[valid], as_of)
    keep = valid & (days <= as_of_day) if as_of_day is not None else valid
    if as_of_day is None or not keep.any():
        as_of_stamp = None if as_of is None else pd.Timestamp(as_of).normalize()
        return RfmResult(
            _empty(_RFM_COLUMNS),
            as_of_stamp,
            monetary,
            (problem("segmentation.no_orders", "warning"),),
        )
    codes, stamps, amounts, days = codes[keep], stamps[keep], amounts[keep], days[keep]

    n_ids = len(ids)
    frequency = np.bincount(codes, minlength=n_ids)
    revenue = np.bincount(codes, weights=amounts, minlength=n_ids)
    recent = days > as_of_day - YEAR_DAYS
    yearly = np.bincount(codes[recent], weights=amounts[recent], minlength=n_ids)
    first = np.full(n_ids, np.iinfo(np.int64).max)
    last = np.full(n_ids, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, stamps)
    np.maximum.at(last, codes, stamps)

    seen = frequency > 0
    frequency, revenue, yearly, first, last = (
        frequency[seen],
        revenue[seen],
        yearly[seen],
        first[seen],
        last[seen],
    )
    covered_days = as_of_day - int(days.min()) + 1
    short_history = covered_days < YEAR_DAYS
    if short_history:
        yearly = yearly * (YEAR_DAYS / covered_days)
    recency = as_of_day - last // _DAY_NS
    value = revenue if monetary == "total" else revenue / frequency

    index = pd.Index(np.asarray(ids)[seen], name="customer_id", dtype="str")
    r_score = score_quintiles(pd.Series(recency), higher_is_better=False).to_numpy()
    f_score = score_quintiles(pd.Series(frequency)).to_numpy()
    m_score = score_quintiles(pd.Series(np.round(value, 6))).to_numpy()
    table = pd.DataFrame(
        {
            "first_order": first.view("datetime64[ns]"),
            "last_order": last.view("datetime64[ns]"),
            "recency_days": recency.astype(np.int64),
            "frequency": frequency.astype(np.int64),
            "monetary": value,
            "revenue": revenue,
            "yearly_revenue": yearly,
            "r_score": r_score,
            "f_score": f_score,
            "m_score": m_score,
            "rfm_cell": pd.array(_CELL_NAMES[r_score - 1, f_score - 1], dtype="str"),
            "rfm_segment": pd.Categorical.from_codes(
                _GRID_CODES[r_score - 1, f_score - 1], dtype=_RFM_COLUMNS["rfm_segment"]
            ),
        },
        index=index,
    )

    problems = []
    if len(table) < MIN_CUSTOMERS:
        problems.append(problem("segmentation.too_few_customers", "warning", minimum=MIN_CUSTOMERS))
    if (frequency == 1).all():
        problems.append(problem("segmentation.no_repeat_buyers", "warning"))
    if short_history:
        problems.append(problem("segmentation.short_history", "info"))
    as_of_stamp = pd.Timestamp(np.datetime64(as_of_day, "D")).as_unit("ns")
    return RfmResult(table, as_of_stamp, monetary, tuple(problems))


def segment_grid_table() -> pd.DataFrame:
    """SEGMENT_GRID as a 5x5 table of segment keys: rows F score 5..1, columns R score 1..5."""
    return pd.DataFrame(
        [[SEGMENT_GRID[(r, f)] for r in range(1, 6)] for f in range(5, 0, -1)],
        index=pd.Index(range(5, 0, -1), name="f_score"),
        columns=pd.Index(range(1, 6), name="r_score"),
    )


# ---------------------------------------------------------------------------
# Segment profiles and the what-if
# ---------------------------------------------------------------------------


def segment_profile(
    rfm_table: pd.DataFrame, revenue_per_customer: pd.Series | None = None
) -> pd.DataFrame:
    """Size, revenue and average R/F/M of each named segment: all 11, in SEGMENTS order.

    Parameters
    ----------
    rfm_table : the table of an `RfmResult` (columns rfm_segment, recency_days,
        frequency, monetary, revenue, yearly_revenue).
    revenue_per_customer : optional yearly revenue per customer (indexed by
        customer_id, covering every customer of the table) to value the segments
        with instead of the observed yearly_revenue, e.g. a CLV model's expected
        spend over the next year.

    Returns
    -------
    DataFrame indexed by segment (str) with columns

    - customers, share (of all customers);
    - revenue (total spend of the segment's customers up to the analysis date),
      revenue_share;
    - mean_recency_days, mean_frequency, mean_monetary (NaN for an empty segment:
      there is no average of nobody);
    - yearly_revenue: the segment's revenue in the 365 days before the analysis date
      (see `rfm_table`), and revenue_per_customer_per_year = yearly_revenue /
      customers (0 for an empty segment).

    Why the last 365 days: every segment is valued over the same, most recent year,
    so a customer moved from one segment to another is credited with what customers
    of the target segment actually spent in a year. Dividing lifetime revenue by each
    customer's tenure instead would inflate new customers (one order last week reads
    as 52 orders a year) and mix old spending into segments that have since lapsed.
    """
    segment = rfm_table["rfm_segment"]
    if not segment.isin(SEGMENTS).all():
        raise ValueError("rfm_segment holds values that are not segment keys")
    codes = pd.Categorical(segment, categories=list(SEGMENTS)).codes.astype(np.int64)
    if revenue_per_customer is None:
        yearly_values = rfm_table["yearly_revenue"].to_numpy(float)
    else:
        aligned = revenue_per_customer.reindex(rfm_table.index)
        missing = int(aligned.isna().sum())
        if missing:
            raise ValueError(f"revenue_per_customer misses {missing} customers of the RFM table")
        yearly_values = aligned.to_numpy(float)
    n_segments = len(SEGMENTS)

    def total(column: str | np.ndarray) -> np.ndarray:
        weights = rfm_table[column].to_numpy(float) if isinstance(column, str) else column
        return np.bincount(codes, weights=weights, minlength=n_segments)

    customers = np.bincount(codes, minlength=n_segments)
    revenue = total("revenue")
    yearly = total(yearly_values)
    with np.errstate(invalid="ignore", divide="ignore"):
        profile = pd.DataFrame(
            {
                "customers": customers.astype(np.int64),
                "share": customers / customers.sum() if customers.sum() else np.zeros(n_segments),
                "revenue": revenue,
                "revenue_share": revenue / revenue.sum() if revenue.sum() else np.zeros(n_segments),
                "mean_recency_days": total("recency_days") / customers,
                "mean_frequency": total("frequency") / customers,
                "mean_monetary": total("monetary") / customers,
                "yearly_revenue": yearly,
                "revenue_per_customer_per_year": np.where(
                    customers > 0, yearly / np.maximum(customers, 1), 0.0
                ),
            },
            index=pd.Index(list(SEGMENTS), name="segment", dtype="str"),
        )
    return profile


@dataclass(frozen=True)
class MoveResult:
    """Yearly revenue before and after moving customers from one segment to another.

    revenue_change = customers_moved x (revenue_per_customer_to - revenue_per_customer_from);
    revenue_before is the yearly revenue of all segments, revenue_after adds the change,
    and change_share = revenue_change / revenue_before (None when there was no revenue).
    `problem` (severity info) says why nothing moved; the change is then 0.
    """

    customers_moved: int
    revenue_per_customer_from: float
    revenue_per_customer_to: float
    revenue_before: float
    revenue_after: float
    revenue_change: float
    problem: Problem | None = None

    @property
    def change_share(self) -> float | None:
        return self.revenue_change / self.revenue_before if self.revenue_before else None


def move_customers(
    profile: pd.DataFrame, from_segment: str, to_segment: str, share: float
) -> MoveResult:
    """What if `share` of one segment's customers behaved like another segment's?

    Moving n = round(share x customers of `from_segment`) customers (whole customers,
    halves rounded up) changes yearly revenue by
    n x (revenue_per_customer_per_year of `to_segment` - that of `from_segment`),
    each segment's figure being its observed yearly revenue per customer (see
    `segment_profile`). E.g. 10% of 200 At Risk customers (300 a year each) behaving
    like Loyal customers (900 a year) adds 20 x 600 = 12,000 a year.

    Problems (severity info; the change is then 0): "segmentation.move_empty_source" (no
    customer to move), "segmentation.move_same_segment" (from and to are the same),
    "segmentation.move_empty_target" (the target segment has no customers, so nothing
    says what its customers spend).
    """
    for segment in (from_segment, to_segment):
        if segment not in profile.index:
            raise ValueError(f"Unknown segment {segment!r}")
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, not {share}")
    source, target = profile.loc[from_segment], profile.loc[to_segment]
    per_from = float(source["revenue_per_customer_per_year"])
    per_to = float(target["revenue_per_customer_per_year"])
    before = float(profile["yearly_revenue"].sum())
    moved = math.floor(share * int(source["customers"]) + 0.5)
    key = None
    if int(source["customers"]) == 0:
        key = "segmentation.move_empty_source"
    elif from_segment == to_segment:
        key = "segmentation.move_same_segment"
    elif int(target["customers"]) == 0:
        key = "segmentation.move_empty_target"
    change = 0.0 if key else moved * (per_to - per_from)
    found = problem(key, "info") if key else None
    return MoveResult(moved, per_from, per_to, before, before + change, change, found)


# ---------------------------------------------------------------------------
# Lifecycle stages
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LifecycleThresholds:
    """Days of silence that separate the lifecycle stages.

    A customer whose last order is at most `active_days` days old is active (or new,
    or reactivated); up to `churn_days` days old, at risk; older, churned.
    `n_gaps` is the number of inter-purchase gaps the thresholds were learned from
    (0 when set by hand) and `problem` a reading (severity info) when defaults were
    used. Two thresholds are equal (and hash alike, as cache keys) when their days and
    gaps are: the reading does not take part.
    """

    active_days: int
    churn_days: int
    n_gaps: int = 0
    problem: Problem | None = field(default=None, compare=False)


def lifecycle_thresholds(
    orders: pd.DataFrame,
    active_percentile: float = ACTIVE_PERCENTILE,
    churn_percentile: float = CHURN_PERCENTILE,
) -> LifecycleThresholds:
    """Inactivity thresholds learned from the data's own inter-purchase gaps.

    A gap is the number of calendar days between two consecutive purchase days of the
    same customer (orders on the same day count as one purchase day, so gaps are
    at least 1). active_days is the `active_percentile` percentile of the gaps and
    churn_days the `churn_percentile` percentile, each rounded up to a whole day.

    Each repeat customer counts equally: a customer's gaps are weighted by one over
    their number of gaps. Unweighted, the few heaviest buyers (dozens of gaps each)
    would set the thresholds, and most ordinary customers would read as churned
    after a few weeks of silence. Percentiles of the weighted gaps are the inverted
    empirical distribution function (Hyndman & Fan 1996, definition 1; numpy's
    method="inverted_cdf"): the smallest gap g such that the customers' weight on
    gaps <= g reaches the percentile.

    The "high percentile of the gaps" rule follows common CRM practice: a customer
    silent for longer than 95% of the gaps customers ever leave before buying again
    is unlikely to come back. Observed gaps are censored (a gap still open at the end
    of the data is not counted), which shortens them; a high percentile keeps the
    churn threshold conservative.

    With fewer than MIN_GAPS (30) gaps the defaults DEFAULT_ACTIVE_DAYS (90) and
    DEFAULT_CHURN_DAYS (180) are returned with the reading (severity info)
    "segmentation.lifecycle_default_thresholds" (params minimum, active, churn).
    """
    if not 0 < active_percentile <= churn_percentile <= 1:
        raise ValueError("percentiles must satisfy 0 < active_percentile <= churn_percentile <= 1")
    require_columns(orders, ("customer_id", "order_date", "amount"))
    history = purchase_days(orders, None)
    repeat = history.gap > 0
    gaps = history.gap[repeat]
    if len(gaps) < MIN_GAPS:
        return LifecycleThresholds(
            DEFAULT_ACTIVE_DAYS,
            DEFAULT_CHURN_DAYS,
            len(gaps),
            problem(
                "segmentation.lifecycle_default_thresholds",
                "info",
                minimum=MIN_GAPS,
                active=DEFAULT_ACTIVE_DAYS,
                churn=DEFAULT_CHURN_DAYS,
            ),
        )
    customers = history.customer[repeat]
    weights = 1.0 / np.bincount(customers)[customers]
    active, churn = np.percentile(
        gaps,
        [100 * active_percentile, 100 * churn_percentile],
        weights=weights,
        method="inverted_cdf",
    )
    active_days = math.ceil(round(float(active), 9))
    churn_days = max(math.ceil(round(float(churn), 9)), active_days)
    return LifecycleThresholds(active_days, churn_days, len(gaps))


def lifecycle_stages(
    orders: pd.DataFrame, thresholds: LifecycleThresholds, as_of: pd.Timestamp | str | None = None
) -> pd.Series:
    """Lifecycle stage of every customer with an order up to `as_of` (default: the last order's day).

    With recency = calendar days from the last order to `as_of`, and the thresholds'
    active_days (A) and churn_days (C), checked in this order:

    - "new": the first order is at most A days old;
    - "reactivated": the customer's first purchase within the last A days ended a
      silence of more than C days (they had churned and came back);
    - "active": recency <= A;
    - "at_risk": A < recency <= C;
    - "churned": recency > C.

    Like the "new / resurrected / retained / dormant" lifecycle views of product
    analytics tools (Mixpanel, Amplitude), on a rolling window of A days.

    Returns a categorical Series named lifecycle_stage (categories STAGES) indexed by
    customer_id (str).
    """
    _check_thresholds(thresholds)
    require_columns(orders, ("customer_id", "order_date", "amount"))
    stage_dtype = pd.CategoricalDtype(list(STAGES))
    history = purchase_days(orders, as_of)
    if history.as_of_day is None or len(history.day) == 0:
        return pd.Series(
            pd.Categorical([], dtype=stage_dtype),
            index=pd.Index([], name="customer_id", dtype="str"),
            name="lifecycle_stage",
        )
    n_ids = len(history.ids)
    first = np.full(n_ids, _NEVER, dtype=np.int64)
    last = np.full(n_ids, _NEVER, dtype=np.int64)
    reactivation = np.full(n_ids, _NEVER, dtype=np.int64)
    starts = history.gap == 0  # first purchase day of each customer (rows are sorted)
    first[history.customer[starts]] = history.day[starts]
    np.maximum.at(last, history.customer, history.day)
    back = history.gap > thresholds.churn_days
    np.maximum.at(reactivation, history.customer[back], history.day[back])
    seen = last != _NEVER
    codes = _stage_codes(first[seen], last[seen], reactivation[seen], history.as_of_day, thresholds)
    return pd.Series(
        pd.Categorical.from_codes(codes, dtype=stage_dtype),
        index=pd.Index(np.asarray(history.ids)[seen], name="customer_id", dtype="str"),
        name="lifecycle_stage",
    )


def lifecycle_by_month(orders: pd.DataFrame, thresholds: LifecycleThresholds) -> pd.DataFrame:
    """Customers in each lifecycle stage at the end of each calendar month: tidy month, stage, customers.

    For every month from the first order's month to the last order's, every customer
    acquired by the end of the month gets the stage `lifecycle_stages` would give on
    the month's last day (the last month: on the last order's day, so a month still
    in progress does not read as lapsed). `month` is the month's first day; stages
    come in STAGES order with zero rows kept, and the counts of a month sum to the
    customers acquired by its end.

    Vectorised: a customers x months matrix of the last purchase day (and the last
    reactivation day) up to each month end, by np.maximum.accumulate along months.
    """
    _check_thresholds(thresholds)
    require_columns(orders, ("customer_id", "order_date", "amount"))
    history = purchase_days(orders, None)
    if history.as_of_day is None or len(history.day) == 0:
        return pd.DataFrame(
            {
                "month": pd.Series([], dtype="datetime64[ns]"),
                "stage": pd.Categorical([], categories=list(STAGES)),
                "customers": pd.Series([], dtype=np.int64),
            }
        )
    day0 = int(history.day.min())
    day = (history.day - day0).astype(np.int32)
    month_of_day = history.day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    month0 = int(month_of_day.min())
    month = month_of_day - month0
    n_months = int(month.max()) + 1
    months = np.arange(month0, month0 + n_months).astype("datetime64[M]")
    # Evaluation day of each month: its last day, or the data's last day for the last month.
    month_end = (months + 1).astype("datetime64[D]").astype(np.int64) - 1
    month_end = (np.minimum(month_end, history.as_of_day) - day0).astype(np.int32)

    n_stages = len(STAGES)
    counts = np.zeros((n_months, n_stages), dtype=np.int64)
    # Customers in blocks of about _BLOCK_CELLS (customer, month) cells, so memory stays
    # bounded on long histories with many customers; rows are sorted by customer.
    block = max(1, _BLOCK_CELLS // n_months)
    for low in range(0, len(history.ids), block):
        rows = slice(*np.searchsorted(history.customer, [low, low + block]))
        counts += _monthly_stage_counts(
            history.customer[rows] - low,
            day[rows],
            month[rows],
            history.gap[rows],
            min(block, len(history.ids) - low),
            month_end,
            thresholds,
        )
    return pd.DataFrame(
        {
            "month": np.repeat(months.astype("datetime64[ns]"), n_stages),
            "stage": pd.Categorical(
                np.tile(np.array(STAGES, dtype=object), n_months), categories=list(STAGES)
            ),
            "customers": counts.ravel().astype(np.int64),
        }
    )


def _monthly_stage_counts(
    customer: np.ndarray,
    day: np.ndarray,
    month: np.ndarray,
    gap: np.ndarray,
    n_customers: int,
    month_end: np.ndarray,
    thresholds: LifecycleThresholds,
) -> np.ndarray:
    """Customers per (month, stage) for purchase days sorted by customer code 0..n_customers-1."""
    n_months = len(month_end)
    flat = customer * n_months + month
    last = np.full(n_customers * n_months, _NEVER, dtype=np.int32)
    np.maximum.at(last, flat, day)
    last = np.maximum.accumulate(last.reshape(n_customers, n_months), axis=1)
    back = gap > thresholds.churn_days
    reactivation = np.full(n_customers * n_months, _NEVER, dtype=np.int32)
    np.maximum.at(reactivation, flat[back], day[back])
    reactivation = np.maximum.accumulate(reactivation.reshape(n_customers, n_months), axis=1)
    first = np.full(n_customers, _NEVER, dtype=np.int32)
    starts = gap == 0
    first[customer[starts]] = day[starts]
    codes = _stage_codes(first[:, None], last, reactivation, month_end[None, :], thresholds)
    acquired = last != _NEVER  # by the month's end
    return np.stack(
        [((codes == code) & acquired).sum(axis=0) for code in range(len(STAGES))], axis=1
    )


def _stage_codes(
    first: np.ndarray,
    last: np.ndarray,
    reactivation: np.ndarray,
    end: np.ndarray | int,
    thresholds: LifecycleThresholds,
) -> np.ndarray:
    """Stage code (index into STAGES) from first, last and last reactivation purchase days at day `end`."""
    window_start = end - thresholds.active_days  # days >= window_start are "within the last A days"
    recency = end - last
    code = {stage: np.int8(index) for index, stage in enumerate(STAGES)}
    codes = np.where(recency <= thresholds.churn_days, code["at_risk"], code["churned"])
    codes = np.where(recency <= thresholds.active_days, code["active"], codes)
    codes = np.where(reactivation >= window_start, code["reactivated"], codes)
    return np.where(first >= window_start, code["new"], codes)


def _check_thresholds(thresholds: LifecycleThresholds) -> None:
    if not 1 <= thresholds.active_days <= thresholds.churn_days:
        raise ValueError("thresholds must satisfy 1 <= active_days <= churn_days")


# ---------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseDays:
    """Distinct (customer, day) purchases sorted by customer then day, up to `as_of_day`.

    gap: days since the customer's previous purchase day; 0 on their first one.
    """

    ids: pd.Index
    customer: np.ndarray
    day: np.ndarray
    gap: np.ndarray
    as_of_day: int | None


def purchase_days(orders: pd.DataFrame, as_of: pd.Timestamp | str | None) -> PurchaseDays:
    """Each customer's distinct purchase days up to `as_of` (default: the last day), sorted,
    with the gap to the previous purchase day; shared by lifecycle stages and retention."""
    codes, ids, stamps, valid = _order_arrays(orders)
    days = stamps // _DAY_NS
    as_of_day = _as_of_day(days[valid], as_of)
    if as_of_day is None:
        empty = np.empty(0, dtype=np.int64)
        return PurchaseDays(ids, empty, empty, empty, None)
    keep = valid & (days <= as_of_day)
    codes, days = codes[keep], days[keep]
    order = _customer_day_order(codes, days)
    codes, days = codes[order], days[order]
    new_customer = np.ones(len(codes), dtype=bool)
    new_customer[1:] = codes[1:] != codes[:-1]
    distinct = new_customer.copy()
    distinct[1:] |= days[1:] != days[:-1]
    codes, days, new_customer = codes[distinct], days[distinct], new_customer[distinct]
    gap = np.zeros(len(days), dtype=np.int64)
    gap[1:] = days[1:] - days[:-1]
    gap[new_customer] = 0
    return PurchaseDays(ids, codes, days, gap, as_of_day)


def _customer_day_order(codes: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Positions that sort rows by customer code, then day.

    Least-significant-digit radix sort in 16-bit passes: numpy's stable argsort of
    uint16 keys is a radix sort, several times faster than lexsort on millions of rows.
    """
    order = np.arange(len(codes))
    if len(codes) == 0:
        return order
    for key in (days - days.min(), codes):  # least significant key first
        passes = max(1, math.ceil(int(key.max()).bit_length() / 16))
        for shift in range(0, 16 * passes, 16):
            digit = ((key[order] >> shift) & 0xFFFF).astype(np.uint16)
            order = order[np.argsort(digit, kind="stable")]
    return order


def _order_arrays(orders: pd.DataFrame) -> tuple[np.ndarray, pd.Index, np.ndarray, np.ndarray]:
    """Customer codes, the ids they index, order timestamps (int64 ns) and a mask of usable rows.

    Rows without a customer id or an order date are not usable (ingest never makes
    them; a hand-made table might).
    """
    customer = orders["customer_id"]
    if isinstance(customer.dtype, pd.CategoricalDtype):
        # Ingest stores customer ids as categories: the codes are free.
        codes, ids = customer.cat.codes.to_numpy(np.int64), customer.cat.categories
    else:
        codes, ids = pd.factorize(customer, sort=False)
        codes, ids = codes.astype(np.int64), pd.Index(ids)
    dates = orders["order_date"].to_numpy("datetime64[ns]")
    valid = (codes >= 0) & ~np.isnat(dates)
    return codes, ids, dates.view("int64"), valid


def _as_of_day(days: np.ndarray, as_of: pd.Timestamp | str | None) -> int | None:
    """Day number of the analysis date: `as_of`'s calendar day, or the last order's."""
    if as_of is not None:
        return int(pd.Timestamp(as_of).to_datetime64().astype("datetime64[D]").astype(np.int64))
    return int(days.max()) if len(days) else None


def _empty(columns: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(
        {name: pd.Series([], dtype=dtype) for name, dtype in columns.items()},
        index=pd.Index([], name="customer_id", dtype="str"),
    )


def rf_cells(rfm: pd.DataFrame) -> pd.DataFrame:
    """Customers in each of the 25 (r_score, f_score) cells, with the cell's segment (for the grid chart).

    Required columns of `rfm`: r_score, f_score (as made by `rfm_table`).
    """
    require_columns(rfm, ("r_score", "f_score"))
    counts = rfm.groupby(["r_score", "f_score"]).size()
    cells = pd.DataFrame(
        [
            (r, f, int(counts.get((r, f), 0)), SEGMENT_GRID[(r, f)])
            for r in range(1, 6)
            for f in range(1, 6)
        ],
        columns=["r_score", "f_score", "customers", "segment"],
    )
    return cells


def group_mix(groups: pd.Series, attribute: pd.Series, top: int = 12) -> pd.DataFrame:
    """How each value of an attribute splits across groups (segments, clusters, stages).

    Both Series are indexed by customer_id. Customers without the attribute are
    shown as the value None (the page labels it "unknown"); values beyond the `top`
    most frequent are pooled as "other" so that a chart stays readable.

    Returns tidy rows: value, group, customers, share (of the value's customers).
    """
    joined = pd.DataFrame({"group": groups, "value": attribute.reindex(groups.index)})
    values = joined["value"].astype("object").where(joined["value"].notna(), None)
    frequent = values.value_counts().index[:top]
    values = values.where(values.isin(frequent) | values.isna(), "other")
    joined["value"] = values.fillna("unknown").astype(str)
    counts = (
        joined.groupby(["value", "group"], observed=True).size().rename("customers").reset_index()
    )
    counts["share"] = counts["customers"] / counts.groupby("value")["customers"].transform("sum")
    return counts


# ---------------------------------------------------------------------------
# Views of the Segmentation page: tables ready to draw, labelled in one language
# ---------------------------------------------------------------------------
# Pages draw these as they are; each is computed once per data set, setting and
# language (the page caches it), so a rerun that changes nothing shown costs nothing.


def analysis_days(orders: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and the last order's day: the range an analysis date can take."""
    require_columns(orders, ("order_date",))
    dates = orders["order_date"]
    return dates.min().normalize(), dates.max().normalize()


@dataclass(frozen=True)
class SegmentView:
    """What the RFM tab shows of one RFM table.

    profile: `segment_profile` of the table (the what-if's input); bars: segment,
    customers, share, revenue_share for all 11 segments in SEGMENTS order (the bar
    chart); cells: `rf_cells` (the R x F grid); problems: the RFM table's.
    """

    profile: pd.DataFrame
    bars: pd.DataFrame
    cells: pd.DataFrame
    problems: tuple[Problem, ...]


def segment_view(rfm: RfmResult) -> SegmentView:
    """The RFM tab's tables for an `RfmResult` (its table must not be empty)."""
    profile = segment_profile(rfm.table)
    bars = profile.reset_index()[["segment", "customers", "share", "revenue_share"]]
    return SegmentView(profile, bars, rf_cells(rfm.table), rfm.problems)


def segment_names(lang: str = "en") -> dict[str, str]:
    """Every segment's name in `lang`, in SEGMENTS order."""
    return {segment: t(f"segment.{segment}", lang) for segment in SEGMENTS}


def stage_names(lang: str = "en") -> dict[str, str]:
    """Every lifecycle stage's name in `lang`, in STAGES order."""
    return {stage: t(f"stage.{stage}", lang) for stage in STAGES}


def segment_bars(view: SegmentView, lang: str = "en") -> pd.DataFrame:
    """The bar chart's rows (`SegmentView.bars`) with each segment's name as label."""
    return view.bars.assign(label=view.bars["segment"].map(segment_names(lang)))


def segment_cells(view: SegmentView, lang: str = "en") -> pd.DataFrame:
    """The R x F grid's 25 cells (`rf_cells`) with each cell's segment name as label."""
    return view.cells.assign(label=view.cells["segment"].map(segment_names(lang)))


def segment_table(view: SegmentView, lang: str = "en") -> pd.DataFrame:
    """One row per segment (SEGMENTS order): name, meaning, size, value and the recommended action.

    Columns: segment (name), what, customers, share and revenue_share (in percent,
    0-100), recency, frequency, monetary (the segment's mean days since the last
    order, orders and monetary value; NaN for an empty segment), action.
    """
    profile = view.profile
    keys = list(profile.index)
    return pd.DataFrame(
        {
            "segment": [t(f"segment.{s}", lang) for s in keys],
            "what": [t(SEGMENT_DESCRIPTIONS[s], lang) for s in keys],
            "customers": profile["customers"].to_numpy(),
            "share": profile["share"].to_numpy() * 100,
            "revenue_share": profile["revenue_share"].to_numpy() * 100,
            "recency": profile["mean_recency_days"].to_numpy(),
            "frequency": profile["mean_frequency"].to_numpy(),
            "monetary": profile["mean_monetary"].to_numpy(),
            "action": [t(ACTIONS[s], lang) for s in keys],
        }
    )


def rules_grid(lang: str = "en") -> pd.DataFrame:
    """The segment rule (SEGMENT_GRID) as the page shows it: rows F5..F1, columns R1..R5, names."""
    names = segment_names(lang)
    grid = segment_grid_table()
    return pd.DataFrame(
        [[names[grid.loc[f, r]] for r in grid.columns] for f in grid.index],
        index=[f"F{f}" for f in grid.index],
        columns=[f"R{r}" for r in grid.columns],
    )


def stage_counts(stages: pd.Series) -> pd.DataFrame:
    """Customers in each lifecycle stage (STAGES order, zeros kept) and their share in percent (0-100)."""
    counts = stages.value_counts().reindex(list(STAGES), fill_value=0)
    return pd.DataFrame(
        {
            "stage": list(STAGES),
            "customers": counts.to_numpy(np.int64),
            "share": counts.to_numpy(float) / max(int(counts.sum()), 1) * 100,
        }
    )


def stage_table(counts: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The stages table: stage (name), what, customers, share (percent), action, from `stage_counts`."""
    keys = counts["stage"].tolist()
    return pd.DataFrame(
        {
            "stage": [t(f"stage.{s}", lang) for s in keys],
            "what": [t(STAGE_DESCRIPTIONS[s], lang) for s in keys],
            "customers": counts["customers"].to_numpy(),
            "share": counts["share"].to_numpy(),
            "action": [t(STAGE_ACTIONS[s], lang) for s in keys],
        }
    )


def lifecycle_months(by_month: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """`lifecycle_by_month` rows with each stage's name (label) and its place in the stack (order)."""
    stage = by_month["stage"].astype(str)
    return by_month.assign(
        label=stage.map(stage_names(lang)),
        order=stage.map({s: i for i, s in enumerate(STAGES)}),
    )


def breakdown_table(
    groups: pd.Series,
    features: pd.DataFrame,
    attribute: str,
    names: Mapping[object, str],
    lang: str = "en",
) -> pd.DataFrame:
    """How each value of a customer attribute splits across groups, labelled for the breakdown chart.

    `groups`: each customer's segment, stage (categorical or text) or cluster number,
    indexed by customer_id; `features[attribute]` the attribute (`group_mix` pools
    rare values as "other" and missing ones as "unknown", here in `lang`); `names`:
    every group's name, in the order the legend lists them. Rows: value, group,
    customers, share (of the value's customers), label (group name), order.
    """
    if isinstance(groups.dtype, pd.CategoricalDtype):
        groups = groups.astype(str)
    mix = group_mix(groups, features[attribute])
    return mix.assign(
        label=mix["group"].map(names),
        order=mix["group"].map({g: i for i, g in enumerate(names)}),
        value=mix["value"].replace(
            {"unknown": t("seg.unknown", lang), "other": t("seg.other", lang)}
        ),
    )


@dataclass(frozen=True)
class ListChoice:
    """Which customers a list holds: those in any of the chosen segments, stages and clusters.

    An empty choice keeps everyone.
    """

    segments: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    clusters: tuple[int, ...] = ()


@dataclass(frozen=True)
class CustomerList:
    """Customers to show and export, with their scores, segment, stage and cluster, in one language.

    table: every listed customer (the download), in the RFM table's order; top: the
    LIST_ROWS customers with the highest monetary value, highest first (the page).
    """

    table: pd.DataFrame
    top: pd.DataFrame

    @property
    def customers(self) -> int:
        return len(self.table)


def customer_list(
    rfm: pd.DataFrame,
    monetary: MonetaryKind,
    lang: str = "en",
    choice: ListChoice = ListChoice(),
    stages: pd.Series | None = None,
    clusters: pd.Series | None = None,
    cluster_names: Mapping[int, str] | None = None,
) -> CustomerList:
    """The customer list of the Segmentation page: one row per customer of the RFM table.

    Columns (headers in `lang`): customer ID, segment, days since last order, orders,
    total spend or average order value (`monetary`), R, F, M, RFM cell, then the
    lifecycle stage when `stages` is given and the cluster when `clusters` (cluster
    number per customer) and `cluster_names` are. Names are categoricals: each is
    translated once, however many customers carry it.
    """
    require_columns(
        rfm, ("recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_cell")
    )
    keep = np.ones(len(rfm), dtype=bool)
    segment = _as_categorical(rfm["rfm_segment"], SEGMENTS)
    if choice.segments:
        keep &= np.isin(segment.codes, [SEGMENTS.index(s) for s in choice.segments])
    stage = None
    if stages is not None:
        stage = _as_categorical(stages.reindex(rfm.index), STAGES)
        if choice.stages:
            keep &= np.isin(stage.codes, [STAGES.index(s) for s in choice.stages])
    cluster = None
    if clusters is not None and cluster_names is not None:
        numbers = clusters.reindex(rfm.index).to_numpy(float)
        codes = np.where(np.isnan(numbers), -1, numbers).astype(np.int64)
        cluster = pd.Categorical.from_codes(
            codes, categories=[cluster_names[c] for c in range(len(cluster_names))]
        )
        if choice.clusters:
            keep &= np.isin(codes, list(choice.clusters))

    columns: dict[str, object] = {
        field_label("customer_id", lang): rfm.index.to_numpy()[keep],
        t("seg.col_segment", lang): segment[keep].rename_categories(segment_names(lang)),
        t("seg.col_recency", lang): rfm["recency_days"].to_numpy()[keep],
        t("seg.col_frequency", lang): rfm["frequency"].to_numpy()[keep],
        t(f"seg.col_monetary_{monetary}", lang): rfm["monetary"].to_numpy()[keep],
        "R": rfm["r_score"].to_numpy()[keep],
        "F": rfm["f_score"].to_numpy()[keep],
        "M": rfm["m_score"].to_numpy()[keep],
        t("seg.col_cell", lang): _cells(rfm["r_score"].to_numpy(), rfm["f_score"].to_numpy())[keep],
    }
    if stage is not None:
        columns[t("seg.col_stage", lang)] = stage[keep].rename_categories(stage_names(lang))
    if cluster is not None:
        columns[t("seg.col_cluster", lang)] = cluster[keep]
    table = pd.DataFrame(columns)
    spend = t(f"seg.col_monetary_{monetary}", lang)
    top = table.sort_values(spend, ascending=False).head(LIST_ROWS)
    return CustomerList(table, top)


def _as_categorical(values: pd.Series, categories: tuple[str, ...]) -> pd.Categorical:
    """Keys as a categorical with exactly `categories`, free when they already are one."""
    if isinstance(values.dtype, pd.CategoricalDtype) and list(values.cat.categories) == list(
        categories
    ):
        return values.array
    return pd.Categorical(values.astype(object), categories=list(categories))


def _cells(r_score: np.ndarray, f_score: np.ndarray) -> pd.Categorical:
    """The RFM cell names ("R4F2") as a categorical of the 25 cells, from the scores."""
    return pd.Categorical.from_codes(
        (r_score - 1) * 5 + (f_score - 1), categories=_CELL_NAMES.ravel()
    )
