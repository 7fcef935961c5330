"""Churn-risk model: leak-free features, an honest holdout, scores, reasons, drivers and the what-if.

Two modes share the model, metrics and results. From purchase histories ("history"):
the features of a customer at cut-off day c use only orders and order lines dated on
or before c; the label is "no order in the `horizon_days` days after c". The model
is trained at an earlier cut-off and judged at a later one, so its accuracy is what
it would have been had it been used then. Scores for today come from a model refit
at the latest cut-off whose outcome is known. From a subscription table
("subscription", `prepare_subscribers`): the features are the subscribers'
attributes, the label is the table's churn flag, and there is no time axis, so the
holdout is a stratified random 30% of the subscribers; scores are for those still
subscribed, from a model refit on all rows.

The page reads the model's readings off `ChurnModelResult` (caption, auc_reading, ...),
the at-risk list as a slice of `at_risk_table` (`at_risk_selection`), and the what-if
from `whatif` on the scores sorted once (`offer_basis`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import norm, rankdata
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from core.format import fmt_count, fmt_money, fmt_number, fmt_share
from core.i18n import t
from core.ingest.coerce import parse_flags, parse_numbers
from core.problems import Problem, problem
from core.retention import churn_outcome
from core.schema import TABLES, normalize_header
from core.summary import require_columns

Progress = Callable[[float, str], None]
ModelMode = Literal["history", "subscription"]
Quality = Literal["good", "useful", "weak", "none"]

DEFAULT_HORIZON_DAYS = 90
RECENT_DAYS = 90  # window of the "recent orders" features
VALUE_DAYS = 365  # a customer's value: revenue in the last 12 months
TOP_SHARE = 0.10  # precision among the riskiest 10%
N_CATEGORIES = 6  # category-mix features: spend share of the most common categories
MAX_LEVELS = 30  # attribute values beyond the most common ones are pooled
MIN_CUSTOMERS = 200  # per cut-off
MIN_CLASS = 20  # churners and stayers each, per cut-off
IMPORTANCE_SAMPLE = 3_000
IMPORTANCE_REPEATS = 2
REASON_FEATURES = 5  # main reasons are looked for among the most important features
MIN_REASON_RISK = 0.2  # below this risk no reason is looked for
CALIBRATION_BINS = 10

DRIVER_COUNT = 4  # drivers in words: the most important features with a clear direction
DRIVER_SAMPLE = 2_000
MIN_DRIVER_IMPORTANCE = 0.005  # half a point of AUC: below it a feature drives nothing
MIN_DRIVER_GAP = 0.01  # a driver's two values must differ by a point of average risk
AUC_LEVEL = 0.95
# How far to trust a model by its holdout AUC (0.5 is a coin toss): the common reading of
# ROC AUC (Hosmer, Lemeshow & Sturdivant 2013, 5.2.4: 0.7 acceptable, 0.8 excellent).
AUC_CHANCE = 0.5  # an interval reaching this could be chance
AUC_WEAK = 0.6  # below: no better than chance for practical purposes
AUC_USEFUL = 0.7
AUC_GOOD = 0.8
AT_RISK_SHOWN = 500  # rows of the at-risk list on screen (the download has all)

MSG_TOO_LITTLE_HISTORY = "retention.model_too_little_history"
MSG_TOO_FEW = "retention.model_too_few"
MSG_ONE_CLASS = "retention.model_one_class"
MSG_NO_REASON = "retention.reason_none"
LOW_RISK = "retention.reason_low_risk"

# Feature names (their labels are message keys "retention.feat_<name>").
BASE_FEATURES = (
    "recency_days",
    "frequency",
    "total_spend",
    "avg_order_value",
    "tenure_days",
    "orders_recent",
    "orders_before_recent",
    "mean_gap_days",
    "last_gap_days",
    "gap_trend",
    "overdue_ratio",
)
DISCOUNT_FEATURES = ("discount_share", "first_discount")
CATEGORY_PREFIX = "cat_share:"
ATTRIBUTE_PREFIX = "attr:"
COLUMN_PREFIX = "col:"  # subscription mode: a column of the file, named by its own header
_ATTRIBUTE_COLUMNS = ("channel", "region", "gender")

_DAY_NS = 86_400 * 10**9


def _day(value: pd.Timestamp | str) -> int:
    return int(pd.Timestamp(value).to_datetime64().astype("datetime64[D]").astype(np.int64))


def _date(day: int) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(int(day), "D"))


# ---------------------------------------------------------------------------
# History: arrays prepared once per data set
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """Orders and order lines as day numbers and customer codes, sorted by customer then day.

    Built once per data set (`prepare_history`); every cut-off is a cheap mask on it.
    """

    ids: pd.Index
    order_customer: np.ndarray
    order_day: np.ndarray
    order_amount: np.ndarray
    line_customer: np.ndarray | None
    line_day: np.ndarray | None
    line_amount: np.ndarray | None
    line_category: np.ndarray | None  # codes into categories, -1 = missing
    categories: pd.Index | None
    line_discounted: np.ndarray | None
    attributes: pd.DataFrame  # indexed like ids: channel / region / gender (categorical), age

    @property
    def first_day(self) -> int:
        return int(self.order_day.min())

    @property
    def last_day(self) -> int:
        return int(self.order_day.max())


def prepare_history(
    orders: pd.DataFrame,
    transactions: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
) -> History:
    """Arrays for feature building. Required columns of orders: customer_id, order_date, amount.

    Order lines (transactions) add the category mix and discount features when they
    have category / discount columns; the customers table adds channel, region,
    gender and age. Churn flags or end dates in the customers table are never used
    (they would tell the model the answer).
    """
    require_columns(orders, ("customer_id", "order_date", "amount"))
    codes, ids = _id_codes(orders["customer_id"])
    stamps = orders["order_date"].to_numpy("datetime64[ns]")
    days = stamps.astype("datetime64[D]").astype(np.int64)
    keep = (codes >= 0) & ~np.isnat(stamps)
    codes, days = codes[keep], days[keep]
    # Sort by customer, then day, through one int64 key.
    day0 = int(days.min()) if len(days) else 0
    span = int(days.max()) - day0 + 1 if len(days) else 1
    order = np.argsort(codes * span + (days - day0), kind="stable")
    o_customer = codes[order]
    o_day = days[order]
    o_amount = orders["amount"].to_numpy(float)[keep][order]

    l_customer = l_day = l_amount = l_category = l_discounted = None
    categories = None
    if transactions is not None and ("category" in transactions or "discount" in transactions):
        require_columns(transactions, ("customer_id", "order_date", "amount"))
        line_codes, line_ids = _id_codes(transactions["customer_id"])
        lookup = ids.get_indexer(line_ids)
        t_codes = np.where(line_codes >= 0, lookup[np.maximum(line_codes, 0)], -1)
        t_dates = transactions["order_date"].to_numpy("datetime64[ns]")
        ok = (t_codes >= 0) & ~np.isnat(t_dates)
        l_customer = t_codes[ok]
        l_day = t_dates[ok].astype("datetime64[D]").astype(np.int64)
        l_amount = transactions["amount"].to_numpy(float)[ok]
        if "category" in transactions:
            category = transactions["category"]
            if isinstance(category.dtype, pd.CategoricalDtype):
                cat_codes = category.cat.codes.to_numpy(np.int64)[ok]
                categories = pd.Index(category.cat.categories.astype(str))
            else:
                cat_codes, found = pd.factorize(category.astype("object").to_numpy()[ok], sort=True)
                categories = pd.Index(found).astype("str")
            l_category = cat_codes.astype(np.int64)
        if "discount" in transactions:
            l_discounted = np.nan_to_num(transactions["discount"].to_numpy(float)[ok]) > 0
    return History(
        ids,
        o_customer,
        o_day,
        o_amount,
        l_customer,
        l_day,
        l_amount,
        l_category,
        categories,
        l_discounted,
        _attributes(ids, customers),
    )


def _id_codes(customer: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of customer ids and the ids (text) they index; -1 for a missing id."""
    if isinstance(customer.dtype, pd.CategoricalDtype):
        # Ingest stores customer ids as categories: the codes are free.
        ids = pd.Index(customer.cat.categories.astype(str), name="customer_id", dtype="str")
        return customer.cat.codes.to_numpy(np.int64), ids
    codes, found = pd.factorize(customer, sort=False)
    return codes.astype(np.int64), pd.Index(found.astype(str), name="customer_id", dtype="str")


