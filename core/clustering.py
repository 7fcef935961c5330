"""Customer features and k-means clustering for the Segmentation page.

`customer_features` builds one row per customer (RFM, tenure, category mix,
first-purchase facts, customers-table attributes); `cluster_customers` clusters
chosen numeric columns with an automatic choice of k and profiles the clusters;
`cluster_table`, `cluster_labels` and `cluster_points` are the page's tables of a result.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import pairwise_distances
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from core.i18n import field_label, t
from core.problems import Problem, problem
from core.summary import require_columns

Direction = Literal["high", "low"]
Descriptor = tuple[str, Direction]
Transform = Literal["log1p", "none"]

DAY_NS = 86_400 * 10**9

# The columns every feature table has: counts, money and durations, all >= 0 and
# right-skewed, so they are log-transformed before scaling.
BASE_FEATURES: tuple[str, ...] = (
    "recency_days",
    "frequency",
    "monetary",
    "average_order_value",
    "tenure_days",
)
# Text columns derived from each customer's first order (when transactions are given).
FIRST_PURCHASE_COLUMNS: tuple[str, ...] = (
    "first_purchase_category",
    "first_order_channel",
    "first_order_region",
)
DEFAULT_CLUSTER_FEATURES: tuple[str, ...] = ("recency_days", "frequency", "monetary")
CATEGORY_SHARE_PREFIX = "category_share:"
OTHER_CATEGORY = "other"
DAYS_SINCE_PREFIX = "days_since:"
ATTRIBUTE_COLLISION_PREFIX = "customer:"
TOP_CATEGORIES = 8

MIN_CUSTOMERS = 20
K_RANGE = (2, 10)  # the numbers of clusters searched, and the ones a user can choose
K_CHOICES: tuple[int, ...] = tuple(range(K_RANGE[0], K_RANGE[1] + 1))
N_INIT = 4  # k-means++ restarts per k in the search; the final fit starts from the best sample fit
PROJECTION_POINTS = 3_000
PROJECTION_MIN_PER_CLUSTER = 20
NAME_MIN_Z = 0.3  # a feature names a cluster only if its centroid is this many SDs from the average
BREAKDOWN_MAX_LEVELS = 50
_SINGLE_THREAD = threading.Lock()


@dataclass(frozen=True)
class FeatureChoices:
    """Which feature-table columns go where: clustering takes numbers, breakdowns take text.

    `default`: the columns clustered until the user chooses (those of
    DEFAULT_CLUSTER_FEATURES the table has).
    """

    clustering: tuple[str, ...]
    breakdown: tuple[str, ...]
    default: tuple[str, ...] = DEFAULT_CLUSTER_FEATURES


# The fixed-name columns. Data-dependent ones (category shares, customers-table
# attributes) are listed by `clustering_columns` and `breakdown_columns`.
FEATURE_CHOICES = FeatureChoices(clustering=BASE_FEATURES, breakdown=FIRST_PURCHASE_COLUMNS)

# Expected problems (message keys for core.i18n; params in brackets). Errors (no
# clusters: `ClusterResult.problem`) and notes (clustered, with an adjustment:
# `ClusterResult.notes`):
MESSAGE_KEYS: tuple[str, ...] = (
    "clustering.no_columns",  # error: nothing chosen
    "clustering.too_few_columns",  # error: one column chosen {column}
    "clustering.too_few_customers",  # error: {customers} {minimum}
    "clustering.constant_columns",  # note: zero variance, dropped, clustering went on {columns}
    "clustering.too_few_varying_columns",  # error: after dropping constant ones, < 2 left {columns}
    "clustering.too_few_distinct",  # error: fewer than 3 distinct customers in the sample {distinct}
    "clustering.k_too_large",  # note: requested k above distinct points; k lowered {k} {distinct}
    "clustering.missing_filled",  # note: missing values filled with the median {columns} {customers}
)

# Cluster names: per descriptor a head (noun phrase) and a modifier (adjective) form.
_NAME_TEMPLATE = "cluster.name"  # en "{mod} {head}", zh "{mod}{head}"
_NAME_TYPICAL = "cluster.typical"
_CATEGORY_KEY = "cluster.category_share"
_CATEGORY_OTHER_KEY = "cluster.category_other"
_ATTRIBUTE_KEY = "cluster.attribute"
_DAYS_SINCE_KEY = "cluster.days_since"
_LABEL_PREFIX = "cluster_feature."
_LABEL_CATEGORY = "cluster_feature.category_share"
_LABEL_CATEGORY_OTHER = "cluster_feature.category_other"
_LABEL_DAYS_SINCE = "cluster_feature.days_since"


def descriptor_keys() -> tuple[str, ...]:
    """Every fixed message key the cluster names and feature labels use (for the i18n tests)."""
    stems = [f"cluster.{name}" for name in BASE_FEATURES]
    stems += [_CATEGORY_KEY, _CATEGORY_OTHER_KEY, _ATTRIBUTE_KEY, _DAYS_SINCE_KEY]
    keys = [f"{stem}.{d}{form}" for stem in stems for d in ("high", "low") for form in ("", ".mod")]
    labels = [f"{_LABEL_PREFIX}{name}" for name in (*BASE_FEATURES, *FIRST_PURCHASE_COLUMNS)]
    return (
        _NAME_TEMPLATE,
        _NAME_TYPICAL,
        *keys,
        *labels,
        _LABEL_CATEGORY,
        _LABEL_CATEGORY_OTHER,
        _LABEL_DAYS_SINCE,
    )


# --------------------------------------------------------------------------- features


def customer_features(
    orders: pd.DataFrame,
    transactions: pd.DataFrame | None = None,
    customers: pd.DataFrame | None = None,
    as_of: pd.Timestamp | str | None = None,
) -> pd.DataFrame:
    """One row per customer with at least one order up to `as_of`, indexed by customer_id (str).

    Parameters
    ----------
    orders
        One row per order: customer_id, order_date (datetime64), amount
        (as made by `core.summary.orders_table`).
    transactions
        Optional canonical lines (customer_id, order_date, amount and optional
        category, channel, region) for the category mix and first-order facts.
    customers
        Optional customers table: customer_id plus attributes.
    as_of
        Analysis date (default: the last order date). Days are calendar days;
        orders and lines after the as-of day are ignored.

    Returns
    -------
    DataFrame with columns, in this order:

    - recency_days (int): calendar days from the last order to `as_of`.
    - frequency (int): number of orders.
    - monetary (float): total spend, sum of order amounts.
    - average_order_value (float): monetary / frequency.
    - tenure_days (int): calendar days from the first order to `as_of`.
    - ``category_share:<name>`` (float, 0-1), with transactions that have a
      category: the customer's share of spend in each of the 8 categories with
      the largest total spend; all other categories and lines without a
      category are summed into ``category_share:other`` (present only when
      non-empty). Shares use positive line amounts and sum to 1 per customer
      (all 0 for a customer whose lines total 0).
    - first_purchase_category (text), with a category column: the category with
      the largest spend among the customer's first-order lines (the lines at
      their earliest timestamp).
    - first_order_channel, first_order_region (text), with those columns: the
      value on the largest line of the first order.
    - customers-table attributes, joined on customer_id: numeric and boolean
      columns as float, date columns as ``days_since:<name>`` (float, calendar
      days to `as_of`), everything else as text. An attribute whose name is
      taken by a column above gets the prefix ``customer:``. Customers missing
      from the customers table have missing attributes.

    Text columns are categoricals of strings (missing values stay missing).

    Customers without orders (in the customers table only) are not in the table.
    """
    require_columns(orders, ("customer_id", "order_date", "amount"))
    order_days = _days(orders["order_date"])
    has_date = order_days != np.iinfo(np.int64).min
    if as_of is None:
        as_of_day = int(order_days[has_date].max()) if has_date.any() else 0
    else:
        as_of_day = int(pd.Timestamp(as_of).value // DAY_NS)

    codes, ids = _codes(orders["customer_id"])
    keep = (codes >= 0) & has_date & (order_days <= as_of_day)
    codes, order_days = codes[keep], order_days[keep]
    amounts = orders["amount"].to_numpy(float)[keep]
    n = len(ids)
    count = np.bincount(codes, minlength=n)
    total = np.bincount(codes, weights=amounts, minlength=n)
    first = np.full(n, np.iinfo(np.int64).max)
    last = np.full(n, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, order_days)
    np.maximum.at(last, codes, order_days)
    seen = count > 0

    index = pd.Index(
        np.asarray(ids, dtype=object)[seen].astype(str), name="customer_id", dtype="str"
    )
    features = pd.DataFrame(
        {
            "recency_days": (as_of_day - last[seen]).astype(np.int64),
            "frequency": count[seen].astype(np.int64),
            "monetary": total[seen],
            "average_order_value": total[seen] / count[seen],
            "tenure_days": (as_of_day - first[seen]).astype(np.int64),
        },
        index=index,
    )
    if transactions is not None:
        features = _add_transaction_features(features, transactions, as_of_day)
    if customers is not None:
        features = _add_attributes(features, customers, as_of_day)
    return features


def clustering_columns(features: pd.DataFrame) -> list[str]:
    """Numeric columns of a feature table that can be clustered: base features, shares, numeric attributes."""
    return [c for c in features.columns if _is_numeric(features[c])]


def breakdown_columns(features: pd.DataFrame, max_levels: int = BREAKDOWN_MAX_LEVELS) -> list[str]:
    """Text columns to break a segmentation down by (first-purchase facts and customers-table attributes).

    Only columns with 2 to `max_levels` distinct values are listed: a column with
    one value splits nothing, and one with hundreds (names, e-mails, postcodes)
    is not a breakdown a chart can show.
    """
    columns = []
    for column in features.columns:
        if _is_numeric(features[column]):
            continue
        levels = features[column].nunique(dropna=True)
        if 2 <= levels <= max_levels:
            columns.append(column)
    return columns


def _add_transaction_features(
    features: pd.DataFrame, transactions: pd.DataFrame, as_of_day: int
) -> pd.DataFrame:
    require_columns(transactions, ("customer_id", "order_date", "amount"))
    tx_codes, tx_ids = _codes(transactions["customer_id"])
    row_of_id = pd.Index(np.asarray(tx_ids, dtype=object).astype(str)).get_indexer(features.index)
    # Map transaction customer codes to feature rows (-1: not a customer in the table).
    row_of_code = np.full(len(tx_ids) + 1, -1, dtype=np.int64)  # last slot: missing id (code -1)
    row_of_code[row_of_id[row_of_id >= 0]] = np.flatnonzero(row_of_id >= 0)
    rows = row_of_code[tx_codes]
    stamps = transactions["order_date"].to_numpy("datetime64[ns]").view("int64")
    nat = np.iinfo(np.int64).min
    valid = (rows >= 0) & (stamps != nat) & (stamps // DAY_NS <= as_of_day)
    rows, stamps = rows[valid], stamps[valid]
    amounts = transactions["amount"].to_numpy(float)[valid]
    n = len(features)
    extra: dict[str, Any] = {}

    # First-order lines: those at the customer's earliest line timestamp.
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, rows, stamps)
    in_first = np.flatnonzero(stamps == first[rows])
    first_rows = rows[in_first]

    if "category" in transactions:
        cat_codes, cat_names = _codes(transactions["category"])
        cat_codes = cat_codes[valid]
        positive = np.clip(amounts, 0, None)
        known = cat_codes >= 0
        spend = np.bincount(cat_codes[known], weights=positive[known], minlength=len(cat_names))
        ranked = [c for c in np.argsort(-spend, kind="stable") if spend[c] > 0]
        top = ranked[:TOP_CATEGORIES]
        column_of_code = np.full(len(cat_names) + 1, len(top), dtype=np.int64)
        column_of_code[top] = np.arange(len(top))
        columns = column_of_code[cat_codes]  # code -1 (no category) lands in the last slot: "other"
        width = len(top) + 1
        matrix = np.bincount(rows * width + columns, weights=positive, minlength=n * width).reshape(
            n, width
        )
        row_total = matrix.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(row_total > 0, matrix / row_total, 0.0)
        for j, code in enumerate(top):
            extra[f"{CATEGORY_SHARE_PREFIX}{cat_names[code]}"] = shares[:, j]
        if matrix[:, -1].sum() > 0:
            extra[f"{CATEGORY_SHARE_PREFIX}{OTHER_CATEGORY}"] = shares[:, -1]
        picked = _largest_group(first_rows, cat_codes[in_first], amounts[in_first], n)
        extra["first_purchase_category"] = _text_at(cat_names, picked)

    present = [
        (s, t)
        for s, t in (("channel", "first_order_channel"), ("region", "first_order_region"))
        if s in transactions
    ]
    if present:
        line = _largest_line(first_rows, amounts[in_first], n)
        has = line >= 0
        for source, target in present:
            value_codes, value_names = _codes(transactions[source])
            picked = np.full(n, -1, dtype=np.int64)
            picked[has] = value_codes[valid][in_first][line[has]]
            extra[target] = _text_at(value_names, picked)

    if not extra:
        return features
    return pd.concat([features, pd.DataFrame(extra, index=features.index)], axis=1)


def _largest_group(rows: np.ndarray, groups: np.ndarray, amounts: np.ndarray, n: int) -> np.ndarray:
    """Per row, the group code (>= 0) with the largest summed amount; ties: the lowest code; -1 if none."""
    known = groups >= 0
    width = int(groups.max()) + 1 if known.any() else 1
    # One hashed (row, group) key, summed without sorting.
    key_codes, keys = pd.factorize(rows[known] * width + groups[known], sort=False)
    sums = np.bincount(key_codes, weights=amounts[known], minlength=len(keys))
    key_rows, key_groups = keys // width, keys % width
    best = np.full(n, -np.inf)
    np.maximum.at(best, key_rows, sums)
    winners = sums == best[key_rows]
    picked = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(picked, key_rows[winners], key_groups[winners])
    return np.where(picked == np.iinfo(np.int64).max, -1, picked)


def _largest_line(rows: np.ndarray, amounts: np.ndarray, n: int) -> np.ndarray:
    """Per row, the position (in `rows`) of its largest line; ties: the earliest line; -1 if none."""
    largest = np.full(n, -np.inf)
    np.maximum.at(largest, rows, amounts)
    candidates = np.flatnonzero(amounts == largest[rows])
    line = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(line, rows[candidates], candidates)
    return np.where(line == np.iinfo(np.int64).max, -1, line)


def _text_at(names: Any, codes: np.ndarray) -> pd.Categorical:
    """A text column (categorical) from codes into `names`; code -1 is missing."""
    categories = pd.Index(np.asarray(names, dtype=object).astype(str))
    if categories.is_unique:
        return pd.Categorical.from_codes(codes, categories=categories)
    return pd.Categorical(np.where(codes >= 0, categories.to_numpy()[np.maximum(codes, 0)], None))


def _add_attributes(
    features: pd.DataFrame, customers: pd.DataFrame, as_of_day: int
) -> pd.DataFrame:
    require_columns(customers, ("customer_id",))
    table = customers.drop_duplicates("customer_id", keep="first")
    table = table.set_index(table["customer_id"].astype(str)).drop(columns="customer_id")
    table = table.reindex(features.index)
    taken = set(features.columns)
    extra: dict[str, pd.Series] = {}
    for column in table.columns:
        values = table[column]
        name = str(column)
        if pd.api.types.is_datetime64_any_dtype(values):
            days = _days(values)
            name = f"{DAYS_SINCE_PREFIX}{name}"
            out = pd.Series(
                np.where(days == np.iinfo(np.int64).min, np.nan, as_of_day - days.astype(float)),
                index=features.index,
            )
        elif pd.api.types.is_bool_dtype(values) or _is_numeric(values):
            out = values.astype(float)
        else:
            out = _as_text(values)
        if name in taken or name in extra:
            name = f"{ATTRIBUTE_COLLISION_PREFIX}{name}"
        extra[name] = out
    if not extra:
        return features
    return pd.concat([features, pd.DataFrame(extra, index=features.index)], axis=1)


# --------------------------------------------------------------------------- clustering


@dataclass(frozen=True)
class ClusterResult:
    """k-means clusters of customers with their profiles, names and a 2-D projection.

    Attributes
    ----------
    labels
        Cluster number per customer (Series indexed by customer_id, name
        "cluster"); clusters are numbered 0..k-1 by size, largest first.
        Empty when clustering could not run (see `problem`).
    k
        Number of clusters used (the user's k, else `chosen_k`).
    chosen_k
        k with the highest silhouette score over the searched range (None if no
        k could be scored).
    silhouette
        Columns k, silhouette: the mean silhouette coefficient (Rousseeuw 1987;
        same value as ``sklearn.metrics.silhouette_score``) of the k-means fit on
        the sample, for each k searched.
    profiles
        One row per cluster (index "cluster"): customers, share (of customers),
        revenue_share (when the feature table has monetary), and per chosen
        feature ``mean:<f>`` (in original units), ``ratio:<f>`` (cluster mean /
        overall mean) and ``z:<f>`` (cluster mean of the transformed and
        standardized feature: the standardized centroid, in overall SDs).
    overall
        The overall mean of each chosen feature, in original units.
    names
        Per cluster, up to two descriptors (feature, "high" | "low"): the
        features whose standardized centroid is furthest from the average
        (|z| >= NAME_MIN_Z), strongest first. Empty: a typical cluster.
    projection
        customer_id, x, y, cluster for at most PROJECTION_POINTS customers: the
        first two principal components of the standardized features.
    projection_sampled
        True when `projection` holds a sample rather than every customer.
    projection_variance
        Share of variance explained by the x and y axes.
    columns
        Feature columns actually clustered (chosen, minus dropped constant ones).
    transforms
        Per clustered column, the transform applied before standardizing.
    dropped_columns
        Chosen columns dropped for having no variance.
    filled_missing
        Per column, how many missing values were filled with the column median.
    sample_size
        Customers in the sample the k search ran on.
    problem
        Why customers could not be clustered (severity "error"; `k` is then 0 and
        the tables empty), or None when they were.
    notes
        Adjustments made on the way (severity "info": k lowered, constant columns
        dropped, missing values filled), most important first.
    """

    labels: pd.Series
    k: int
    chosen_k: int | None
    silhouette: pd.DataFrame
    profiles: pd.DataFrame
    overall: pd.Series
    names: tuple[tuple[Descriptor, ...], ...]
    projection: pd.DataFrame
    projection_sampled: bool
    projection_variance: tuple[float, float]
    columns: tuple[str, ...]
    transforms: dict[str, Transform]
    dropped_columns: tuple[str, ...] = ()
    filled_missing: dict[str, int] = field(default_factory=dict)
    sample_size: int = 0
    problem: Problem | None = None
    notes: tuple[Problem, ...] = ()


def cluster_customers(
    features: pd.DataFrame,
    columns: list[str] | tuple[str, ...],
    k: int | None = None,
    k_range: tuple[int, int] = K_RANGE,
    sample_size: int = 5000,
    seed: int = 0,
) -> ClusterResult:
    """k-means clusters of customers on chosen numeric feature columns, k chosen by silhouette.

    Steps: counts, money and durations (BASE_FEATURES, and other non-negative
    numeric columns with skewness above 1) are log1p-transformed; shares are
    left as they are; missing values are filled with the column median; then
    every column is standardized (StandardScaler). A seeded sample of at most
    `sample_size` customers is clustered for every k in `k_range` (inclusive;
    k-means++ with N_INIT restarts, random_state=seed) and the k with the
    highest mean silhouette coefficient is `chosen_k` (ties: the smaller k).
    The final k (the user's `k` if given, else `chosen_k`) is fitted on all
    customers, starting from the sample's centroids, so results are
    reproducible for a given seed.

    Parameters
    ----------
    features
        A table from `customer_features` (or any table indexed by customer_id).
    columns
        Numeric columns to cluster on (see `clustering_columns`).
    k
        Number of clusters chosen by the user; None picks `chosen_k`.
    k_range
        Smallest and largest k searched (inclusive).
    sample_size
        Largest number of customers the k search and silhouette run on.
    seed
        Seed for the sample, k-means and the projection sample.

    Raises
    ------
    ValueError
        A column missing from `features` or not numeric, or `k` < 2 (the page
        offers only valid choices).
    """
    chosen = list(dict.fromkeys(columns))
    for column in chosen:
        if column not in features.columns:
            raise ValueError(f"Column {column} missing from the feature table")
        if not _is_numeric(features[column]):
            raise ValueError(f"Column {column} is not numeric")
    if k is not None and k < 2:
        raise ValueError("k must be at least 2")
    if not chosen:
        return _failed("clustering.no_columns")
    if len(chosen) == 1:
        return _failed("clustering.too_few_columns", column=chosen[0])
    n = len(features)
    if n < MIN_CUSTOMERS:
        return _failed("clustering.too_few_customers", customers=n, minimum=MIN_CUSTOMERS)

    original = features[chosen].astype(float)
    values = original.to_numpy(copy=True)
    transforms: dict[str, Transform] = {}
    filled: dict[str, int] = {}
    constant: list[str] = []
    for j, column in enumerate(chosen):
        column_values = values[:, j]
        missing = np.isnan(column_values)
        present = column_values[~missing]
        if present.size == 0 or present.min() == present.max():
            constant.append(column)
            continue
        transforms[column] = _transform_for(column, present)
        if transforms[column] == "log1p":
            values[:, j] = np.log1p(column_values)
        if missing.any():
            values[missing, j] = np.median(values[~missing, j])
            filled[column] = int(missing.sum())
    used = [c for c in chosen if c not in constant]
    if len(used) < 2:
        return _failed("clustering.too_few_varying_columns", columns=constant)
    values = values[:, [chosen.index(c) for c in used]]
    scaled = StandardScaler().fit_transform(values)

    rng = np.random.default_rng(seed)
    sample_index = (
        np.sort(rng.choice(n, size=sample_size, replace=False)) if n > sample_size else np.arange(n)
    )
    sample = scaled[sample_index]
    wanted = max(k_range[1], k or 0)
    distinct_sample = _distinct_rows(sample, stop_at=wanted + 1)
    low = max(2, k_range[0])
    high = min(k_range[1], distinct_sample, len(sample) - 1)

    # Sample-sized work: threads cost more than they save (and oversubscribe a busy
    # machine). The limit is process-wide for BLAS, so concurrent sessions take turns
    # rather than restore each other's settings out of order.
    with _SINGLE_THREAD, threadpool_limits(1):
        fits = {
            kk: KMeans(kk, n_init=N_INIT, random_state=seed).fit(sample)
            for kk in range(low, high + 1)
        }
        scores = _silhouette_scores(sample, {kk: fit.labels_ for kk, fit in fits.items()}, seed)
    curve = pd.DataFrame(
        {"k": list(scores), "silhouette": list(scores.values())}, columns=["k", "silhouette"]
    )
    scored = curve.dropna()
    chosen_k = int(scored.loc[scored["silhouette"].idxmax(), "k"]) if len(scored) else None

    notes: list[Problem] = []
    if k is None:
        if chosen_k is None:
            return _failed("clustering.too_few_distinct", distinct=distinct_sample)
        final_k = chosen_k
    else:
        final_k = k
        distinct = (
            distinct_sample if distinct_sample >= k else _distinct_rows(scaled, stop_at=k + 1)
        )
        if distinct < k:
            final_k = distinct
            notes.append(problem("clustering.k_too_large", "info", k=k, distinct=distinct))
    if final_k in fits:
        final = KMeans(
            final_k, init=fits[final_k].cluster_centers_, n_init=1, random_state=seed
        ).fit(scaled)
    else:
        final = KMeans(final_k, n_init=N_INIT, random_state=seed).fit(scaled)
    labels = _by_size(final.labels_)
    k_used = int(labels.max()) + 1

    profiles, overall, z = _profiles(features, original, scaled, labels, k_used, used)
    names = tuple(_descriptors(z[i], used) for i in range(k_used))
    projection, sampled, variance = _projection(features.index, scaled, labels, k_used, seed)

    if constant:
        notes.append(problem("clustering.constant_columns", "info", columns=constant))
    if filled:
        notes.append(
            problem(
                "clustering.missing_filled",
                "info",
                columns=list(filled),
                customers=max(filled.values()),
            )
        )
    return ClusterResult(
        labels=pd.Series(labels, index=features.index, name="cluster"),
        k=k_used,
        chosen_k=chosen_k,
        silhouette=curve,
        profiles=profiles,
        overall=overall,
        names=names,
        projection=projection,
        projection_sampled=sampled,
        projection_variance=variance,
        columns=tuple(used),
        transforms=transforms,
        dropped_columns=tuple(constant),
        filled_missing=filled,
        sample_size=len(sample_index),
        notes=tuple(notes),
    )


def _transform_for(column: str, present: np.ndarray) -> Transform:
    if column.startswith(CATEGORY_SHARE_PREFIX) or present.min() < 0:
        return "none"
    if column in BASE_FEATURES:
        return "log1p"
    centred = present - present.mean()
    sd = centred.std()
    skewness = float((centred**3).mean() / sd**3) if sd > 0 else 0.0
    return "log1p" if skewness > 1 else "none"


def _distinct_rows(values: np.ndarray, stop_at: int) -> int:
    """Distinct rows of `values`, or any number >= `stop_at` when there are at least that many."""
    if len(values) == 0:
        return 0
    # Cheap lower bound first: distinct values of the first column alone.
    first = len(np.unique(values[:, 0]))
    if first >= stop_at:
        return first
    return len(np.unique(values, axis=0))


SILHOUETTE_POINTS = 2_000


def _silhouette_scores(
    points: np.ndarray, labelings: dict[int, np.ndarray], seed: int
) -> dict[int, float]:
    """Mean silhouette coefficient (Rousseeuw 1987) of each labelling: scikit-learn's value.

    Scored on a seeded subsample of at most SILHOUETTE_POINTS of the k-search
    sample: the cost is quadratic in points, and the same subsample for every k
    keeps the curve comparable. It is the subsample `silhouette_score(points,
    labels, sample_size=SILHOUETTE_POINTS, random_state=seed)` draws, and the score
    is that call's: see `_mean_silhouette`. The distance matrix is computed once for
    every k rather than nine times.

    Measured on 5,000 sample points with one thread: nine `silhouette_score` calls
    1.14 s; one distance matrix and `silhouette_score(metric="precomputed")` per k
    0.62 s; one distance matrix and `_mean_silhouette` per k 0.10 s (the clustering
    of 40,000 customers of a 1M-line file went from 1.9 s to about 0.6 s).
    tests/core/test_clustering.py checks the scores against `silhouette_score`.
    """
    if len(points) > SILHOUETTE_POINTS:
        chosen = check_random_state(seed).permutation(len(points))[:SILHOUETTE_POINTS]
    else:
        chosen = np.arange(len(points))
    distances: np.ndarray | None = None
    scores: dict[int, float] = {}
    for kk, labels in labelings.items():
        if len(np.unique(labels)) < 2:
            scores[kk] = float("nan")
            continue
        if distances is None:
            distances = pairwise_distances(points[chosen])
        scores[kk] = _mean_silhouette(distances, labels[chosen])
    return scores


def _mean_silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """`sklearn.metrics.silhouette_score(distances, labels, metric="precomputed")`, by one product.

    For point i in cluster A: a(i) = mean distance to the other points of A, b(i) =
    the smallest mean distance to the points of another cluster, s(i) = (b - a) /
    max(a, b), and s(i) = 0 when A holds i alone (Rousseeuw 1987; scikit-learn's
    convention for singletons). The per-cluster sums of distances are one matrix
    product (distances x cluster indicator) rather than scikit-learn's row-wise
    bincounts.
    """
    codes, labels = np.unique(labels, return_inverse=True)
    k = len(codes)
    indicator = np.zeros((len(labels), k))
    indicator[np.arange(len(labels)), labels] = 1.0
    sums = distances @ indicator
    sizes = indicator.sum(axis=0)
    own = sums[np.arange(len(labels)), labels]
    own_size = sizes[labels] - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        a = own / own_size
        means = sums / sizes
    means[np.arange(len(labels)), labels] = np.inf
    b = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (b - a) / np.maximum(a, b)
    s = np.where(own_size > 0, np.nan_to_num(s), 0.0)
    return float(s.mean())


def _by_size(raw: np.ndarray) -> np.ndarray:
    """Renumber clusters 0..k-1 by size, largest first (ties: the lower original number)."""
    counts = np.bincount(raw)
    present = np.flatnonzero(counts)
    order = present[np.lexsort((present, -counts[present]))]
    mapping = np.full(len(counts), -1, dtype=np.int64)
    mapping[order] = np.arange(len(order))
    return mapping[raw]


def _profiles(
    features: pd.DataFrame,
    original: pd.DataFrame,
    scaled: np.ndarray,
    labels: np.ndarray,
    k: int,
    used: list[str],
) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    counts = np.bincount(labels, minlength=k)
    index = pd.RangeIndex(k, name="cluster")
    profile: dict[str, Any] = {"customers": counts.astype(np.int64), "share": counts / counts.sum()}
    if "monetary" in features.columns and _is_numeric(features["monetary"]):
        spend = features["monetary"].to_numpy(float)
        revenue = np.bincount(labels, weights=np.nan_to_num(spend), minlength=k)
        total = revenue.sum()
        profile["revenue_share"] = revenue / total if total else np.full(k, np.nan)
    means = original[used].groupby(labels).mean().reindex(range(k))
    overall = original[used].mean()
    z = np.stack(
        [np.bincount(labels, weights=scaled[:, j], minlength=k) / counts for j in range(len(used))],
        axis=1,
    )
    for column in used:
        profile[f"mean:{column}"] = means[column].to_numpy()
    for column in used:
        base = overall[column]
        profile[f"ratio:{column}"] = means[column].to_numpy() / base if base else np.full(k, np.nan)
    for j, column in enumerate(used):
        profile[f"z:{column}"] = z[:, j]
    return pd.DataFrame(profile, index=index), overall, z


def _descriptors(z: np.ndarray, used: list[str]) -> tuple[Descriptor, ...]:
    order = np.argsort(-np.abs(z), kind="stable")
    picked = [j for j in order if abs(z[j]) >= NAME_MIN_Z][:2]
    return tuple((used[j], "high" if z[j] > 0 else "low") for j in picked)


def _projection(
    index: pd.Index, scaled: np.ndarray, labels: np.ndarray, k: int, seed: int
) -> tuple[pd.DataFrame, bool, tuple[float, float]]:
    pca = PCA(n_components=2, svd_solver="covariance_eigh", random_state=seed).fit(scaled)
    n = len(labels)
    sampled = n > PROJECTION_POINTS
    if sampled:
        # Proportional to cluster size, but every cluster keeps a few points so small
        # ones stay visible; the floors come first, the rest is shared by size.
        rng = np.random.default_rng(seed)
        counts = np.bincount(labels, minlength=k)
        floor = np.minimum(counts, min(PROJECTION_MIN_PER_CLUSTER, PROJECTION_POINTS // k))
        spare = counts - floor
        quota = floor + (PROJECTION_POINTS - floor.sum()) * spare // spare.sum()
        chosen = np.concatenate(
            [
                rng.choice(np.flatnonzero(labels == c), size=quota[c], replace=False)
                for c in range(k)
            ]
        )
        chosen.sort()
    else:
        chosen = np.arange(n)
    xy = pca.transform(scaled[chosen])
    projection = pd.DataFrame(
        {
            "customer_id": np.asarray(index)[chosen],
            "x": xy[:, 0],
            "y": xy[:, 1],
            "cluster": labels[chosen],
        }
    )
    ratio = pca.explained_variance_ratio_
    return projection, sampled, (float(ratio[0]), float(ratio[1]))


def _failed(key: str, **params: Any) -> ClusterResult:
    return ClusterResult(
        labels=pd.Series(
            [], index=pd.Index([], name="customer_id", dtype="str"), name="cluster", dtype=np.int64
        ),
        k=0,
        chosen_k=None,
        silhouette=pd.DataFrame(
            {"k": pd.Series([], dtype=np.int64), "silhouette": pd.Series([], dtype=float)}
        ),
        profiles=pd.DataFrame(index=pd.RangeIndex(0, name="cluster")),
        overall=pd.Series([], dtype=float),
        names=(),
        projection=pd.DataFrame(columns=["customer_id", "x", "y", "cluster"]),
        projection_sampled=False,
        projection_variance=(float("nan"), float("nan")),
        columns=(),
        transforms={},
        problem=problem(key, "error", **params),
    )


# --------------------------------------------------------------------------- names and labels


def descriptor_message(
    descriptor: Descriptor, form: Literal["head", "mod"] = "head"
) -> tuple[str, dict[str, str]]:
    """The i18n key and parameters of one descriptor, as a head (noun phrase) or a modifier.

    Base features: ``cluster.<feature>.<direction>[.mod]``; category shares:
    ``cluster.category_share.<direction>[.mod]`` with {category} (the "other"
    share: ``cluster.category_other...``); dates from the customers table
    (``days_since:<name>``): ``cluster.days_since.<direction>[.mod]`` with {name}
    ("high": an early date); any other column (customers-table attributes):
    ``cluster.attribute.<direction>[.mod]`` with {name}. `cluster_name` fills
    {name} with the column's label (lower-cased first letter in English).
    """
    feature, direction = descriptor
    suffix = f".{direction}" + (".mod" if form == "mod" else "")
    if feature in BASE_FEATURES:
        return f"cluster.{feature}{suffix}", {}
    if feature == f"{CATEGORY_SHARE_PREFIX}{OTHER_CATEGORY}":
        return f"{_CATEGORY_OTHER_KEY}{suffix}", {}
    if feature.startswith(CATEGORY_SHARE_PREFIX):
        return f"{_CATEGORY_KEY}{suffix}", {"category": feature.removeprefix(CATEGORY_SHARE_PREFIX)}
    if feature.startswith(DAYS_SINCE_PREFIX):
        return f"{_DAYS_SINCE_KEY}{suffix}", {"name": feature.removeprefix(DAYS_SINCE_PREFIX)}
    return f"{_ATTRIBUTE_KEY}{suffix}", {"name": feature}


def cluster_name(descriptors: tuple[Descriptor, ...], lang: str = "en") -> str:
    """A readable cluster name: the strongest descriptor as the head, the second as its modifier.

    ("frequency", "high"), ("monetary", "high") -> mod(monetary) + head(frequency):
    "High-spending frequent buyers" / "高消费高频客户". One descriptor: its head,
    first letter capitalized; none: the typical-customers name.
    """
    if not descriptors:
        return t(_NAME_TYPICAL, lang)
    head_key, head_params = descriptor_message(descriptors[0], "head")
    head = _with_label_params(head_key, head_params, lang)
    if len(descriptors) == 1:
        return head[:1].upper() + head[1:]
    mod_key, mod_params = descriptor_message(descriptors[1], "mod")
    return t(_NAME_TEMPLATE, lang, mod=_with_label_params(mod_key, mod_params, lang), head=head)


def feature_label(column: str, lang: str = "en") -> str:
    """A feature-table column's name for people (multiselects, table headers)."""
    if column in BASE_FEATURES or column in FIRST_PURCHASE_COLUMNS:
        return t(f"{_LABEL_PREFIX}{column}", lang)
    if column == f"{CATEGORY_SHARE_PREFIX}{OTHER_CATEGORY}":
        return t(_LABEL_CATEGORY_OTHER, lang)
    if column.startswith(CATEGORY_SHARE_PREFIX):
        return t(_LABEL_CATEGORY, lang, category=column.removeprefix(CATEGORY_SHARE_PREFIX))
    if column.startswith(DAYS_SINCE_PREFIX):
        return t(
            _LABEL_DAYS_SINCE, lang, name=field_label(column.removeprefix(DAYS_SINCE_PREFIX), lang)
        )
    return field_label(column.removeprefix(ATTRIBUTE_COLLISION_PREFIX), lang)


def _with_label_params(key: str, params: dict[str, str], lang: str) -> str:
    if "name" in params:
        label = feature_label(params["name"], lang)
        if lang == "en" and not label[1:2].isupper():  # mid-sentence: "high age", but "high NPS"
            label = label[:1].lower() + label[1:]
        params = {"name": label}
    return t(key, lang, **params)


# --------------------------------------------------------------------------- helpers


def _as_text(values: pd.Series) -> pd.Series:
    """Text as a categorical of strings (missing stays missing): cheap to hold and to group by."""
    if isinstance(values.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(
        values.cat.categories
    ):
        return values
    return values.astype("str").astype("category")


def _codes(values: pd.Series) -> tuple[np.ndarray, Any]:
    """Integer codes (-1: missing) and the distinct values, free for categoricals."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(np.int64), values.cat.categories
    codes, uniques = pd.factorize(values, sort=False)
    return codes.astype(np.int64), uniques


def _days(dates: pd.Series) -> np.ndarray:
    """Calendar day numbers (days since 1970-01-01); NaT stays int64 min."""
    stamps = dates.to_numpy("datetime64[ns]").view("int64")
    return np.where(stamps == np.iinfo(np.int64).min, stamps, stamps // DAY_NS)


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


# --------------------------------------------------------------------------- the page's tables


def feature_choices(features: pd.DataFrame) -> FeatureChoices:
    """The columns of a feature table that can be clustered and broken down by, and the default choice."""
    clustering = tuple(clustering_columns(features))
    return FeatureChoices(
        clustering=clustering,
        breakdown=tuple(breakdown_columns(features)),
        default=tuple(c for c in DEFAULT_CLUSTER_FEATURES if c in clustering),
    )


def cluster_labels(result: ClusterResult, lang: str = "en") -> dict[int, str]:
    """Each cluster's label in `lang`: its number (from 1) and its name ("1 · Frequent high spenders")."""
    return {c: f"{c + 1} · {cluster_name(result.names[c], lang)}" for c in range(result.k)}


def cluster_table(result: ClusterResult, lang: str = "en") -> pd.DataFrame:
    """The clusters' profiles as the page shows them, with a last row for all customers.

    Columns: cluster (label), customers, share and revenue_share (percent, 0-100),
    then each clustered feature's mean in original units (rounded to 2 decimals),
    headed by the feature's label in `lang`. The last row holds every customer and
    the overall means.
    """
    profiles = result.profiles
    names = cluster_labels(result, lang)
    means = {
        feature_label(c, lang): profiles[f"mean:{c}"].round(2).to_numpy() for c in result.columns
    }
    table = pd.DataFrame(
        {
            "cluster": [names[c] for c in profiles.index],
            "customers": profiles["customers"].to_numpy(),
            "share": profiles["share"].to_numpy() * 100,
            "revenue_share": profiles["revenue_share"].to_numpy() * 100,
            **means,
        }
    )
    overall = {
        "cluster": t("seg.all_customers", lang),
        "customers": int(profiles["customers"].sum()),
        "share": 100.0,
        "revenue_share": 100.0,
        **{feature_label(c, lang): round(float(result.overall[c]), 2) for c in result.columns},
    }
    return pd.concat([table, pd.DataFrame([overall])], ignore_index=True)


def cluster_points(result: ClusterResult, lang: str = "en") -> pd.DataFrame:
    """The projection's customers (`ClusterResult.projection`) with their cluster's label."""
    return result.projection.assign(
        label=result.projection["cluster"].map(cluster_labels(result, lang))
    )
