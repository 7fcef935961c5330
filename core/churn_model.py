"""Churn-risk model: leak-free features at a cut-off, a time-based holdout, scores, reasons and the what-if.

The features of a customer at cut-off day c use only orders and order lines dated on
or before c; the label is "no order in the `horizon_days` days after c". The model
is trained at an earlier cut-off and judged at a later one, so its accuracy is what
it would have been had it been used then. Scores for today come from a model refit
at the latest cut-off whose outcome is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from core.summary import require_columns

Progress = Callable[[float, str], None]

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
    """What the page shows about the churn-risk model.

    auc: ROC AUC on the holdout (0.5 = no better than chance, 1 = perfect);
    precision_top: share of real churners among the riskiest 10% of the holdout;
    base_rate: share of churners in the holdout; calibration: bin, predicted,
    observed, customers; importance: feature, importance (drop in AUC when the
    feature is shuffled), spread; scores: today's current customers with risk,
    value, at_stake (risk x value), reason, reason_value, reason_typical and a few
    descriptors (reason is LOW_RISK below MIN_REASON_RISK). Cut-offs are Timestamps. message: a key when the model could not be
    built (the other fields are then empty).
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
    message: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.message is None

    @property
    def lift_top(self) -> float:
        return self.precision_top / self.base_rate if self.base_rate > 0 else float("nan")


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
    a result with a message key and the numbers it lacks in `params`.
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
            message=MSG_TOO_LITTLE_HISTORY,
            params={"days": span, "needed": needed, "horizon": horizon_days},
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
                horizon_days, message=MSG_TOO_FEW, params={"n": len(x), "needed": MIN_CUSTOMERS}
            )
        if min(int(y.sum()), int((1 - y).sum())) < MIN_CLASS:
            return ChurnModelResult(
                horizon_days,
                message=MSG_ONE_CLASS,
                params={
                    "churners": int(y.sum()),
                    "stayers": int((1 - y).sum()),
                    "needed": MIN_CLASS,
                },
            )
    report(0.2, "retention.step_train")
    model = _fit(x_train, y_train, random_state)
    report(0.45, "retention.step_evaluate")
    test_matrix = feature_matrix(x_test)[0]
    risk_test = _risk(model, test_matrix)
    auc = float(roc_auc_score(y_test, risk_test))
    precision = precision_at_top(y_test.to_numpy(), risk_test, TOP_SHARE)
    calibration = calibration_table(y_test.to_numpy(), risk_test)
    report(0.55, "retention.step_importance")
    importance = _importance(model, test_matrix, list(x_test.columns), y_test, random_state)
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


def feature_label_key(feature: str) -> tuple[str, dict[str, str]]:
    """Message key and parameters that name a feature for people."""
    if feature.startswith(CATEGORY_PREFIX):
        return "retention.feat_cat_share", {"category": feature.removeprefix(CATEGORY_PREFIX)}
    if feature.startswith(ATTRIBUTE_PREFIX):
        return f"field.{feature.removeprefix(ATTRIBUTE_PREFIX)}", {}
    return f"retention.feat_{feature}", {}


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


def retention_offer(
    scores: pd.DataFrame,
    top_share: float,
    reduction_points: float,
    cost_per_contact: float,
    margin: float = 1.0,
) -> OfferResult:
    """What if the riskiest `top_share` of current customers get an offer that cuts their churn risk by `reduction_points`?

    Each contacted customer's risk falls by reduction_points / 100 (not below 0), so
    kept = sum(risk - max(risk - y, 0)) and revenue_kept = sum of that times the
    customer's value. Required columns of `scores`: risk, value.
    """
    require_columns(scores, ("risk", "value"))
    if not 0 <= top_share <= 1 or reduction_points < 0 or cost_per_contact < 0:
        raise ValueError("top_share must be in [0, 1]; reduction and cost must not be negative")
    n = int(round(len(scores) * top_share))
    top = scores.sort_values("risk", ascending=False, kind="stable").head(n)
    risk = top["risk"].to_numpy(float)
    removed = risk - np.maximum(risk - reduction_points / 100, 0)
    revenue_kept = float((removed * top["value"].to_numpy(float)).sum())
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
                band, weights=scores["at_stake"].to_numpy(float), minlength=n_bands
            ),
        }
    )