def _attributes(ids: pd.Index, customers: pd.DataFrame | None) -> pd.DataFrame:
    out = pd.DataFrame(index=ids)
    if customers is None or "customer_id" not in customers:
        return out
    table = customers.assign(customer_id=customers["customer_id"].astype("str"))
    table = table.drop_duplicates("customer_id").set_index("customer_id").reindex(ids)
    for column in _ATTRIBUTE_COLUMNS:
        if column in table and table[column].nunique() >= 2:
            values = table[column].astype("object").where(table[column].notna(), None)
            frequent = values.value_counts().index[:MAX_LEVELS]
            values = values.where(values.isin(frequent) | values.isna(), "other")
            out[ATTRIBUTE_PREFIX + column] = pd.Categorical(
                values, categories=sorted(values.dropna().unique().astype(str))
            )
    if "age" in table and pd.to_numeric(table["age"], errors="coerce").notna().any():
        out[ATTRIBUTE_PREFIX + "age"] = pd.to_numeric(table["age"], errors="coerce").to_numpy(float)
    return out


# ---------------------------------------------------------------------------
# Features and labels
# ---------------------------------------------------------------------------


def model_categories(history: History, cutoff_day: int) -> list[str]:
    """The categories whose spend share becomes a feature: the most common ones up to the cut-off.

    Chosen once, at the earliest cut-off used, so that every feature table has the
    same columns and nothing after that cut-off decides which columns exist.
    """
    if history.line_category is None or history.categories is None:
        return []
    mask = (history.line_day <= cutoff_day) & (history.line_category >= 0)
    spend = np.bincount(
        history.line_category[mask],
        weights=history.line_amount[mask],
        minlength=len(history.categories),
    )
    top = np.argsort(-spend, kind="stable")[:N_CATEGORIES]
    return [str(history.categories[i]) for i in top if spend[i] > 0]


def build_features(
    history: History,
    cutoff_day: int,
    categories: list[str],
    current_within_days: int | None = None,
) -> pd.DataFrame:
    """Features of every customer with an order on or before `cutoff_day`, from that history only.

    Columns (days are calendar days before or at the cut-off):

    - recency_days: since the last order; frequency: orders; total_spend;
      avg_order_value; tenure_days: since the first order;
    - orders_recent / orders_before_recent: orders in the last 90 days and in the 90
      days before those (their difference is the trend in buying);
    - mean_gap_days: average days between orders (NaN with one order);
      last_gap_days: days between the last two orders; gap_trend: the last gap over
      the average of the earlier gaps (> 1: slowing down; NaN with < 3 orders);
      overdue_ratio: recency over the average gap (how overdue the next order is);
    - discount_share: share of spend on discounted lines; first_discount: 1 when the
      first order had a discount (when the lines have a discount column);
    - cat_share:<category>: share of spend on each of `categories`;
    - attr:channel, attr:region, attr:gender (categories), attr:age: from the
      customers table.

    `current_within_days` keeps only customers whose last order is at most that many
    days before the cut-off (customers not yet churned). Indexed by customer_id.
    """
    h = history
    mask = h.order_day <= cutoff_day
    customer, day, amount = h.order_customer[mask], h.order_day[mask], h.order_amount[mask]
    n = len(h.ids)
    frequency = np.bincount(customer, minlength=n)
    seen = frequency > 0
    spend = np.bincount(customer, weights=amount, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, customer, day)
    np.maximum.at(last, customer, day)
    # Rows are sorted by customer then day: a customer's last row is their last order.
    is_last = np.ones(len(customer), dtype=bool)
    is_last[:-1] = customer[1:] != customer[:-1]
    second_last = np.full(n, np.iinfo(np.int64).min)
    before_last = np.flatnonzero(is_last) - 1
    has_two = frequency[customer[is_last]] >= 2
    second_last[customer[is_last][has_two]] = day[before_last[has_two]]
    recent = np.bincount(customer[day > cutoff_day - RECENT_DAYS], minlength=n)
    before_recent = np.bincount(
        customer[(day > cutoff_day - 2 * RECENT_DAYS) & (day <= cutoff_day - RECENT_DAYS)],
        minlength=n,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        freq = frequency.astype(float)
        mean_gap = np.where(frequency >= 2, (last - first) / (freq - 1), np.nan)
        last_gap = np.where(frequency >= 2, last - second_last, np.nan).astype(float)
        earlier_mean = np.where(frequency >= 3, (second_last - first) / (freq - 2), np.nan)
        gap_trend = np.where(earlier_mean > 0, last_gap / earlier_mean, np.nan)
        recency = (cutoff_day - last).astype(float)
        overdue = np.where(mean_gap > 0, recency / mean_gap, np.nan)
        features = pd.DataFrame(
            {
                "recency_days": recency,
                "frequency": freq,
                "total_spend": spend,
                "avg_order_value": spend / freq,
                "tenure_days": (cutoff_day - first).astype(float),
                "orders_recent": recent.astype(float),
                "orders_before_recent": before_recent.astype(float),
                "mean_gap_days": mean_gap,
                "last_gap_days": last_gap,
                "gap_trend": gap_trend,
                "overdue_ratio": overdue,
            },
            index=h.ids,
        )
    if h.line_customer is not None:
        line_mask = h.line_day <= cutoff_day
        lc, la = h.line_customer[line_mask], h.line_amount[line_mask]
        line_spend = np.bincount(lc, weights=la, minlength=n)
        safe_spend = np.where(line_spend != 0, line_spend, np.nan)
        if h.line_discounted is not None:
            discounted = h.line_discounted[line_mask]
            features["discount_share"] = (
                np.bincount(lc[discounted], weights=la[discounted], minlength=n) / safe_spend
            )
            on_first = h.line_day[line_mask] == first[lc]
            first_disc = np.zeros(n, dtype=float)
            np.maximum.at(first_disc, lc[on_first], discounted[on_first].astype(float))
            features["first_discount"] = first_disc
        if h.line_category is not None and h.categories is not None and categories:
            # Spend per (customer, chosen category) in one bincount.
            wanted = np.full(len(h.categories) + 1, -1, dtype=np.int64)
            lookup = {str(c): i for i, c in enumerate(h.categories)}
            for slot, name in enumerate(categories):
                if name in lookup:
                    wanted[lookup[name]] = slot
            slot_of_line = wanted[h.line_category[line_mask]]  # code -1 maps to the last entry
            hit = slot_of_line >= 0
            spend_by = np.bincount(
                lc[hit] * len(categories) + slot_of_line[hit],
                weights=la[hit],
                minlength=n * len(categories),
            ).reshape(n, len(categories))
            for slot, name in enumerate(categories):
                features[CATEGORY_PREFIX + name] = spend_by[:, slot] / safe_spend
    for column in h.attributes.columns:
        features[column] = h.attributes[column].array
    keep = seen
    if current_within_days is not None:
        keep = keep & (cutoff_day - last <= current_within_days)
    return features[keep]


def churn_labels(
    history: History, customers: pd.Index, cutoff_day: int, horizon_days: int
) -> pd.Series:
    """1 for customers with no order in the `horizon_days` days after the cut-off, else 0."""
    window = (history.order_day > cutoff_day) & (history.order_day <= cutoff_day + horizon_days)
    bought = np.bincount(history.order_customer[window], minlength=len(history.ids)) > 0
    positions = history.ids.get_indexer(customers)
    return pd.Series((~bought[positions]).astype(np.int64), index=customers, name="churned")


def customer_value(history: History, customers: pd.Index, as_of_day: int) -> pd.Series:
    """Revenue of each customer in the 365 days up to `as_of_day`: the year a churner would take away."""
    window = (history.order_day > as_of_day - VALUE_DAYS) & (history.order_day <= as_of_day)
    value = np.bincount(
        history.order_customer[window],
        weights=history.order_amount[window],
        minlength=len(history.ids),
    )
    return pd.Series(value[history.ids.get_indexer(customers)], index=customers, name="value")


# ---------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------


def new_classifier(random_state: int = 0) -> HistGradientBoostingClassifier:
    """Gradient-boosted trees: handle missing gaps and categorical attributes natively."""
    return HistGradientBoostingClassifier(
        max_iter=50,
        learning_rate=0.15,
        max_bins=63,
        max_leaf_nodes=15,
        min_samples_leaf=40,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=random_state,
    )


def feature_matrix(features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Features as a float matrix (categories as their codes, missing as NaN) and the categorical mask.

    The trees see the same numbers as from the DataFrame, but predictions on a plain
    matrix skip pandas' per-call checks, which matters for the many predictions of
    permutation importance and main reasons.
    """
    columns, mask = [], []
    for name in features.columns:
        column = features[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy(float)
            codes[codes < 0] = np.nan
            columns.append(codes)
            mask.append(True)
        else:
            columns.append(column.to_numpy(float))
            mask.append(False)
    matrix = np.column_stack(columns) if columns else np.empty((len(features), 0))
    return matrix, np.asarray(mask, dtype=bool)


def _fit(x: pd.DataFrame, y: pd.Series, random_state: int) -> HistGradientBoostingClassifier:
    matrix, mask = feature_matrix(x)
    model = new_classifier(random_state)
    model.set_params(categorical_features=mask if mask.any() else None)
    return model.fit(matrix, y.to_numpy())


def _risk(model: HistGradientBoostingClassifier, matrix: np.ndarray) -> np.ndarray:
    return model.predict_proba(matrix)[:, 1] if len(matrix) else np.empty(0)


@dataclass(frozen=True)
class ChurnModelResult:
    """What the page shows about the churn-risk model (either mode).

    auc: ROC AUC on the holdout (0.5 = no better than chance, 1 = perfect), with
    auc_low / auc_high its 95% interval (DeLong); precision_top: share of real
    churners among the riskiest 10% of the holdout; base_rate: share of churners in
    the holdout; calibration: bin, predicted, observed, customers; importance:
    feature, importance (drop in AUC when the feature is shuffled), spread; drivers:
    the main features in words (see `risk_drivers`); scores: the customers to act on
    (history: current customers today; subscription: subscribers still subscribed)
    with risk, value, at_stake (risk x value), reason, reason_value, reason_typical
    and a few descriptors (reason is LOW_RISK below MIN_REASON_RISK). History mode:
    value is the last 12 months' revenue and the cut-offs are Timestamps;
    subscription mode: value is the monthly charge (NaN without one) and
    horizon_days is 0. problem: why the model could not be built (severity error;
    the other fields are then empty), or None; left_out: (column, reason key) of the subscription
    table's columns that are not features.
    """

    horizon_days: int
    train_cutoff: pd.Timestamp | None = None
    test_cutoff: pd.Timestamp | None = None
    as_of: pd.Timestamp | None = None
    n_train: int = 0
    n_test: int = 0
    auc: float = float("nan")
    precision_top: float = float("nan")
    base_rate: float = float("nan")
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    importance: pd.DataFrame = field(default_factory=pd.DataFrame)
    scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    problem: Problem | None = None
    mode: ModelMode = "history"
    auc_low: float = float("nan")
    auc_high: float = float("nan")
    drivers: pd.DataFrame = field(default_factory=pd.DataFrame)
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def lift_top(self) -> float:
        return self.precision_top / self.base_rate if self.base_rate > 0 else float("nan")

    @property
    def quality(self) -> Quality:
        """How far to trust the model: none when its AUC could be chance (below AUC_WEAK, or an
        interval reaching 0.5); good from AUC_GOOD, useful from AUC_USEFUL, else weak."""
        if not self.auc >= AUC_WEAK or (np.isfinite(self.auc_low) and self.auc_low <= AUC_CHANCE):
            return "none"
        return "good" if self.auc >= AUC_GOOD else "useful" if self.auc >= AUC_USEFUL else "weak"

    @property
    def caption(self) -> Problem:
        """What the model was trained and checked on (`model_caption`)."""
        return model_caption(self)

    @property
    def auc_value(self) -> Problem:
        """The AUC with its interval, as the metric shows it: "0.83 (0.80–0.86)"."""
        return problem("retention.auc_value", "info", **self._auc_params())

    @property
    def auc_interval_reading(self) -> Problem:
        return problem(
            self.key("auc_interval"), "info", **self._auc_params(), n=fmt_count(self.n_test)
        )

    @property
    def auc_reading(self) -> Problem:
        """What the accuracy means, worded by `quality`: use the list, prioritise with it, or not."""
        return problem(
            self.key(f"auc_reading_{self.quality}"),
            "info",
            auc=fmt_number(self.auc),
            precision=fmt_share(self.precision_top),
            base=fmt_share(self.base_rate),
            lift=fmt_number(self.lift_top, 1),
        )

    @property
    def precision_help(self) -> Problem:
        return problem(self.key("metric_precision_top_help"), "info", share=fmt_share(TOP_SHARE, 0))

    @property
    def base_rate_help(self) -> Problem:
        return problem(self.key("metric_base_rate_help"), "info", days=self.horizon_days)

    def _auc_params(self) -> dict[str, str]:
        return {
            "auc": fmt_number(self.auc),
            "low": fmt_number(self.auc_low),
            "high": fmt_number(self.auc_high),
        }

    @property
    def expected_churners(self) -> float:
        """Sum of the scored customers' risks: how many of them the model expects to leave."""
        return float(self.scores["risk"].sum()) if "risk" in self.scores else 0.0

    @property
    def at_stake(self) -> float:
        """Sum of risk x value over the scored customers (NaN values count as nothing)."""
        return float(self.scores["at_stake"].sum()) if "at_stake" in self.scores else 0.0

    @property
    def has_value(self) -> bool:
        """Whether the scores carry money (revenue, or monthly charges) per customer."""
        return "value" in self.scores and bool(self.scores["value"].notna().any())

    @property
    def value_to_year(self) -> float:
        """Factor from a score's value to a year of it: 12 monthly charges, or 1 (value is already a year's revenue)."""
        return 12.0 if self.mode == "subscription" else 1.0

    def key(self, name: str) -> str:
        """The message key of text `name` in this mode: subscription texts speak of subscribers and monthly charges."""
        if self.mode == "subscription" and name in SUBSCRIPTION_TEXTS:
            return f"retention.sub_{name}"
        return f"retention.{name}"


# Texts with a subscription wording ("retention.sub_<name>" next to "retention.<name>").
SUBSCRIPTION_TEXTS = frozenset(
    {
        "model_intro",
        "auc_reading_good",
        "auc_reading_useful",
        "auc_reading_weak",
        "auc_reading_none",
        "metric_precision_top_help",
        "metric_base_rate",
        "metric_base_rate_help",
        "at_risk_intro",
        "metric_current",
        "metric_current_help",
        "metric_expected_churners_help",
        "metric_at_stake",
        "metric_at_stake_help",
        "list_caption",
        "col_risk_help",
        "col_value",
        "col_value_help",
        "col_at_stake",
        "col_at_stake_help",
        "reason_text",
        "whatif_intro",
        "whatif_share_help",
        "whatif_revenue_kept",
        "whatif_revenue_kept_help",
        "whatif_reading",
        "whatif_contacted",
        "whatif_kept",
        "auc_interval",
    }
)


def train_churn_model(
    history: History,
    churn_days: int,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    progress: Progress | None = None,
    random_state: int = 0,
) -> ChurnModelResult:
    """Train, judge on a time-based holdout, and score today's customers.

    With the last order's day E and horizon H: the model learns at cut-off E - 2H
    (label: no order in the next H days), is judged at cut-off E - H (label: no order
    up to E), and is refit at E - H to score the customers current at E. Only
    customers current at a cut-off (last order at most `churn_days` before it) are
    used: those already churned need no prediction.

    Needs at least H days of history before the first cut-off, MIN_CUSTOMERS current
    customers and MIN_CLASS churners and stayers at each cut-off; otherwise returns
    a result whose `problem` says which, with the numbers it lacks.
    """
    # One thread: OpenMP's spinning threads slow training down many times over when the
    # machine's cores are busy (a shared server), and the data sets here are small.
    with threadpool_limits(limits=1, user_api="openmp"):
        return _train(history, churn_days, horizon_days, progress, random_state)


def _train(
    history: History,
    churn_days: int,
    horizon_days: int,
    progress: Progress | None,
    random_state: int,
) -> ChurnModelResult:
    report = progress or (lambda fraction, key: None)
    end = history.last_day
    test_cut = end - horizon_days
    train_cut = test_cut - horizon_days
    needed = 3 * horizon_days
    span = end - history.first_day
    if train_cut - history.first_day < horizon_days:
        return ChurnModelResult(
            horizon_days,
            problem=problem(MSG_TOO_LITTLE_HISTORY, days=span, needed=needed, horizon=horizon_days),
        )
    report(0.05, "retention.step_features")
    categories = model_categories(history, train_cut)
    x_train = build_features(history, train_cut, categories, churn_days)
    y_train = churn_labels(history, x_train.index, train_cut, horizon_days)
    x_test = build_features(history, test_cut, categories, churn_days)
    y_test = churn_labels(history, x_test.index, test_cut, horizon_days)
    for x, y in ((x_train, y_train), (x_test, y_test)):
        if len(x) < MIN_CUSTOMERS:
            return ChurnModelResult(
                horizon_days, problem=problem(MSG_TOO_FEW, n=len(x), needed=MIN_CUSTOMERS)
            )
        if min(int(y.sum()), int((1 - y).sum())) < MIN_CLASS:
            return ChurnModelResult(
                horizon_days,
                problem=problem(
                    MSG_ONE_CLASS,
                    churners=int(y.sum()),
                    stayers=int((1 - y).sum()),
                    needed=MIN_CLASS,
                ),
            )
    report(0.2, "retention.step_train")
    model = _fit(x_train, y_train, random_state)
    report(0.45, "retention.step_evaluate")
    test_matrix = feature_matrix(x_test)[0]
    risk_test = _risk(model, test_matrix)
    auc, auc_low, auc_high = auc_interval(y_test.to_numpy(), risk_test)
    precision = precision_at_top(y_test.to_numpy(), risk_test, TOP_SHARE)
    calibration = calibration_table(y_test.to_numpy(), risk_test)
    report(0.55, "retention.step_importance")
    importance = _importance(model, test_matrix, list(x_test.columns), y_test, random_state)
    drivers = risk_drivers(model, x_test, importance, random_state)
    report(0.7, "retention.step_score")
    final = _fit(x_test, y_test, random_state)
    x_now = build_features(history, end, categories, churn_days)
    risk_now = _risk(final, feature_matrix(x_now)[0])
    report(0.85, "retention.step_reasons")
    # Reasons only where a reason is worth reading: customers with a real risk.
    risky = risk_now >= MIN_REASON_RISK
    reasons = main_reasons(
        final, x_now[risky], risk_now[risky], x_test[y_test.to_numpy() == 0], importance
    ).reindex(x_now.index)
    reasons["reason"] = reasons["reason"].fillna(LOW_RISK)
    reasons = reasons.fillna("")
    value = customer_value(history, x_now.index, end)
    scores = pd.DataFrame(
        {
            "risk": risk_now,
            "value": value.to_numpy(),
            "at_stake": risk_now * value.to_numpy(),
            "recency_days": x_now["recency_days"].to_numpy(),
            "frequency": x_now["frequency"].to_numpy(),
            "total_spend": x_now["total_spend"].to_numpy(),
        },
        index=x_now.index,
    ).join(reasons)
    scores = scores.sort_values(["at_stake", "risk"], ascending=False, kind="stable")
    report(1.0, "retention.step_done")
    return ChurnModelResult(
        horizon_days,
        _date(train_cut),
        _date(test_cut),
        _date(end),
        len(x_train),
        len(x_test),
        auc,
        precision,
        float(y_test.mean()),
        calibration,
        importance,
        scores,
        auc_low=auc_low,
        auc_high=auc_high,
        drivers=drivers,
    )


def precision_at_top(labels: np.ndarray, risk: np.ndarray, share: float = TOP_SHARE) -> float:
    """Share of real churners among the `share` of customers with the highest risk (at least one customer)."""
    n = max(1, int(round(len(risk) * share)))
    top = np.argsort(-risk, kind="stable")[:n]
    return float(np.mean(labels[top]))


def calibration_table(
    labels: np.ndarray, risk: np.ndarray, bins: int = CALIBRATION_BINS
) -> pd.DataFrame:
    """Predicted against observed churn in bins of equal size by predicted risk (a reliability diagram)."""
    order = np.argsort(risk, kind="stable")
    groups = np.array_split(order, min(bins, max(1, len(risk))))
    rows = [
        {
            "bin": i + 1,
            "predicted": float(risk[g].mean()),
            "observed": float(labels[g].mean()),
            "customers": len(g),
        }
        for i, g in enumerate(groups)
        if len(g)
    ]
    return pd.DataFrame(rows)


def _importance(
    model: HistGradientBoostingClassifier,
    matrix: np.ndarray,
    names: list[str],
    y: pd.Series,
    random_state: int,
) -> pd.DataFrame:
    """Permutation importance on the holdout (Breiman 2001; scikit-learn): AUC lost when a feature is shuffled."""
    labels = y.to_numpy()
    if len(matrix) > IMPORTANCE_SAMPLE:
        rows = np.sort(
            np.random.default_rng(random_state).choice(
                len(matrix), IMPORTANCE_SAMPLE, replace=False
            )
        )
        matrix, labels = matrix[rows], labels[rows]
    result = permutation_importance(
        model,
        matrix,
        labels,
        scoring="roc_auc",
        n_repeats=IMPORTANCE_REPEATS,
        random_state=random_state,
    )
    table = pd.DataFrame(
        {
            "feature": names,
            "importance": result.importances_mean,
            "spread": result.importances_std,
        }
    )
    return table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


def main_reasons(
    model: HistGradientBoostingClassifier,
    x: pd.DataFrame,
    risk: np.ndarray,
    stayers: pd.DataFrame,
    importance: pd.DataFrame,
) -> pd.DataFrame:
    """Each customer's main reason for risk: the feature whose typical value would lower the risk most.

    For each of the most important features, the customer's value is replaced by the
    typical value among customers who stayed (median, or most common category) and
    the risk recomputed; the feature with the largest drop (at least half a point) is
    the main reason; a feature the customer has no value for (a gap trend with fewer
    than three orders) is never their reason. When no feature lowers the risk the reason is
    "retention.reason_none". Returns reason (feature name or that key), reason_value
    and reason_typical (as text).
    """
    out = pd.DataFrame(
        {"reason": MSG_NO_REASON, "reason_value": "", "reason_typical": ""}, index=x.index
    )
    if len(x) == 0:
        return out
    useful = importance[importance["importance"] > 0]["feature"]
    candidates = [f for f in useful if f in x.columns][:REASON_FEATURES]
    if not candidates:
        return out
    matrix = feature_matrix(x)[0]
    position = {name: i for i, name in enumerate(x.columns)}
    drops = np.zeros((len(x), len(candidates)))
    typical: dict[str, object] = {}
    typical_code: dict[str, float] = {}
    for j, name in enumerate(candidates):
        column = stayers[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            mode = column.mode()
            typical[name] = mode.iloc[0] if len(mode) else None
            code = column.cat.categories.get_loc(typical[name]) if len(mode) else np.nan
            typical_code[name] = float(code)
        else:
            values = column.to_numpy(float)
            median = float(np.nanmedian(values)) if (~np.isnan(values)).any() else np.nan
            typical[name] = typical_code[name] = median
        changed = matrix.copy()
        changed[:, position[name]] = typical_code[name]
        drops[:, j] = risk - _risk(model, changed)
        # A missing value (no gap yet, no age) is no reason a person can act on or read.
        drops[np.isnan(matrix[:, position[name]]), j] = -np.inf
    best = drops.argmax(axis=1)
    has_reason = drops[np.arange(len(x)), best] > 0.005
    reason = np.where(has_reason, np.asarray(candidates, dtype=object)[best], MSG_NO_REASON)
    value_text = np.full(len(x), "", dtype=object)
    typical_text = np.full(len(x), "", dtype=object)
    for name in candidates:
        rows = np.flatnonzero(reason == name)
        if len(rows):
            value_text[rows] = [_show(v) for v in x[name].iloc[rows].tolist()]
            typical_text[rows] = _show(typical[name])
    out["reason"] = reason
    out["reason_value"] = value_text
    out["reason_typical"] = typical_text
    return out


def _show(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return "–"
        return f"{value:.2f}" if abs(value) < 10 and value != round(value) else f"{value:,.0f}"
    return str(value)


def feature_name(feature: str, lang: str = "en") -> str:
    """A feature's name for people, in `lang`: a column of the file keeps its own header."""
    if feature.startswith(COLUMN_PREFIX):
        return feature.removeprefix(COLUMN_PREFIX)
    key, params = feature_label_key(feature)
    return t(key, lang, **params)


def feature_label_key(feature: str) -> tuple[str, dict[str, str]]:
    """Message key and parameters that name a feature for people."""
    if feature.startswith(CATEGORY_PREFIX):
        return "retention.feat_cat_share", {"category": feature.removeprefix(CATEGORY_PREFIX)}
    if feature.startswith(ATTRIBUTE_PREFIX):
        return f"field.{feature.removeprefix(ATTRIBUTE_PREFIX)}", {}
    if feature in ("orders_recent", "orders_before_recent"):
        days = {"days": str(RECENT_DAYS), "days_before": str(2 * RECENT_DAYS)}
        return f"retention.feat_{feature}", days
    return f"retention.feat_{feature}", {}


def auc_interval(
    labels: np.ndarray, risk: np.ndarray, level: float = AUC_LEVEL
) -> tuple[float, float, float]:
    """ROC AUC and its interval by DeLong's method (DeLong, DeLong & Clarke-Pearson 1988).

    The variance comes from the structural components of the Mann-Whitney statistic,
    computed with midranks as in Sun & Xu (2014, "Fast implementation of DeLong's
    algorithm"): V10 for each churner, V01 for each stayer, and
    var(AUC) = var(V10) / m + var(V01) / n. The interval is AUC +- z * se, clipped
    to [0, 1] (as pROC's ci.auc). Returns (auc, low, high); NaN when a class is empty.
    """
    labels = np.asarray(labels).astype(bool)
    risk = np.asarray(risk, dtype=float)
    positive, negative = risk[labels], risk[~labels]
    m, n = len(positive), len(negative)
    if m == 0 or n == 0:
        return float("nan"), float("nan"), float("nan")
    within_pos = rankdata(positive)
    within_neg = rankdata(negative)
    overall = rankdata(np.concatenate([positive, negative]))
    auc = float((overall[:m].sum() - m * (m + 1) / 2) / (m * n))
    v10 = (overall[:m] - within_pos) / n  # share of stayers each churner outranks
    v01 = 1.0 - (overall[m:] - within_neg) / m  # share of churners that outrank each stayer
    variance = (v10.var(ddof=1) / m if m > 1 else 0.0) + (v01.var(ddof=1) / n if n > 1 else 0.0)
    half = float(norm.ppf(0.5 + level / 2) * np.sqrt(variance))
    return auc, max(0.0, auc - half), min(1.0, auc + half)


def risk_drivers(
    model: HistGradientBoostingClassifier,
    x: pd.DataFrame,
    importance: pd.DataFrame,
    random_state: int = 0,
    top: int = DRIVER_COUNT,
) -> pd.DataFrame:
    """The main drivers in words: for the most important features, which values go with higher risk.

    A partial dependence (Friedman 2001) on up to DRIVER_SAMPLE rows of `x`: every row's
    value of the feature is set to one value at a time and the predicted risks
    averaged. Categories: every category, the riskiest against the safest; numbers:
    the 10th against the 90th percentile (the smallest against the largest value
    when those coincide, as for a 0/1 column). A feature is a driver when it costs
    at least MIN_DRIVER_IMPORTANCE of AUC when shuffled and its two averages differ by
    at least MIN_DRIVER_GAP. Returns feature, high_value, low_value (as text),
    risk_high, risk_low, at most `top` rows in order of importance.
    """
    columns = ["feature", "high_value", "low_value", "risk_high", "risk_low"]
    if len(x) == 0 or importance.empty:
        return pd.DataFrame(columns=columns)
    if len(x) > DRIVER_SAMPLE:
        rows = np.random.default_rng(random_state).choice(len(x), DRIVER_SAMPLE, replace=False)
        x = x.iloc[np.sort(rows)]
    matrix = feature_matrix(x)[0]
    position = {name: i for i, name in enumerate(x.columns)}
    found = []
    for name in importance[importance["importance"] >= MIN_DRIVER_IMPORTANCE]["feature"]:
        if name not in position or len(found) >= top:
            continue
        column = x[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = np.arange(len(column.cat.categories), dtype=float)
            shown = [_show(c) for c in column.cat.categories]
        else:
            values = column.to_numpy(float)
            values = values[~np.isnan(values)]
            if len(values) == 0:
                continue
            low, high = np.percentile(values, [10, 90])
            if low == high:
                low, high = values.min(), values.max()
            codes = np.array([low, high])
            shown = [_show(float(low)), _show(float(high))]
        if len(codes) < 2:
            continue
        averages = []
        for code in codes:
            changed = matrix.copy()
            changed[:, position[name]] = code
            averages.append(float(_risk(model, changed).mean()))
        averages = np.asarray(averages)
        riskiest, safest = int(averages.argmax()), int(averages.argmin())
        if averages[riskiest] - averages[safest] < MIN_DRIVER_GAP:
            continue
        found.append((name, shown[riskiest], shown[safest], averages[riskiest], averages[safest]))
    return pd.DataFrame(found, columns=columns)


# ---------------------------------------------------------------------------
# Subscription mode: a customers table with a churn flag
# ---------------------------------------------------------------------------

SUB_TEST_SHARE = 0.30
MIN_SUB_CLASS = 50  # cancelled and still subscribed, each
SUB_MAX_LEVELS = 20  # a text column with more different values is an id or free text
NUMERIC_SHARE = 0.95  # a text column is numbers (or yes/no) when this share of its cells reads so
LEAK_AUC = 0.99  # a column that alone separates churners this well gives the answer away

MSG_SUB_TOO_FEW = "retention.sub_model_too_few"
MSG_SUB_NO_FEATURES = "retention.sub_model_no_features"
LEFT_OUT_OUTCOME = "retention.left_out_outcome"
LEFT_OUT_DATE = "retention.left_out_date"
LEFT_OUT_ANSWER = "retention.left_out_answer"
LEFT_OUT_LEVELS = "retention.left_out_levels"

_OUTCOME_COLUMNS = ("churned", "end_date")
_OUTCOME_WORDS = ("churn", "cancel", "attrition", "流失", "退订", "注销")
_CATEGORY_FIELDS = ("gender", "region", "channel")
_NUMBER_FIELDS = ("age", "tenure", "monthly_charge")
_CUSTOMER_FIELDS = frozenset(TABLES["customers"].names)


@dataclass(frozen=True)
class Subscribers:
    """A subscription table ready for the model.

    features: indexed by customer_id (text; row numbers when the table has no ids),
    numbers as float and categories as pandas categoricals; churned: 1 cancelled,
    0 still subscribed (same index); monthly_charge: per subscriber, None when the
    table has none; left_out: (column, reason key) for the columns that are not
    features; unknown: rows left out because their outcome is blank.
    """

    features: pd.DataFrame
    churned: pd.Series
    monthly_charge: pd.Series | None
    left_out: tuple[tuple[str, str], ...] = ()
    unknown: int = 0


def prepare_subscribers(customers: pd.DataFrame) -> Subscribers:
    """Features and outcome of a customers table with a churn flag or end dates.

    The outcome is `core.retention.churn_outcome` (rows with a blank outcome are left
    out and counted). Features: gender, region and channel as categories; age,
    tenure and monthly_charge as numbers; every other column of the file (kept as
    text by the intake) as numbers when at least 95% of its filled cells read as
    numbers (`parse_numbers`) or yes/no (`parse_flags`), otherwise as a category when
    it has at most SUB_MAX_LEVELS values. Never features: the ids; the churn flag,
    end date and any column whose header speaks of churn or cancelling (they are the
    answer); dates (a sign-up date with the tenure gives away the end date of those
    who left); and any column that alone separates churners from the others almost
    perfectly (AUC >= LEAK_AUC). A total of charges (about tenure x monthly charge)
    is a feature, as in the usual analyses of such data.
    """
    outcome = churn_outcome(customers)
    n = len(customers)
    if "customer_id" in customers:
        ids = pd.Series(customers["customer_id"].astype("str").to_numpy(), dtype="str")
    else:
        ids = pd.Series(np.arange(1, n + 1).astype(str), dtype="str")
    known = ~np.isnan(outcome)
    keep = known & ids.notna().to_numpy() & ~ids.duplicated().to_numpy()
    rows = np.flatnonzero(keep)
    table = customers.iloc[rows]
    index = pd.Index(ids.to_numpy()[rows], name="customer_id", dtype="str")
    churned = pd.Series(outcome[rows].astype(np.int64), index=index, name="churned")
    features = pd.DataFrame(index=index)
    left_out: list[tuple[str, str]] = []
    for column in table.columns:
        if column == "customer_id":
            continue
        header = normalize_header(column)
        named = (ATTRIBUTE_PREFIX if column in _CUSTOMER_FIELDS else COLUMN_PREFIX) + str(column)
        if column in _OUTCOME_COLUMNS or any(word in header for word in _OUTCOME_WORDS):
            left_out.append((named, LEFT_OUT_OUTCOME))
            continue
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            left_out.append((named, LEFT_OUT_DATE))
            continue
        if column in _NUMBER_FIELDS:
            name, feature = named, pd.to_numeric(values, errors="coerce").to_numpy(float)
        elif column in _CATEGORY_FIELDS:
            name, feature = named, _category(values)
        else:
            name, feature = named, _read_column(values)
            if feature is None:
                left_out.append((named, LEFT_OUT_LEVELS))
                continue
        series = pd.Series(feature, index=index)
        if series.nunique(dropna=True) < 2:
            continue  # the same for everyone: nothing to learn
        if _gives_answer(series, churned.to_numpy()):
            left_out.append((named, LEFT_OUT_ANSWER))
            continue
        features[name] = series
    charge = None
    if "monthly_charge" in table:
        charge = pd.Series(
            pd.to_numeric(table["monthly_charge"], errors="coerce").to_numpy(float),
            index=index,
            name="monthly_charge",
        )
        if charge.isna().all():
            charge = None
    return Subscribers(features, churned, charge, tuple(left_out), int((~known).sum()))


def _category(values: pd.Series, max_levels: int = MAX_LEVELS) -> pd.Categorical:
    text = values.astype("object").where(values.notna(), None)
    frequent = text.value_counts().index[:max_levels]
    text = text.where(text.isin(frequent) | text.isna(), "other")
    return pd.Categorical(text, categories=sorted(text.dropna().astype(str).unique()))


def _read_column(values: pd.Series) -> np.ndarray | pd.Categorical | None:
    """A column kept as text: numbers, yes/no as 1/0, a category, or None (an id or free text)."""
    text = values.astype("str")
    filled = int(text.notna().sum())
    if filled == 0:
        return None
    for reader in (parse_numbers, parse_flags):
        reading = reader(text).values
        if reading.notna().sum() >= NUMERIC_SHARE * filled:
            return reading.to_numpy(float)
    if text.nunique(dropna=True) > SUB_MAX_LEVELS:
        return None
    return _category(text, SUB_MAX_LEVELS)


def _gives_answer(feature: pd.Series, churned: np.ndarray) -> bool:
    """Whether one column alone tells churners from the others (a status column, a cancel reason)."""
    if churned.min() == churned.max():
        return False
    if isinstance(feature.dtype, pd.CategoricalDtype):
        rate = pd.Series(churned, index=feature.index).groupby(feature, observed=True).mean()
        score = feature.map(rate).astype(float).to_numpy()
    else:
        score = feature.to_numpy(float)
    score = np.where(np.isnan(score), np.nanmedian(score), score)
    auc = roc_auc_score(churned, score)
    return max(auc, 1 - auc) >= LEAK_AUC


def holdout_split(churned: np.ndarray, random_state: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the training 70% and the holdout 30%, drawn at random within each outcome."""
    rows = np.arange(len(churned))
    train, test = train_test_split(
        rows, test_size=SUB_TEST_SHARE, stratify=churned, random_state=random_state
    )
    return np.sort(train), np.sort(test)


def train_subscription_model(
    subscribers: Subscribers, progress: Progress | None = None, random_state: int = 0
) -> ChurnModelResult:
    """Train on a random 70% of subscribers, judge on the other 30%, score those still subscribed.

    A subscription table has no time axis, so the holdout is a stratified random split
    (`holdout_split`, fixed seed); the same model, metrics, importance, drivers and
    reasons as the history mode. The scores come from a model refit on all rows; the
    at-risk list ranks by risk x monthly charge when the table has one, else by risk.
    Needs MIN_SUB_CLASS cancelled and still-subscribed subscribers and one feature;
    otherwise returns a result whose `problem` says which.
    """
    with threadpool_limits(limits=1, user_api="openmp"):
        return _train_subscription(subscribers, progress, random_state)


def _train_subscription(
    subscribers: Subscribers, progress: Progress | None, random_state: int
) -> ChurnModelResult:
    report = progress or (lambda fraction, key: None)
    x, y = subscribers.features, subscribers.churned
    labels = y.to_numpy()
    churners, stayers = int(labels.sum()), int(len(labels) - labels.sum())
    failed = {"mode": "subscription", "left_out": subscribers.left_out}
    if min(churners, stayers) < MIN_SUB_CLASS:
        too_few = problem(MSG_SUB_TOO_FEW, churners=churners, stayers=stayers, needed=MIN_SUB_CLASS)
        return ChurnModelResult(0, problem=too_few, **failed)
    if x.shape[1] == 0:
        return ChurnModelResult(0, problem=problem(MSG_SUB_NO_FEATURES), **failed)
    train, test = holdout_split(labels, random_state)
    report(0.1, "retention.step_train")
    model = _fit(x.iloc[train], y.iloc[train], random_state)
    report(0.35, "retention.step_evaluate")
    test_matrix = feature_matrix(x.iloc[test])[0]
    risk_test = _risk(model, test_matrix)
    auc, auc_low, auc_high = auc_interval(labels[test], risk_test)
    precision = precision_at_top(labels[test], risk_test, TOP_SHARE)
    calibration = calibration_table(labels[test], risk_test)
    report(0.45, "retention.step_importance")
    importance = _importance(model, test_matrix, list(x.columns), y.iloc[test], random_state)
    drivers = risk_drivers(model, x.iloc[test], importance, random_state)
    report(0.65, "retention.step_score")
    final = _fit(x, y, random_state)
    current = labels == 0
    x_now = x[current]
    risk_now = _risk(final, feature_matrix(x_now)[0])
    report(0.8, "retention.step_reasons")
    risky = risk_now >= MIN_REASON_RISK
    reasons = main_reasons(final, x_now[risky], risk_now[risky], x_now, importance)
    reasons = reasons.reindex(x_now.index)
    reasons["reason"] = reasons["reason"].fillna(LOW_RISK)
    reasons = reasons.fillna("")
    charge = subscribers.monthly_charge
    value = (
        charge.reindex(x_now.index).to_numpy(float)
        if charge is not None
        else np.full(len(x_now), np.nan)
    )
    scores = pd.DataFrame(
        {"risk": risk_now, "value": value, "at_stake": risk_now * value}, index=x_now.index
    )
    if ATTRIBUTE_PREFIX + "tenure" in x_now:
        scores["tenure"] = x_now[ATTRIBUTE_PREFIX + "tenure"].to_numpy(float)
    scores = scores.join(reasons)
    order = ["at_stake", "risk"] if charge is not None else ["risk"]
    scores = scores.sort_values(order, ascending=False, kind="stable", na_position="last")
    report(1.0, "retention.step_done")
    return ChurnModelResult(
        0,
        n_train=len(train),
        n_test=len(test),
        auc=auc,
        precision_top=precision,
        base_rate=float(labels[test].mean()),
        calibration=calibration,
        importance=importance,
        scores=scores,
        auc_low=auc_low,
        auc_high=auc_high,
        drivers=drivers,
        **failed,
    )


# ---------------------------------------------------------------------------
# What if
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferResult:
    """A retention offer to the riskiest customers: who is contacted, who is kept, what it pays.

    kept: expected customers kept (sum over the contacted of the risk removed);
    revenue_kept: their expected revenue over the next 12 months (value = last 12
    months' revenue); net = revenue_kept x margin - cost; roi = net / cost.
    """

    contacted: int
    expected_churners: float
    kept: float
    revenue_kept: float
    cost: float
    net: float
    roi: float


@dataclass(frozen=True)
class OfferBasis:
    """What the what-if needs from the scores, sorted once: risks from the highest down, with values.

    Built once per model (`offer_basis`), so that every change of the what-if's
    settings is a few vector operations on the first customers, not a sort.
    """

    risk: np.ndarray
    value: np.ndarray
    value_to_year: float = 1.0
    reading_key: str = "retention.whatif_reading"
    money: bool = True


def offer_basis(result: ChurnModelResult) -> OfferBasis:
    """A model's scores ready for the what-if, its reading worded for the mode (and without money
    when the scores carry no value)."""
    money = result.has_value
    key = result.key("whatif_reading") if money else "retention.whatif_reading_no_value"
    return _basis(result.scores, result.value_to_year, key, money)


def _basis(
    scores: pd.DataFrame,
    value_to_year: float,
    reading_key: str = "retention.whatif_reading",
    money: bool = True,
) -> OfferBasis:
    """Scores sorted by risk, highest first (ties in the scores' order). Required: risk, value."""
    require_columns(scores, ("risk", "value"))
    ranked = scores.sort_values("risk", ascending=False, kind="stable")
    return OfferBasis(
        ranked["risk"].to_numpy(float),
        ranked["value"].to_numpy(float),
        value_to_year,
        reading_key,
        money,
    )


def retention_offer(
    scores: pd.DataFrame,
    top_share: float,
    reduction_points: float,
    cost_per_contact: float,
    margin: float = 1.0,
    value_to_year: float = 1.0,
) -> OfferResult:
    """What if the riskiest `top_share` of current customers get an offer that cuts their churn risk by `reduction_points`?

    Each contacted customer's risk falls by reduction_points / 100 (not below 0), so
    kept = sum(risk - max(risk - y, 0)) and revenue_kept = sum of that times the
    customer's value times `value_to_year` (12 when value is a monthly charge).
    Required columns of `scores`: risk, value. Without values (NaN) the money
    figures are NaN and only the customers kept are known. (`offer` does the same
    on an `offer_basis` made once.)
    """
    basis = _basis(scores, value_to_year)
    return offer(basis, top_share, reduction_points, cost_per_contact, margin)


def offer(
    basis: OfferBasis,
    top_share: float,
    reduction_points: float,
    cost_per_contact: float,
    margin: float = 1.0,
) -> OfferResult:
    """`retention_offer` on scores sorted once (`offer_basis`)."""
    if not 0 <= top_share <= 1 or reduction_points < 0 or cost_per_contact < 0:
        raise ValueError("top_share must be in [0, 1]; reduction and cost must not be negative")
    n = int(round(len(basis.risk) * top_share))
    risk = basis.risk[:n]
    removed = risk - np.maximum(risk - reduction_points / 100, 0)
    revenue_kept = float((removed * basis.value[:n]).sum() * basis.value_to_year)
    cost = n * cost_per_contact
    net = revenue_kept * margin - cost
    return OfferResult(
        n,
        float(risk.sum()),
        float(removed.sum()),
        revenue_kept,
        cost,
        net,
        net / cost if cost > 0 else float("nan"),
    )


@dataclass(frozen=True)
class OfferSettings:
    """The what-if's sliders: contact the riskiest `share` % and cut their risk by `points`
    points, at `cost` per contact and a gross margin of `margin` %."""

    share: int = 10
    points: int = 10
    cost: float = 5.0
    margin: int = 40


@dataclass(frozen=True)
class WhatIf:
    """The what-if's answer: the offer's figures, what they mean, and a warning when it loses money."""

    offer: OfferResult
    reading: Problem
    problem: Problem | None = None


def whatif(basis: OfferBasis, settings: OfferSettings) -> WhatIf:
    """The retention offer of `settings` on a model's `offer_basis`, read for people.

    Loses money (a warning) when the offer costs something and the margin on the
    revenue kept does not cover it.
    """
    result = offer(
        basis, settings.share / 100, settings.points, settings.cost, settings.margin / 100
    )
    reading = problem(
        basis.reading_key,
        "info",
        n=fmt_count(result.contacted),
        share=settings.share,
        churners=fmt_count(result.expected_churners),
        kept=fmt_count(result.kept),
        revenue=fmt_money(result.revenue_kept),
        cost=fmt_money(result.cost),
        net=fmt_money(result.net),
        margin=settings.margin,
    )
    loses = basis.money and result.cost > 0 and result.net < 0
    return WhatIf(result, reading, problem("retention.whatif_loss", "warning") if loses else None)


def at_risk_list(result: ChurnModelResult, min_risk: float, lang: str = "en") -> pd.DataFrame:
    """The at-risk list: customers with a risk of at least `min_risk` (0-1), in the model's order.

    Columns: customer_id, risk (in percent), value and at_stake (only when the scores
    carry money), reason (each customer's main reason in words, in `lang`), then the
    mode's descriptors (recency_days and frequency from histories; tenure from a
    subscription table). The rows of `at_risk_table` with that risk.
    """
    everyone = at_risk_table(result, lang)
    return everyone[result.scores["risk"].to_numpy() >= min_risk].reset_index(drop=True)


def at_risk_table(result: ChurnModelResult, lang: str = "en") -> pd.DataFrame:
    """Every scored customer as the at-risk list shows them (see `at_risk_list`), reasons in `lang`.

    Built once per model and language: a list for any minimum risk is a slice of it.
    """
    scores = result.scores
    out = pd.DataFrame(
        {"customer_id": scores.index.astype(str), "risk": scores["risk"].to_numpy() * 100}
    )
    for column in ["value", "at_stake"] if result.has_value else []:
        out[column] = scores[column].to_numpy()
    template = t(result.key("reason_text"), lang)
    keys = {key: t(key, lang) for key in (MSG_NO_REASON, LOW_RISK)}
    names = {r: feature_name(r, lang) for r in scores["reason"].unique() if r not in keys}
    out["reason"] = [
        keys[reason]
        if reason in keys
        else template.format(feature=names[reason], value=value, typical=typical)
        for reason, value, typical in zip(
            scores["reason"], scores["reason_value"], scores["reason_typical"], strict=True
        )
    ]
    for column in ("recency_days", "frequency", "tenure"):
        if column in scores:
            out[column] = scores[column].to_numpy()
    return out


def at_risk_headers(result: ChurnModelResult) -> dict[str, str]:
    """The at-risk list's columns and the message keys that head them (in the list's order)."""
    headers = {
        "customer_id": "field.customer_id",
        "risk": "retention.col_risk",
        "value": result.key("col_value"),
        "at_stake": result.key("col_at_stake"),
        "reason": "retention.col_reason",
        "recency_days": "retention.col_recency_days",
        "frequency": "retention.col_orders",
        "tenure": "field.tenure",
    }
    columns = set(result.scores.columns) | {"customer_id", "risk", "reason"}
    if not result.has_value:
        columns -= {"value", "at_stake"}
    return {column: key for column, key in headers.items() if column in columns}


@dataclass(frozen=True)
class AtRiskList:
    """The customers listed at a minimum risk: all of them for download (headed in the user's
    language), the first AT_RISK_SHOWN for the screen, and the caption that says so."""

    download: pd.DataFrame
    shown: pd.DataFrame
    caption: Problem

    @property
    def count(self) -> int:
        return len(self.download)


def at_risk_selection(
    result: ChurnModelResult, everyone: pd.DataFrame, min_risk: int, lang: str = "en"
) -> AtRiskList:
    """The customers of `everyone` (`at_risk_table` of `result`) with a risk of at least `min_risk` percent."""
    listed = everyone[result.scores["risk"].to_numpy() >= min_risk / 100].reset_index(drop=True)
    headers = at_risk_headers(result)
    download = listed[list(headers)].rename(columns={c: t(k, lang) for c, k in headers.items()})
    caption = problem(
        result.key("list_caption"),
        "info",
        n=fmt_count(len(listed)),
        risk=min_risk,
        shown=AT_RISK_SHOWN,
    )
    return AtRiskList(download, listed.head(AT_RISK_SHOWN), caption)


def importance_table(result: ChurnModelResult, lang: str = "en", top: int = 10) -> pd.DataFrame:
    """The `top` most important features with their names in `lang` (column label), for the chart."""
    shown = result.importance.head(top)
    return shown.assign(label=[feature_name(f, lang) for f in shown["feature"]])


AUC_HELP = problem("retention.metric_auc_help", "info", good=AUC_GOOD)
PRECISION_TOP_LABEL = problem(
    "retention.metric_precision_top", "info", share=fmt_share(TOP_SHARE, 0)
)
SUB_MODEL_INTRO = problem(
    "retention.sub_model_intro",
    "info",
    train=fmt_share(1 - SUB_TEST_SHARE, 0),
    test=fmt_share(SUB_TEST_SHARE, 0),
)


def drivers_markdown(
    result: ChurnModelResult, lang: str = "en", inert: Callable[[str], str] = str
) -> str:
    """What drives the risk, as Markdown: the three most important features, then the drivers in words.

    `inert` makes user-supplied text (column headers, category values) safe for Markdown.
    """
    names = [inert(feature_name(f, lang)) for f in result.importance["feature"].head(3)]
    parts = []
    if len(names) == 3:
        parts.append(
            t("retention.drivers_reading", lang, first=names[0], second=names[1], third=names[2])
        )
    lines = [
        "- "
        + t(
            "retention.driver",
            lang,
            feature=f"**{inert(feature_name(d.feature, lang))}**",
            high=inert(d.high_value),
            low=inert(d.low_value),
            risk_high=fmt_share(d.risk_high),
            risk_low=fmt_share(d.risk_low),
        )
        for d in result.drivers.itertuples()
    ]
    parts.append(
        "\n".join([t("retention.drivers_words", lang), *lines])
        if lines
        else t("retention.drivers_none", lang)
    )
    return "\n\n".join(parts)


def left_out_text(result: ChurnModelResult, lang: str = "en") -> str:
    """The columns of a subscription table that are not features, and why."""
    parts = [t(why, lang, column=feature_name(column, lang)) for column, why in result.left_out]
    return t("retention.left_out", lang, columns="; ".join(parts))


def model_caption(result: ChurnModelResult) -> Problem:
    """What the model was trained and checked on (severity info)."""
    if result.mode == "subscription":
        return problem(
            "retention.sub_model_split",
            "info",
            n_train=fmt_count(result.n_train),
            n_test=fmt_count(result.n_test),
            share=fmt_share(SUB_TEST_SHARE, 0),
            scored=fmt_count(len(result.scores)),
        )
    return problem(
        "retention.model_cutoffs",
        "info",
        train=result.train_cutoff.strftime("%Y-%m-%d"),
        test=result.test_cutoff.strftime("%Y-%m-%d"),
        end=result.as_of.strftime("%Y-%m-%d"),
        n_train=fmt_count(result.n_train),
        n_test=fmt_count(result.n_test),
        days=result.horizon_days,
    )


def risk_bands(scores: pd.DataFrame, width: float = 0.1) -> pd.DataFrame:
    """Customers and revenue at stake per band of churn risk (0-10%, 10-20%, ...).

    Required columns: risk, at_stake. Returns band (lower edge), customers, at_stake.
    """
    require_columns(scores, ("risk", "at_stake"))
    n_bands = int(round(1 / width))
    band = np.minimum((scores["risk"].to_numpy(float) / width).astype(int), n_bands - 1)
    return pd.DataFrame(
        {
            "band": np.arange(n_bands) * width,
            "customers": np.bincount(band, minlength=n_bands),
            "at_stake": np.bincount(
                band, weights=np.nan_to_num(scores["at_stake"].to_numpy(float)), minlength=n_bands
            ),
        }
    )
