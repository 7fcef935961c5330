"""Cross-sell: association rules on baskets and next-best-product recommendations per customer.

Everything works on sparse basket × item and customer × item matrices (scipy.sparse):
item co-occurrence is `X.T @ X`, never a dense one-hot table, so 20k baskets of 4k
products take a second or two. The last section holds one entry point per view of the
Cross-sell page (`rules_view`, `second_order_view`, `next_best`, `holdout_check`,
`campaign_choices`, ...): each returns a frozen result with the tables ready to draw
and its readings and problems as `Problem`s.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from core.export import ExcelFit, excel_fit
from core.format import fmt_count, fmt_money, fmt_share
from core.problems import Problem, problem
from core.segmentation import SEGMENTS
from core.summary import require_columns

Level = Literal["product", "category"]
LEVELS: tuple[Level, ...] = ("product", "category")
BasketSource = Literal["order_id", "customer_day"]

# Problem keys returned as data (the page translates them).
NO_ITEMS = "crosssell.no_items"
NO_MULTI_ITEM_BASKETS = "crosssell.no_multi_item_baskets"
NO_RULES = "crosssell.no_rules"
NO_SECOND_ORDERS = "crosssell.no_second_orders"
NO_HOLDOUT_CUSTOMERS = "crosssell.no_holdout_customers"
UNKNOWN_ITEM = "crosssell.unknown_item"
NO_FLOWS = "crosssell.no_flows"
NO_PAIR_RULES = "crosssell.no_pair_rules"
NO_RECOMMENDATIONS = "crosssell.no_recommendations"
NO_CAMPAIGNS = "crosssell.whatif_no_rules"
NO_HEATMAP = "crosssell.no_multi_item_baskets"
PROBLEM_KEYS = (
    NO_ITEMS,
    NO_MULTI_ITEM_BASKETS,
    NO_RULES,
    NO_SECOND_ORDERS,
    NO_HOLDOUT_CUSTOMERS,
    UNKNOWN_ITEM,
    NO_FLOWS,
    NO_PAIR_RULES,
    NO_RECOMMENDATIONS,
    NO_CAMPAIGNS,
)

# The page's settings and limits (texts that name one get it as a parameter).
SUPPORT_STEPS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05)
DEFAULT_MIN_SUPPORT = 0.002
DEFAULT_MIN_CONFIDENCE = 0.2
MIN_RULE_BASKETS = 3  # a "rule" seen in one or two baskets is noise, whatever its lift
MIN_PAIR_GAIN = 0.05  # a two-item rule must add 5 confidence points to be worth reading
MIN_FLOW_CUSTOMERS = 5  # first-order item → second-order item needs this many customers
HOLDOUT_TOP_N = 5
HOLDOUT_SHARE_AFTER = 0.2  # the default cut-off leaves this share of baskets after it
MAX_TOP_N = 10  # suggestions per customer the page offers (ranked once, shown 1..10)
DEFAULT_RESPONSE = 0.25  # the What-if's starting guess of the campaign response
MAX_TABLE_RULES = 1000  # rules in the page's table (the download has all)
MAX_MAP_RULES = 300  # rules in the rules map
TABLE_ROWS = 1000  # customers in the next-best table (the downloads have all)
CHART_ROWS = 12  # bars in the second-order and most-suggested charts
READING_RULES = 5
READING_PAIR_RULES = 3
READING_FLOWS = 6
RANKED_CAMPAIGNS = 10

# Up to this many items, scoring uses a dense copy of the item × item similarity.
DENSE_SIMILARITY_ITEMS = 5000

RULE_COLUMNS = [
    "antecedent",
    "consequent",
    "baskets",
    "support",
    "confidence",
    "lift",
    "conviction",
    "antecedent_support",
    "consequent_support",
]


def item_names(transactions: pd.DataFrame, level: Level) -> list[str]:
    """The distinct items at `level`, most frequent lines first (for a pick list)."""
    if level not in transactions.columns:
        return []
    return [str(v) for v in transactions[level].value_counts(sort=True).index]


def item_levels(transactions: pd.DataFrame) -> list[Level]:
    """The levels the data allows: "product" and/or "category" (columns with at least one value)."""
    return [
        level
        for level in LEVELS
        if level in transactions.columns and transactions[level].notna().any()
    ]


@dataclass(frozen=True)
class BasketData:
    """Baskets (orders) as a sparse basket × item matrix, with who bought each basket and when.

    `matrix[b, i]` is 1 when basket b holds item i. Baskets are in the order of
    `basket_customer`/`basket_date`; `customers` and `items` name the codes.
    `item_revenue` is the amount spent on each item (all baskets). `problem` says why
    the data cannot give baskets of items (then the matrix is empty).
    """

    level: Level | None
    matrix: sp.csr_matrix
    items: pd.Index
    basket_customer: np.ndarray
    basket_date: np.ndarray
    customers: pd.Index
    item_revenue: np.ndarray
    source: BasketSource
    problem: Problem | None = None

    @property
    def n_baskets(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def n_items(self) -> int:
        return int(self.matrix.shape[1])

    def item_baskets(self) -> np.ndarray:
        """Number of baskets holding each item."""
        return np.asarray(self.matrix.sum(axis=0)).ravel().astype(np.int64)

    def basket_sizes(self) -> np.ndarray:
        """Distinct items per basket."""
        return np.diff(self.matrix.indptr)

    def average_price(self) -> np.ndarray:
        """Mean amount spent on each item in a basket that holds it (NaN if never bought)."""
        counts = self.item_baskets()
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, self.item_revenue / counts, np.nan)

    def before(self, cutoff: pd.Timestamp) -> BasketData:
        """Only the baskets bought before `cutoff` (items and customers keep their codes)."""
        keep = self.basket_date < np.datetime64(pd.Timestamp(cutoff), "ns")
        matrix = self.matrix[keep]
        # Revenue per item covers later baskets too: blank it, so nothing after the
        # cut-off survives in the result (fitting does not use it).
        return replace(
            self,
            matrix=matrix,
            basket_customer=self.basket_customer[keep],
            basket_date=self.basket_date[keep],
            item_revenue=np.zeros(self.n_items),
        )


def build_baskets(
    transactions: pd.DataFrame, level: Level, leave_out: tuple[str, ...] = ()
) -> BasketData:
    """Group order lines into baskets of distinct items at `level` ("product" or "category").

    A basket is a customer's order: the `order_id` when the data has one, otherwise
    (and for lines whose order id is missing) everything a customer bought on one
    calendar day. Lines without an item are left out of the matrix (their basket may
    still exist with the other lines), and so are the items named in `leave_out`
    (postage, fees, gift wrap: lines that are not products). Returns a BasketData whose
    problem is "crosssell.no_items" when the data has no column for `level` (or it is empty).

    Required columns: customer_id, order_date, amount; optional: order_id, product, category.
    """
    require_columns(transactions, ("customer_id", "order_date", "amount"))
    if level not in item_levels(transactions):
        return _empty_baskets(level)
    customer = transactions["customer_id"]
    if isinstance(customer.dtype, pd.CategoricalDtype):
        customer_codes = customer.cat.codes.to_numpy(np.int64)
        customers = pd.Index(customer.cat.categories.astype(str), dtype="str")
    else:
        customer_codes, uniques = pd.factorize(customer, sort=False)
        customers = pd.Index(np.asarray(uniques).astype(str), dtype="str")
    stamps = transactions["order_date"].to_numpy("datetime64[ns]")
    if "order_id" in transactions.columns:
        order = transactions["order_id"]
        has_order = order.notna().to_numpy() & (order.astype(str).str.strip() != "").to_numpy()
        source: BasketSource = "order_id" if has_order.any() else "customer_day"
    else:
        has_order = np.zeros(len(transactions), dtype=bool)
        source = "customer_day"
    valid_customer = customer_codes >= 0
    basket_codes = _basket_codes(
        customer_codes, stamps, has_order, transactions["order_id"] if has_order.any() else None
    )
    n_baskets = int(basket_codes.max(initial=-1)) + 1
    rows = np.full(len(transactions), -1, dtype=np.int64)
    rows[valid_customer] = basket_codes

    basket_customer = np.zeros(n_baskets, dtype=np.int64)
    basket_customer[rows[valid_customer]] = customer_codes[valid_customer]
    basket_date = np.full(n_baskets, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(basket_date, rows[valid_customer], stamps[valid_customer].view("i8"))

    values = transactions[level]
    if isinstance(values.dtype, pd.CategoricalDtype):
        item_codes = values.cat.codes.to_numpy(np.int64)
        names = np.asarray(values.cat.categories).astype(str)
    else:
        item_codes, uniques = pd.factorize(values, sort=False)
        names = np.asarray(uniques).astype(str)
    if leave_out:
        dropped = np.flatnonzero(np.isin(names, np.asarray(leave_out, dtype=str)))
        item_codes = np.where(np.isin(item_codes, dropped), -1, item_codes)
    line_ok = valid_customer & (item_codes >= 0)
    # Items that appear in no line (unused categories) are dropped from the matrix;
    # the others keep their order (np.unique's, by counting instead of sorting).
    present = np.flatnonzero(np.bincount(item_codes[line_ok], minlength=len(names)))
    dense = np.full(len(names), -1, dtype=np.int64)
    dense[present] = np.arange(len(present))
    item_dense = dense[item_codes[line_ok]]
    items = pd.Index(names[present], dtype="str", name=level)
    amount = transactions["amount"].to_numpy(float)[line_ok]
    item_revenue = np.bincount(
        item_dense, weights=np.nan_to_num(amount), minlength=len(items)
    ).astype(float)
    matrix = sp.csr_matrix(
        (np.ones(int(line_ok.sum()), dtype=np.float32), (rows[line_ok], item_dense)),
        shape=(n_baskets, len(items)),
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return BasketData(
        level=level,
        matrix=matrix,
        items=items,
        basket_customer=basket_customer,
        basket_date=basket_date.view("datetime64[ns]"),
        customers=customers,
        item_revenue=item_revenue,
        source=source,
    )


def _basket_codes(
    customer_codes: np.ndarray,
    stamps: np.ndarray,
    has_order: np.ndarray,
    order_id: pd.Series | None,
) -> np.ndarray:
    """A basket number for each line with a customer, numbered in order of first appearance.

    A basket is one (customer, order id) or, for lines without an order id, one
    (customer, calendar day). Both parts are small integers, so the pair is one int64
    (customer × number of order-or-day codes + that code) and a single integer
    factorize numbers the baskets: 2.5 s → 0.3 s on a million lines against
    factorizing a MultiIndex of the three columns (same numbering, tested).
    """
    valid = customer_codes >= 0
    day = stamps.astype("datetime64[D]").view("i8")
    sub = np.zeros(len(customer_codes), dtype=np.int64)
    n_orders = 0
    if order_id is not None:
        # The whole column at once: selecting the lines first costs as much again.
        order_codes, uniques = pd.factorize(order_id)
        sub[has_order] = order_codes[has_order]
        n_orders = len(uniques)
    no_order = ~has_order & valid
    day_codes, days = pd.factorize(day[no_order])
    sub[no_order] = n_orders + day_codes
    width = max(n_orders + len(days), 1)
    key = customer_codes[valid].astype(np.int64) * width + sub[valid]
    codes, _ = pd.factorize(key, sort=False)
    return codes.astype(np.int64)


def _empty_baskets(level: Level | None) -> BasketData:
    return BasketData(
        level=level,
        matrix=sp.csr_matrix((0, 0), dtype=np.float32),
        items=pd.Index([], dtype="str"),
        basket_customer=np.zeros(0, dtype=np.int64),
        basket_date=np.zeros(0, dtype="datetime64[ns]"),
        customers=pd.Index([], dtype="str"),
        item_revenue=np.zeros(0),
        source="customer_day",
        problem=problem(NO_ITEMS, "warning"),
    )


# --- Association rules -------------------------------------------------------------------


@dataclass(frozen=True)
class RulesResult:
    """Rules X → Y with one item on each side; `problem` says why there are none."""

    rules: pd.DataFrame
    n_baskets: int
    n_multi_item_baskets: int
    problem: Problem | None = None


def item_pairs(baskets: BasketData, min_baskets: int = 1) -> sp.coo_matrix:
    """Baskets holding both items, for each pair of different items (X.T @ X off its diagonal).

    Only pairs in at least `min_baskets` baskets are kept. Both orders of a pair are
    there (the matrix is symmetric). Counting is the costly part of the rules (0.4 s
    for 18k baskets of 4k products); the page counts once per baskets and filters
    again for each threshold.
    """
    x = baskets.matrix.astype(np.int32)
    pairs = (x.T @ x).tocoo()
    keep = (pairs.row != pairs.col) & (pairs.data >= min_baskets)
    return sp.coo_matrix((pairs.data[keep], (pairs.row[keep], pairs.col[keep])), shape=pairs.shape)


def association_rules(
    baskets: BasketData,
    min_support: float = 0.001,
    min_confidence: float = 0.1,
    min_baskets: int = 1,
    min_lift: float = 0.0,
    pairs: sp.coo_matrix | None = None,
) -> RulesResult:
    """Single-item association rules X → Y from the basket × item matrix (Agrawal et al. 1993).

    With N baskets, n(X) baskets holding X and n(X,Y) holding both:

    - support = n(X,Y) / N: share of all baskets holding both;
    - confidence = n(X,Y) / n(X): share of X's baskets that also hold Y, P(Y | X);
    - lift = confidence / (n(Y) / N): how many times more often Y is bought with X
      than in an average basket (1 = independent);
    - conviction = (1 - support(Y)) / (1 - confidence) (Brin et al. 1997): how much more
      often "X without Y" would occur if they were independent; infinite when confidence is 1.

    Pair counts come from the sparse product X.T @ X (`pairs`: `item_pairs(baskets, m)`
    counted before, with m <= min_baskets). Rules need support >= min_support,
    confidence >= min_confidence and at least `min_baskets` baskets with both items.
    `min_lift` = 1 keeps only items bought together more often than chance (a rule with
    lift below 1 is a negative association, however high its confidence).
    Returns the rules sorted by lift (then support), with columns RULE_COLUMNS.
    Problems (severity "warning"): "crosssell.no_items", "crosssell.no_multi_item_baskets"
    (no basket holds two different items), "crosssell.no_rules" (none passes the thresholds).
    """
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in RULE_COLUMNS}).astype(
        {"antecedent": "str", "consequent": "str", "baskets": "int64"}
    )
    if baskets.problem:
        return RulesResult(empty, baskets.n_baskets, 0, baskets.problem)
    n = baskets.n_baskets
    multi = int((baskets.basket_sizes() >= 2).sum())
    if multi == 0:
        return RulesResult(empty, n, 0, problem(NO_MULTI_ITEM_BASKETS, "warning"))
    counts = baskets.item_baskets()
    pairs = pairs if pairs is not None else item_pairs(baskets)
    # Only pairs in enough baskets can pass: keep those before computing anything (a
    # superset of what passes; the exact tests follow).
    enough = pairs.data >= max(min_baskets, math.floor((min_support - 1e-12) * n))
    a, b, both = pairs.row[enough], pairs.col[enough], pairs.data[enough]
    support = both / n
    confidence = both / counts[a]
    keep = (support >= min_support - 1e-12) & (confidence >= min_confidence - 1e-12)
    keep &= both >= min_baskets
    a, b, both, support, confidence = a[keep], b[keep], both[keep], support[keep], confidence[keep]
    support_b = counts[b] / n
    lift = confidence / support_b
    if min_lift > 0:
        positive = lift > min_lift - 1e-12 if min_lift != 1 else lift > 1 + 1e-12
        a, b, both, support, confidence = (
            a[positive],
            b[positive],
            both[positive],
            support[positive],
            confidence[positive],
        )
        support_b, lift = support_b[positive], lift[positive]
    with np.errstate(divide="ignore"):
        conviction = np.where(
            confidence < 1, (1 - support_b) / np.maximum(1 - confidence, 1e-300), np.inf
        )
    names = np.asarray(baskets.items)
    rules = pd.DataFrame(
        {
            "antecedent": pd.array(names[a], dtype="str"),
            "consequent": pd.array(names[b], dtype="str"),
            "baskets": both.astype(np.int64),
            "support": support,
            "confidence": confidence,
            "lift": lift,
            "conviction": conviction,
            "antecedent_support": counts[a] / n,
            "consequent_support": support_b,
        }
    )
    rules = rules.sort_values(
        ["lift", "support", "antecedent", "consequent"],
        ascending=[False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)
    return RulesResult(rules, n, multi, None if len(rules) else problem(NO_RULES, "warning"))


PAIR_JOIN = " + "


def pair_rules(
    baskets: BasketData,
    min_support: float = 0.001,
    min_confidence: float = 0.1,
    min_baskets: int = 1,
    max_pairs: int = 2000,
) -> pd.DataFrame:
    """Rules {X1, X2} → Y with two items in the basket already (same measures as single rules).

    Only pairs of items that pass the support threshold together can start such a rule;
    the `max_pairs` most common of them are used (triple counts are a sparse product of
    the pair × basket indicator with the basket × item matrix, chunk by chunk). Y is
    neither X1 nor X2. Columns as RULE_COLUMNS, antecedent "X1 + X2" (X1 < X2), plus
    gain: the rule's confidence minus the better confidence of X1 → Y and X2 → Y (what
    knowing both items adds). Sorted by lift.
    """
    columns = [*RULE_COLUMNS, "gain"]
    empty = pd.DataFrame({c: pd.Series(dtype=float) for c in columns}).astype(
        {"antecedent": "str", "consequent": "str", "baskets": "int64"}
    )
    if baskets.problem or baskets.n_baskets == 0:
        return empty
    n = baskets.n_baskets
    x = baskets.matrix.astype(np.int32).tocsc()
    counts = baskets.item_baskets()
    pairs = sp.triu(x.T @ x, k=1).tocoo()
    needed = max(min_support * n - 1e-9, min_baskets)
    frequent = pairs.data >= needed
    first, second, pair_count = pairs.row[frequent], pairs.col[frequent], pairs.data[frequent]
    if len(pair_count) == 0:
        return empty
    top = np.argsort(-pair_count, kind="stable")[:max_pairs]
    first, second, pair_count = first[top], second[top], pair_count[top]
    single = (x.T @ x).tocsr()  # single-item pair counts, for the gain
    names = np.asarray(baskets.items)
    frames = []
    for start in range(0, len(first), 500):
        a, b = first[start : start + 500], second[start : start + 500]
        holds_both = x[:, a].multiply(x[:, b]).tocsc()  # basket × pair
        triples = (holds_both.T @ x).tocoo()  # pair × item
        p, y, both = triples.row, triples.col, triples.data
        other = (y != a[p]) & (y != b[p])
        p, y, both = p[other], y[other], both[other]
        confidence = both / pair_count[start + p]
        keep = (both / n >= min_support - 1e-12) & (confidence >= min_confidence - 1e-12)
        keep &= both >= min_baskets
        p, y, both, confidence = p[keep], y[keep], both[keep], confidence[keep]
        support_y = counts[y] / n
        best_single = np.maximum(
            np.asarray(single[a[p], y]).ravel() / counts[a[p]],
            np.asarray(single[b[p], y]).ravel() / counts[b[p]],
        )
        with np.errstate(divide="ignore"):
            conviction = np.where(
                confidence < 1, (1 - support_y) / np.maximum(1 - confidence, 1e-300), np.inf
            )
        low = np.minimum(names[a[p]], names[b[p]])
        high = np.maximum(names[a[p]], names[b[p]])
        frames.append(
            pd.DataFrame(
                {
                    "antecedent": pd.array(
                        np.char.add(np.char.add(low.astype(str), PAIR_JOIN), high.astype(str)),
                        dtype="str",
                    ),
                    "consequent": pd.array(names[y], dtype="str"),
                    "baskets": both.astype(np.int64),
                    "support": both / n,
                    "confidence": confidence,
                    "lift": confidence / support_y,
                    "conviction": conviction,
                    "antecedent_support": pair_count[start + p] / n,
                    "consequent_support": support_y,
                    "gain": confidence - best_single,
                }
            )
        )
    rules = pd.concat(frames, ignore_index=True) if frames else empty
    if rules.empty:
        return empty
    return rules.sort_values(
        ["lift", "support", "antecedent", "consequent"],
        ascending=[False, False, True, True],
        kind="stable",
    ).reset_index(drop=True)


def rules_with_item(rules: pd.DataFrame, item: str | None) -> pd.DataFrame:
    """The rules in which `item` is the antecedent or the consequent (all rules for None)."""
    if not item:
        return rules
    return rules[(rules["antecedent"] == item) | (rules["consequent"] == item)]


def strongest_pairs(rules: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """One rule per pair of items (the direction with the higher confidence), by lift.

    X → Y and Y → X share support and lift; for a reading, one sentence per pair is enough.
    """
    if rules.empty:
        return rules
    low = rules[["antecedent", "consequent"]].min(axis=1)
    high = rules[["antecedent", "consequent"]].max(axis=1)
    best = (
        rules.assign(_low=low, _high=high)
        .sort_values(["confidence", "antecedent"], ascending=[False, True], kind="stable")
        .drop_duplicates(["_low", "_high"])
        .drop(columns=["_low", "_high"])
    )
    return best.sort_values(["lift", "support"], ascending=False, kind="stable").head(n)


def rule_items(rules: pd.DataFrame, top: int = 15) -> list[str]:
    """Up to `top` items of the strongest rules (by lift), each once, in order of appearance."""
    pairs = strongest_pairs(rules, len(rules))
    ordered = pd.unique(pairs[["antecedent", "consequent"]].to_numpy().ravel())
    return [str(item) for item in ordered[:top]]


def cooccurrence_top(
    baskets: BasketData, top: int = 15, items: list[str] | None = None
) -> pd.DataFrame:
    """Pairs among the `top` items by baskets (or among `items`): a tidy table for a heatmap.

    One row per ordered pair (row item, column item), row != column: row, column,
    baskets (holding both), confidence (share of the row item's baskets that also
    hold the column item), lift, and rank_row/rank_col (the items' order: popularity,
    or the order of `items`).
    """
    if baskets.problem or baskets.n_items == 0:
        return pd.DataFrame(
            columns=["row", "column", "baskets", "confidence", "lift", "rank_row", "rank_col"]
        )
    counts = baskets.item_baskets()
    if items is not None:
        order = baskets.items.get_indexer(pd.Index(items, dtype="str"))
        order = order[order >= 0]
    else:
        order = np.argsort(-counts, kind="stable")[: min(top, baskets.n_items)]
    x = baskets.matrix[:, order].astype(np.int32)
    pairs = np.asarray((x.T @ x).todense())
    n = baskets.n_baskets
    k = len(order)
    row, col = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    row, col = row.ravel(), col.ravel()
    off = row != col
    row, col = row[off], col[off]
    both = pairs[row, col]
    confidence = both / counts[order][row]
    names = np.asarray(baskets.items)[order]
    return pd.DataFrame(
        {
            "row": names[row],
            "column": names[col],
            "baskets": both.astype(np.int64),
            "confidence": confidence,
            "lift": confidence / (counts[order][col] / n),
            "rank_row": row,
            "rank_col": col,
        }
    )


# --- What customers buy in their second order --------------------------------------------


@dataclass(frozen=True)
class SecondOrders:
    """What customers' second orders hold, and how it depends on their first order.

    `items`: item, customers (whose second order holds it), share (of customers with a
    second order). `flows`: first_item, second_item, customers (first order held
    first_item and second order held second_item), first_customers (first order held
    first_item), share (customers / first_customers), share_others (the same share
    among customers whose first order did not hold first_item), lift (share / share_others).
    """

    items: pd.DataFrame
    flows: pd.DataFrame
    n_customers: int
    problem: Problem | None = None


def second_orders(
    first: BasketData, second: BasketData | None = None, min_customers: int = MIN_FLOW_CUSTOMERS
) -> SecondOrders:
    """First-order items (at `first`'s level) against second-order items (at `second`'s level).

    Both BasketData must come from the same transactions (same baskets, e.g. the
    category and the product level). A customer's first and second baskets are the
    earliest two by date (ties by order of appearance). Flows need at least
    `min_customers` customers. Problem "crosssell.no_second_orders" when nobody
    has two baskets.
    """
    second = second if second is not None else first
    empty_items = pd.DataFrame(columns=["item", "customers", "share"])
    empty_flows = pd.DataFrame(
        columns=[
            "first_item",
            "second_item",
            "customers",
            "first_customers",
            "share",
            "share_others",
            "lift",
        ]
    )
    if first.problem or second.problem:
        return SecondOrders(empty_items, empty_flows, 0, first.problem or second.problem)
    if first.n_baskets != second.n_baskets:
        raise ValueError("first and second must hold the same baskets")
    order = np.lexsort((np.arange(first.n_baskets), first.basket_date, first.basket_customer))
    customer_sorted = first.basket_customer[order]
    starts = np.r_[True, customer_sorted[1:] != customer_sorted[:-1]]
    position = np.arange(len(order)) - np.maximum.accumulate(
        np.where(starts, np.arange(len(order)), 0)
    )
    first_baskets = order[position == 0]
    second_baskets = order[position == 1]
    n = len(second_baskets)
    if n == 0:
        return SecondOrders(empty_items, empty_flows, 0, problem(NO_SECOND_ORDERS, "info"))
    # Customers with a second order, in the same row order on both sides.
    has_second = np.isin(
        first.basket_customer[first_baskets], first.basket_customer[second_baskets]
    )
    first_rows = first_baskets[has_second]
    first_rows = first_rows[np.argsort(first.basket_customer[first_rows], kind="stable")]
    second_rows = second_baskets[np.argsort(first.basket_customer[second_baskets], kind="stable")]
    f = first.matrix[first_rows].astype(np.int32)
    s = second.matrix[second_rows].astype(np.int32)
    n_second = np.asarray(s.sum(axis=0)).ravel()
    items = pd.DataFrame(
        {"item": np.asarray(second.items), "customers": n_second, "share": n_second / n}
    )
    items = items[items["customers"] > 0].sort_values(
        ["customers", "item"], ascending=[False, True], kind="stable"
    )
    n_first = np.asarray(f.sum(axis=0)).ravel()
    joint = (f.T @ s).tocoo()
    keep = joint.data >= min_customers
    a, b, both = joint.row[keep], joint.col[keep], joint.data[keep]
    share = both / n_first[a]
    others = n - n_first[a]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_others = np.where(others > 0, (n_second[b] - both) / np.maximum(others, 1), np.nan)
        lift = np.where(share_others > 0, share / share_others, np.inf)
    if first.level == second.level:
        # Buying the same item again is a repurchase, not a cross-sell.
        different = np.asarray(first.items)[a] != np.asarray(second.items)[b]
        a, b, both, share = a[different], b[different], both[different], share[different]
        share_others, lift = share_others[different], lift[different]
    flows = pd.DataFrame(
        {
            "first_item": np.asarray(first.items)[a],
            "second_item": np.asarray(second.items)[b],
            "customers": both.astype(np.int64),
            "first_customers": n_first[a].astype(np.int64),
            "share": share,
            "share_others": share_others,
            "lift": lift,
        }
    ).sort_values(["lift", "customers"], ascending=[False, False], kind="stable")
    return SecondOrders(items.reset_index(drop=True), flows.reset_index(drop=True), n)


def strongest_flows(flows: pd.DataFrame, per_first_item: int = 1) -> pd.DataFrame:
    """For each first-order item, the second-order item(s) it adds most customers to.

    Ranked by extra_customers = (share - share_others) × first_customers: how many more
    of these customers bought the second item than if they had bought like the others.
    That weighs strength and reach together, so a big lift on a handful of customers
    does not beat a clear pattern among many. Flows that add no customers are left
    out. Output sorted by extra_customers.
    """
    if flows.empty:
        return flows.assign(extra_customers=pd.Series(dtype=float))
    ranked = flows.assign(
        extra_customers=(flows["share"] - flows["share_others"].fillna(0))
        * flows["first_customers"]
    )
    ranked = ranked[ranked["extra_customers"] > 0]
    return (
        ranked.sort_values(["extra_customers", "lift"], ascending=[False, False], kind="stable")
        .groupby("first_item", sort=False)
        .head(per_first_item)
        .reset_index(drop=True)
    )


# --- Next best product --------------------------------------------------------------------


@dataclass(frozen=True)
class Recommender:
    """Item-to-item recommender fitted on a customer × item purchase matrix.

    `owned[c, i]` = 1 when customer c bought item i; `similarity[i, j]` how strongly
    buying i goes with buying j; `popularity[i]` customers who bought i.
    """

    customers: pd.Index
    items: pd.Index
    owned: sp.csr_matrix
    similarity: sp.csr_matrix
    popularity: np.ndarray


def customer_items(baskets: BasketData) -> sp.csr_matrix:
    """Customer × item matrix: 1 when the customer ever bought the item (in these baskets)."""
    owned = sp.csr_matrix(
        (
            np.ones(baskets.matrix.nnz, dtype=np.float32),
            (
                np.repeat(baskets.basket_customer, baskets.basket_sizes()),
                baskets.matrix.indices,
            ),
        ),
        shape=(len(baskets.customers), baskets.n_items),
    )
    owned.sum_duplicates()
    owned.data[:] = 1.0
    return owned


def fit_recommender(baskets: BasketData, alpha: float = 0.5) -> Recommender:
    """Item-to-item similarity from customers who bought both items (Linden, Smith & York 2003).

    similarity(i, j) = n(i, j) / (n(i)^alpha * n(j)^(1 - alpha)), where n(i, j) counts
    customers who bought both. alpha = 0.5 is the cosine similarity; alpha = 1 is
    P(j | i), which favours popular items. The diagonal is zero.
    """
    owned = customer_items(baskets)
    popularity = np.asarray(owned.sum(axis=0)).ravel()
    similarity = sp.csr_matrix(owned.T.tocsr() @ owned, dtype=np.float32)
    rows = np.repeat(np.arange(baskets.n_items), np.diff(similarity.indptr))
    cols = similarity.indices
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = similarity.data / (popularity[rows] ** alpha * popularity[cols] ** (1 - alpha))
    similarity.data = np.where(rows == cols, 0, weight).astype(np.float32)
    similarity.eliminate_zeros()
    return Recommender(baskets.customers, baskets.items, owned, similarity, popularity)


def _top_n(scores: np.ndarray, top_n: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values of the top_n scores per row, best first (-inf never wins a place).

    The order is total: higher score first, then the lower item index. So the top 3 is
    always the start of the top 5, and the page can rank every customer's top 10 once
    and show any shorter list from it.
    """
    k = min(top_n, scores.shape[1])
    if k == 0:
        return np.zeros((scores.shape[0], 0), dtype=np.int64), np.zeros((scores.shape[0], 0))
    n = scores.shape[1]
    part = np.argpartition(scores, n - k, axis=1)[:, n - k :]
    values = np.take_along_axis(scores, part, axis=1)
    # Where items tied with the k-th best score were left out, the places go to the
    # lowest item indices instead of wherever the partition put them.
    kth = values.min(axis=1, keepdims=True)
    tied_out = np.flatnonzero((scores == kth).sum(axis=1) > (values == kth).sum(axis=1))
    if len(tied_out):
        rows, limit = scores[tied_out], kth[tied_out]
        above, tied = rows > limit, rows == limit
        places = k - above.sum(axis=1, keepdims=True)
        chosen = above | (tied & (np.cumsum(tied, axis=1) <= places))
        part[tied_out] = np.nonzero(chosen)[1].reshape(len(tied_out), k)
        values[tied_out] = np.take_along_axis(rows, part[tied_out], axis=1)
    order = np.lexsort((part, -values), axis=1)
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(values, order, axis=1)


def _ranked(
    model: Recommender,
    customer_rows: np.ndarray,
    top_n: int,
    popular_only: bool = False,
    chunk: int = 2048,
) -> tuple[np.ndarray, np.ndarray]:
    """Top items per customer row, never an item they own nor one nobody bought."""
    n_items = len(model.items)
    # Popularity breaks ties (and fills in for customers whose items co-occur with nothing).
    tie_break = (model.popularity / max(model.popularity.max(initial=0), 1) * 1e-6).astype(
        np.float64
    )
    never_bought = model.popularity == 0
    # Sparse × dense is several times faster than sparse × sparse when the scores fill
    # most of the customer × item block anyway; a dense copy is 64 MB at 4,000 items.
    similarity = (
        model.similarity.toarray()
        if n_items <= DENSE_SIMILARITY_ITEMS and not popular_only
        else model.similarity
    )
    picks, values = [], []
    for start in range(0, len(customer_rows), chunk):
        rows = customer_rows[start : start + chunk]
        owned = model.owned[rows]
        if popular_only:
            scores = np.zeros((len(rows), n_items))
        else:
            product = owned @ similarity
            scores = np.asarray(
                product.todense() if sp.issparse(product) else product, dtype=np.float64
            )
        scores += tie_break
        scores[:, never_bought] = -np.inf
        owned_coo = owned.tocoo()
        scores[owned_coo.row, owned_coo.col] = -np.inf
        idx, val = _top_n(scores, top_n)
        picks.append(idx)
        values.append(val)
    if not picks:
        return np.zeros((0, top_n), dtype=np.int64), np.zeros((0, top_n))
    return np.vstack(picks), np.vstack(values)


def recommend(
    model: Recommender,
    top_n: int = 5,
    customers: pd.Index | list[str] | None = None,
    popular_only: bool = False,
) -> pd.DataFrame:
    """Next best items per customer, best first, never an item the customer already bought.

    Score of item j for a customer = sum of similarity(i, j) over the items i they bought
    (item-to-item collaborative filtering). `popular_only` ranks by popularity instead
    (the baseline). Returns a long table: customer_id, rank (1 = best), item, score;
    customers with nothing left to recommend get fewer rows. `customers` restricts the
    output (default: every customer with a purchase).
    """
    if customers is None:
        rows = np.flatnonzero(np.diff(model.owned.indptr) > 0)
    else:
        rows = model.customers.get_indexer(pd.Index(customers, dtype="str"))
        rows = rows[rows >= 0]
    picks, values = _ranked(model, rows, top_n, popular_only)
    k = picks.shape[1]
    found = np.isfinite(values.ravel())
    # Names are taken from Arrow string arrays by position (no Python string per row).
    customers = pd.array(model.customers, dtype="str")
    items = pd.array(model.items, dtype="str")
    return pd.DataFrame(
        {
            "customer_id": customers.take(np.repeat(rows, k)[found]),
            "rank": np.tile(np.arange(1, k + 1), len(rows))[found],
            "item": items.take(picks.ravel()[found]),
            "score": values.ravel()[found],
        }
    )


def recommendation_reasons(model: Recommender, recommendations: pd.DataFrame) -> pd.Series:
    """For each recommendation, the item the customer bought that it goes with most.

    The bought item i with the highest similarity(i, recommended item); missing when
    nothing the customer bought is linked to it (then popularity ranked it). Aligned
    with `recommendations` (customer_id, item).
    """
    reasons = pd.Series(pd.NA, index=recommendations.index, dtype="str")
    if recommendations.empty:
        return reasons
    rows = model.customers.get_indexer(pd.Index(recommendations["customer_id"], dtype="str"))
    items = model.items.get_indexer(pd.Index(recommendations["item"], dtype="str"))
    owned = model.owned[rows]
    counts = np.diff(owned.indptr)
    pair_rec = np.repeat(np.arange(len(rows)), counts)
    pair_owned = owned.indices
    similarity = (
        model.similarity.toarray()
        if len(model.items) <= DENSE_SIMILARITY_ITEMS
        else model.similarity
    )
    strength = np.asarray(similarity[pair_owned, items[pair_rec]]).ravel()
    linked = strength > 0
    if not linked.any():
        return reasons
    rec, bought, strength = pair_rec[linked], pair_owned[linked], strength[linked]
    # For each recommendation, the strongest link (the first bought item among equals).
    order = np.lexsort((-strength, rec))
    rec, bought = rec[order], bought[order]
    first = np.r_[True, rec[1:] != rec[:-1]]
    reasons.iloc[rec[first]] = np.asarray(model.items)[bought[first]]
    return reasons


def recommendation_table(
    recommendations: pd.DataFrame, model: Recommender | None = None
) -> pd.DataFrame:
    """The long recommendations as one row per customer: customer_id, item_1 .. item_N.

    With the fitted `model`, a column reason_1 follows item_1: the bought item that the
    first suggestion goes with most (see `recommendation_reasons`).
    """
    if recommendations.empty:
        return pd.DataFrame(columns=["customer_id"])
    wide = recommendations.pivot(index="customer_id", columns="rank", values="item")
    wide.columns = [f"item_{r}" for r in wide.columns]
    if model is not None:
        first = recommendations[recommendations["rank"] == 1]
        reasons = recommendation_reasons(model, first)
        wide.insert(1, "reason_1", pd.Series(reasons.to_numpy(), index=first["customer_id"]))
    return wide.reset_index()


# --- Holdout check ------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldoutResult:
    """Hit rate at top-N of the recommender and of the popularity baseline on later purchases.

    A customer counts when they bought before the cut-off and their first order on or
    after it holds at least one item they had not bought before (what there was to
    predict). A hit: the top-N holds one of those new items.
    """

    cutoff: pd.Timestamp
    top_n: int
    customers: int
    hit_rate: float
    baseline_hit_rate: float
    hits: int
    baseline_hits: int
    train_baskets: int
    problem: Problem | None = None


def default_cutoff(baskets: BasketData, share_after: float = HOLDOUT_SHARE_AFTER) -> pd.Timestamp:
    """A cut-off day that leaves about `share_after` of the baskets after it."""
    if baskets.n_baskets == 0:
        return pd.Timestamp("1970-01-01")
    stamp = np.quantile(baskets.basket_date.view("i8"), 1 - share_after)
    return pd.Timestamp(int(stamp)).normalize()


def holdout_evaluation(
    baskets: BasketData, cutoff: pd.Timestamp | str, top_n: int = HOLDOUT_TOP_N, alpha: float = 0.5
) -> HoldoutResult:
    """Fit on baskets before `cutoff`, check the top-N against each customer's next order.

    The model and the baseline (most popular items the customer does not own) see only
    baskets dated before the cut-off; the later baskets serve only as the answer key.
    Problem "crosssell.no_holdout_customers" when nobody bought both before and after.
    """
    cutoff = pd.Timestamp(cutoff)
    train = baskets.before(cutoff)
    after = baskets.basket_date >= np.datetime64(cutoff, "ns")
    idx = np.flatnonzero(after)
    result = HoldoutResult(cutoff, top_n, 0, float("nan"), float("nan"), 0, 0, train.n_baskets)
    if baskets.problem or train.n_baskets == 0 or len(idx) == 0:
        return replace(result, problem=baskets.problem or problem(NO_HOLDOUT_CUSTOMERS, "info"))
    # The next order of each customer: their earliest basket on or after the cut-off.
    order = idx[np.lexsort((idx, baskets.basket_date[idx], baskets.basket_customer[idx]))]
    cust = baskets.basket_customer[order]
    first_after = order[np.r_[True, cust[1:] != cust[:-1]]]
    model = fit_recommender(train, alpha)
    known = np.diff(model.owned.indptr) > 0
    first_after = first_after[known[baskets.basket_customer[first_after]]]
    rows = baskets.basket_customer[first_after]
    truth = baskets.matrix[first_after].astype(bool).astype(np.int8)
    owned = model.owned[rows].astype(bool).astype(np.int8)
    new_items = truth - truth.multiply(owned)
    new_items.eliminate_zeros()
    has_new = np.diff(new_items.indptr) > 0
    rows, new_items = rows[has_new], new_items[has_new]
    if len(rows) == 0:
        return replace(result, problem=problem(NO_HOLDOUT_CUSTOMERS, "info"))
    hits = _hits(model, rows, new_items, top_n, popular_only=False)
    baseline = _hits(model, rows, new_items, top_n, popular_only=True)
    return replace(
        result,
        customers=len(rows),
        hits=int(hits.sum()),
        baseline_hits=int(baseline.sum()),
        hit_rate=float(hits.mean()),
        baseline_hit_rate=float(baseline.mean()),
    )


def _hits(
    model: Recommender, rows: np.ndarray, truth: sp.csr_matrix, top_n: int, popular_only: bool
) -> np.ndarray:
    picks, values = _ranked(model, rows, top_n, popular_only)
    picked = sp.csr_matrix(
        (
            np.isfinite(values).ravel().astype(np.int8),
            (np.repeat(np.arange(len(rows)), picks.shape[1]), picks.ravel()),
        ),
        shape=truth.shape,
    )
    return np.asarray(picked.multiply(truth).sum(axis=1)).ravel() > 0


# --- What if: a cross-sell campaign ---------------------------------------------------------


@dataclass(frozen=True)
class CampaignEstimate:
    """A campaign offering `consequent` to customers who bought `antecedent` but never it."""

    antecedent: str
    consequent: str
    target_customers: int
    confidence: float
    response_share: float
    expected_orders: float
    average_price: float
    expected_revenue: float
    problem: Problem | None = None


def campaign_candidates(
    baskets: BasketData, model: Recommender, rules: pd.DataFrame, top: int = 200
) -> pd.DataFrame:
    """The first `top` rules as campaigns, the most promising first.

    Adds target_customers (bought X, never Y), average_price (of Y) and
    potential_revenue = target_customers × confidence × average_price: the revenue
    if the campaign turned the whole natural propensity into orders (scale it by the
    response share). Sorted by potential_revenue.
    """
    chosen = rules.head(top).reset_index(drop=True)
    if chosen.empty:
        return chosen.assign(target_customers=[], average_price=[], potential_revenue=[])
    items = model.items
    a = items.get_indexer(pd.Index(chosen["antecedent"], dtype="str"))
    b = items.get_indexer(pd.Index(chosen["consequent"], dtype="str"))
    owned = model.owned.tocsc()
    with_a = owned[:, a]
    both = np.asarray(with_a.multiply(owned[:, b]).sum(axis=0)).ravel()
    target = np.asarray(with_a.sum(axis=0)).ravel() - both
    price = baskets.average_price()[b]
    return (
        chosen.assign(
            target_customers=target.astype(np.int64),
            average_price=price,
            potential_revenue=target * chosen["confidence"].to_numpy() * price,
        )
        .sort_values("potential_revenue", ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def campaign_targets(model: Recommender, antecedent: str, consequent: str) -> pd.Index:
    """Customers who bought `antecedent` and never `consequent` (the campaign's audience)."""
    items = model.items
    if antecedent not in items or consequent not in items:
        return pd.Index([], dtype="str", name="customer_id")
    has_a = model.owned[:, items.get_loc(antecedent)].toarray().ravel() > 0
    has_b = model.owned[:, items.get_loc(consequent)].toarray().ravel() > 0
    return pd.Index(np.asarray(model.customers)[has_a & ~has_b], dtype="str", name="customer_id")


def cross_sell_campaign(
    baskets: BasketData,
    model: Recommender,
    antecedent: str,
    consequent: str,
    response_share: float,
    confidence: float | None = None,
) -> CampaignEstimate:
    """Expected extra orders and revenue of offering Y to the customers of X who lack Y.

    target = customers who bought X and never Y; expected orders = target × confidence
    (X → Y) × response_share (the assumed share of that natural propensity the
    campaign turns into extra orders); revenue = orders × the average spend on Y in a
    basket holding Y. `confidence` defaults to the basket-level confidence of X → Y.
    """
    items = baskets.items
    if antecedent not in items or consequent not in items or antecedent == consequent:
        return CampaignEstimate(
            antecedent,
            consequent,
            0,
            0.0,
            response_share,
            0.0,
            0.0,
            0.0,
            problem(UNKNOWN_ITEM),
        )
    a, b = items.get_loc(antecedent), items.get_loc(consequent)
    if confidence is None:
        column_a = baskets.matrix[:, a]
        both = column_a.multiply(baskets.matrix[:, b]).sum()
        confidence = float(both / max(column_a.sum(), 1))
    target = len(campaign_targets(model, antecedent, consequent))
    price = float(baskets.average_price()[b])
    orders = target * confidence * response_share
    return CampaignEstimate(
        antecedent,
        consequent,
        target,
        confidence,
        response_share,
        orders,
        price,
        orders * price,
    )


# --- The page's views: one entry point each, on cached baskets and models ------------------

HeatmapItems = Literal["rules", "popular"]


@dataclass(frozen=True)
class BasketSettings:
    """Which baskets the page analyses: the item level and the items left out (postage, fees)."""

    level: Level
    leave_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSettings:
    """The thresholds a single-item rule X → Y must pass (see `association_rules`)."""

    min_support: float = DEFAULT_MIN_SUPPORT
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    min_baskets: int = MIN_RULE_BASKETS
    min_lift: float = 1.0


def baskets_for(transactions: pd.DataFrame, settings: BasketSettings) -> BasketData:
    """`build_baskets` at the settings' level, without the items left out."""
    return build_baskets(transactions, settings.level, settings.leave_out)


@dataclass(frozen=True)
class BasketSummary:
    """What the baskets are: how many, of how many items, the share with two or more items."""

    n_baskets: int
    n_items: int
    multi_item_share: float
    source: BasketSource


def basket_summary(baskets: BasketData) -> BasketSummary:
    multi = int((baskets.basket_sizes() >= 2).sum())
    return BasketSummary(
        baskets.n_baskets, baskets.n_items, multi / max(baskets.n_baskets, 1), baskets.source
    )


@dataclass(frozen=True)
class RulesView:
    """The "Bought together" tab: every rule (RULE_COLUMNS, by lift) and what to read first.

    `readings`: one sentence for each of the strongest pairs (info "crosssell.rule_sentence");
    `items`: the items in any rule, sorted (the table's filter); `problem` when no rule.
    """

    rules: pd.DataFrame
    n_baskets: int
    n_multi_item_baskets: int
    readings: tuple[Problem, ...]
    items: tuple[str, ...]
    problem: Problem | None = None

    @property
    def heatmap_default(self) -> HeatmapItems:
        """The heatmap shows the rules' items when there are rules, else the most bought."""
        return "rules" if len(self.rules) else "popular"


def rules_view(
    baskets: BasketData,
    settings: RuleSettings | None = None,
    pairs: sp.coo_matrix | None = None,
) -> RulesView:
    """Single-item rules at the thresholds, with the readings of the strongest pairs.

    `pairs`: `item_pairs(baskets, m)` with m <= settings.min_baskets, when counted already.
    """
    settings = settings or RuleSettings()
    found = association_rules(
        baskets,
        settings.min_support,
        settings.min_confidence,
        settings.min_baskets,
        settings.min_lift,
        pairs,
    )
    rules = found.rules
    readings = tuple(
        problem(
            "crosssell.rule_sentence",
            "info",
            x=str(rule.antecedent),
            y=str(rule.consequent),
            lift=f"{rule.lift:.1f}",
            confidence=fmt_share(rule.confidence),
        )
        for rule in strongest_pairs(rules, READING_RULES).itertuples()
    )
    items = tuple(sorted(set(rules["antecedent"]) | set(rules["consequent"])))
    return RulesView(
        rules, found.n_baskets, found.n_multi_item_baskets, readings, items, found.problem
    )


@dataclass(frozen=True)
class RuleTable:
    """The rules with one item (or all): the table as shown, the map's rules, the download.

    `shown`: at most MAX_TABLE_RULES rules with support, confidence and consequent
    support in percent points (the table's format) and no antecedent support;
    `chart`: the first MAX_MAP_RULES of them as shares (for `rules_map_chart`);
    `download`: every rule with the item, as shares; `capped`: the table leaves rules out.
    """

    shown: pd.DataFrame
    chart: pd.DataFrame
    download: pd.DataFrame
    capped: bool


def rule_table(rules: pd.DataFrame, item: str | None = None) -> RuleTable:
    download = rules_with_item(rules, item)
    table = download.head(MAX_TABLE_RULES)
    shown = table.assign(
        support=table["support"] * 100,
        confidence=table["confidence"] * 100,
        consequent_support=table["consequent_support"] * 100,
    ).drop(columns=["antecedent_support"])
    capped = len(rules) > MAX_TABLE_RULES and item is None
    return RuleTable(shown, table.head(MAX_MAP_RULES), download, capped)


PAIR_TABLE_COLUMNS = [
    "antecedent",
    "consequent",
    "baskets",
    "support",
    "confidence",
    "lift",
    "gain",
]


@dataclass(frozen=True)
class PairRulesView:
    """Two-item rules {X1, X2} → Y that add at least MIN_PAIR_GAIN to the single-item rules.

    `table`: at most MAX_TABLE_RULES of them (PAIR_TABLE_COLUMNS; support, confidence
    and gain in percent points), by lift; `readings`: the first few as sentences.
    """

    table: pd.DataFrame
    readings: tuple[Problem, ...]
    problem: Problem | None = None


def pair_rules_view(baskets: BasketData, settings: RuleSettings | None = None) -> PairRulesView:
    settings = settings or RuleSettings()
    two_items = pair_rules(
        baskets, settings.min_support, settings.min_confidence, settings.min_baskets
    )
    helpful = two_items[two_items["gain"] >= MIN_PAIR_GAIN]
    table = helpful.head(MAX_TABLE_RULES)
    table = table.assign(
        support=table["support"] * 100,
        confidence=table["confidence"] * 100,
        gain=table["gain"] * 100,
    )[PAIR_TABLE_COLUMNS]
    if helpful.empty:
        return PairRulesView(table, (), problem(NO_PAIR_RULES, "info"))
    readings = []
    for rule in helpful.head(READING_PAIR_RULES).itertuples():
        first, second = str(rule.antecedent).split(PAIR_JOIN, 1)
        readings.append(
            problem(
                "crosssell.pair_sentence",
                "info",
                x=first,
                z=second,
                y=str(rule.consequent),
                confidence=fmt_share(rule.confidence),
                gain=f"{rule.gain * 100:+.0f}",
            )
        )
    return PairRulesView(table, tuple(readings))


@dataclass(frozen=True)
class Heatmap:
    """Pairs among the heatmap's items (`cooccurrence_top`), or why there are none."""

    pairs: pd.DataFrame
    problem: Problem | None = None


def heatmap(
    baskets: BasketData, rules: pd.DataFrame, which: HeatmapItems = "rules", top: int = 15
) -> Heatmap:
    """The `top` items of the strongest rules ("rules") or the most bought ("popular").

    Without rules the heatmap falls back to the most bought items.
    """
    chosen = (rule_items(rules, top) if which == "rules" else None) or None
    pairs = cooccurrence_top(baskets, top, chosen)
    return Heatmap(pairs, problem(NO_HEATMAP, "info") if pairs.empty else None)


@dataclass(frozen=True)
class SecondOrderView:
    """What second orders hold (`items`, top CHART_ROWS) and each first item's strongest flow.

    `flows`: `strongest_flows`, top CHART_ROWS; `readings`: the first READING_FLOWS as
    sentences; `problem` when nobody ordered twice; `flows_problem` when no first-order
    item has MIN_FLOW_CUSTOMERS customers with a flow.
    """

    n_customers: int
    items: pd.DataFrame
    flows: pd.DataFrame
    readings: tuple[Problem, ...]
    problem: Problem | None = None
    flows_problem: Problem | None = None


def second_order_view(first: BasketData, second: BasketData | None = None) -> SecondOrderView:
    seconds = second_orders(first, second, MIN_FLOW_CUSTOMERS)
    strongest = strongest_flows(seconds.flows).head(CHART_ROWS)
    readings = tuple(
        problem(
            "crosssell.flow_sentence",
            "info",
            first=str(flow.first_item),
            second=str(flow.second_item),
            share=fmt_share(flow.share),
            others=fmt_share(flow.share_others),
        )
        for flow in strongest.head(READING_FLOWS).itertuples()
    )
    flows_problem = (
        problem(NO_FLOWS, "info", minimum=MIN_FLOW_CUSTOMERS) if strongest.empty else None
    )
    return SecondOrderView(
        seconds.n_customers,
        seconds.items.head(CHART_ROWS),
        strongest,
        readings,
        seconds.problem,
        flows_problem,
    )


@dataclass(frozen=True)
class NextBest:
    """Every customer's MAX_TOP_N next best items, ranked once, with their RFM segment.

    `table`: customer_id, segment (an RFM segment code, missing for a customer without
    one), item_1, reason_1, item_2 .. item_N (fewer columns with fewer items);
    `segments`: the segment codes present, in SEGMENTS order. Any shorter list is the
    start of this one (the ranking is a total order), so `next_best_list` only selects.
    `excel_clean`: no text in the table needs cutting or cleaning for Excel
    (`core.export.excel_fit`), so no part of it does either.
    """

    table: pd.DataFrame
    segments: tuple[str, ...]
    problem: Problem | None = None
    excel_clean: bool = True


def next_best(
    model: Recommender, segment_of: pd.Series | None = None, top_n: int = MAX_TOP_N
) -> NextBest:
    """`recommend` + `recommendation_table` for every customer, with `segment_of[customer_id]`."""
    recommendations = recommend(model, top_n)
    if recommendations.empty:
        empty = pd.DataFrame(columns=["customer_id", "segment"])
        return NextBest(empty, (), problem(NO_RECOMMENDATIONS, "info"))
    wide = recommendation_table(recommendations, model)
    segments = (
        wide["customer_id"].map(segment_of.astype(str))
        if segment_of is not None
        else pd.Series(pd.NA, index=wide.index, dtype="str")
    )
    wide.insert(1, "segment", segments)
    present = set(wide["segment"].dropna())
    fit = excel_fit(wide)
    return NextBest(
        wide, tuple(s for s in SEGMENTS if s in present), excel_clean=not (fit.cut or fit.cleaned)
    )


@dataclass(frozen=True)
class NextBestList:
    """The next-best list as shown and exported: labelled columns, chosen segments only.

    `export`: customer_id, segment, item_1, reason_1, item_2 .. item_`top_n`, renamed
    and with segment names as given; `first_choice`: item, customers (the items
    suggested first most often, top CHART_ROWS); `excel`: what an Excel file of
    `export` cuts, cleans or leaves out (`core.export.excel_fit`).
    """

    export: pd.DataFrame
    first_choice: pd.DataFrame
    excel: ExcelFit = ExcelFit()


def next_best_list(
    best: NextBest,
    top_n: int,
    segments: tuple[str, ...] = (),
    column_labels: Mapping[str, str] | None = None,
    segment_labels: Mapping[str, str] | None = None,
) -> NextBestList:
    """The first `top_n` suggestions of the customers in `segments` (all when empty)."""
    table = best.table
    rows = table[table["segment"].isin(segments)] if segments else table
    wanted = ["customer_id", "segment", "item_1", "reason_1"]
    wanted += [f"item_{rank}" for rank in range(2, top_n + 1)]
    rows = rows[[c for c in wanted if c in rows.columns]]
    first_choice = (
        rows["item_1"].value_counts().rename_axis("item").reset_index(name="customers")
        if "item_1" in rows.columns
        else pd.DataFrame(columns=["item", "customers"])
    )
    export = labelled(rows, column_labels, segment_labels)
    # The labels are the catalog's short texts: when the whole table fits Excel, only
    # the number of rows can be a problem (excel_fit of the rows without columns).
    excel = excel_fit(export[[]] if best.excel_clean else export)
    return NextBestList(export, first_choice.head(CHART_ROWS), excel)


def labelled(
    frame: pd.DataFrame,
    column_labels: Mapping[str, str] | None = None,
    segment_labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """An export for people: column names and segment codes replaced by the given labels.

    Segment codes without a label (a customer without a segment) become "".
    """
    if segment_labels is not None and "segment" in frame.columns:
        names = frame["segment"].map(dict(segment_labels)).astype("str").fillna("")
        frame = frame.assign(segment=names)
    return frame.rename(columns=dict(column_labels or {}))


@dataclass(frozen=True)
class HoldoutSpan:
    """The days a cut-off can take (first and last basket) and the default cut-off.

    `problem` when the baskets span a single day or none (nothing to hold out).
    """

    first_day: dt.date | None
    last_day: dt.date | None
    default_cutoff: dt.date | None
    problem: Problem | None = None


def holdout_span(baskets: BasketData) -> HoldoutSpan:
    if baskets.n_baskets == 0:
        return HoldoutSpan(None, None, None, problem(NO_HOLDOUT_CUSTOMERS, "info"))
    first = pd.Timestamp(baskets.basket_date.min()).date()
    last = pd.Timestamp(baskets.basket_date.max()).date()
    if first == last:
        return HoldoutSpan(first, last, None, problem(NO_HOLDOUT_CUSTOMERS, "info"))
    return HoldoutSpan(first, last, default_cutoff(baskets).date())


@dataclass(frozen=True)
class HoldoutCheck:
    """`holdout_evaluation` with what the page reads from it.

    `rates`: method ("model", "popular"), hit_rate, hits (for `holdout_chart`);
    `difference`: hit rate minus the baseline's; `reading`: whether the personal
    list beats the best-seller list (info); `few_items`: a caution when a top-N list
    covers most of the items anyway.
    """

    result: HoldoutResult
    rates: pd.DataFrame
    difference: float
    reading: Problem | None = None
    few_items: Problem | None = None

    @property
    def problem(self) -> Problem | None:
        return self.result.problem


def holdout_check(
    baskets: BasketData, cutoff: pd.Timestamp | dt.date | str, top_n: int = HOLDOUT_TOP_N
) -> HoldoutCheck:
    check = holdout_evaluation(baskets, pd.Timestamp(cutoff), top_n)
    rates = pd.DataFrame(
        {
            "method": ["model", "popular"],
            "hit_rate": [check.hit_rate, check.baseline_hit_rate],
            "hits": [check.hits, check.baseline_hits],
        }
    )
    difference = check.hit_rate - check.baseline_hit_rate
    if check.problem:
        return HoldoutCheck(check, rates, difference)
    better = check.hit_rate > check.baseline_hit_rate
    times = f"{check.hit_rate / check.baseline_hit_rate:.1f}" if check.baseline_hit_rate else "–"
    reading = problem(
        "crosssell.check_reading_better" if better else "crosssell.check_reading_worse",
        "info",
        rate=fmt_share(check.hit_rate),
        baseline=fmt_share(check.baseline_hit_rate),
        n=fmt_count(check.customers),
        cutoff=check.cutoff.strftime("%Y-%m-%d"),
        times=times,
        top=top_n,
    )
    few_items = (
        problem("crosssell.check_few_items", "info", n=baskets.n_items, top=top_n)
        if baskets.n_items <= 2 * top_n
        else None
    )
    return HoldoutCheck(check, rates, difference, reading, few_items)


@dataclass(frozen=True)
class CampaignChoices:
    """The What-if's campaigns (`campaign_candidates`, most expected revenue first).

    `options`: one label per candidate, in order ("crosssell.whatif_option" with the
    rule's items, confidence and audience), for the pick list.
    """

    candidates: pd.DataFrame
    options: tuple[Problem, ...] = ()
    problem: Problem | None = None


def campaign_choices(
    baskets: BasketData, model: Recommender, rules: pd.DataFrame
) -> CampaignChoices:
    candidates = campaign_candidates(baskets, model, rules)
    if candidates.empty:
        return CampaignChoices(candidates, (), problem(NO_CAMPAIGNS, "info"))
    options = tuple(
        problem(
            "crosssell.whatif_option",
            "info",
            x=str(rule.antecedent),
            y=str(rule.consequent),
            confidence=fmt_share(rule.confidence),
            n=fmt_count(rule.target_customers),
        )
        for rule in candidates.itertuples()
    )
    return CampaignChoices(candidates, options)


def campaign_estimate(
    candidates: pd.DataFrame, index: int, response_share: float
) -> CampaignEstimate:
    """`cross_sell_campaign` for the candidate at `index`, from its counted audience and price.

    The candidates already hold the audience (bought X, never Y), the rule's confidence
    and Y's average price, so a new response share costs a multiplication, not a pass
    over the customers (the same figures: see tests/core/test_crosssell.py).
    """
    rule = candidates.iloc[index]
    target = int(rule["target_customers"])
    confidence = float(rule["confidence"])
    price = float(rule["average_price"])
    orders = target * confidence * response_share
    return CampaignEstimate(
        str(rule["antecedent"]),
        str(rule["consequent"]),
        target,
        confidence,
        response_share,
        orders,
        price,
        orders * price,
    )


def campaign_reading(estimate: CampaignEstimate) -> Problem:
    """The What-if's sentence: whom to offer what, and the orders and revenue to expect."""
    return problem(
        "crosssell.whatif_reading",
        "info",
        n=fmt_count(estimate.target_customers),
        x=estimate.antecedent,
        y=estimate.consequent,
        confidence=fmt_share(estimate.confidence),
        response=fmt_share(estimate.response_share, 0),
        orders=f"{estimate.expected_orders:,.1f}",
        price=fmt_money(estimate.average_price),
        revenue=fmt_money(estimate.expected_revenue),
    )


def campaign_ranking(
    candidates: pd.DataFrame, response_share: float, top: int = RANKED_CAMPAIGNS
) -> pd.DataFrame:
    """The `top` campaigns at this response: antecedent, consequent, customers,
    confidence (percent points), price, revenue (potential revenue × response)."""
    ranking = candidates.head(top)
    return pd.DataFrame(
        {
            "antecedent": ranking["antecedent"],
            "consequent": ranking["consequent"],
            "customers": ranking["target_customers"],
            "confidence": ranking["confidence"] * 100,
            "price": ranking["average_price"],
            "revenue": ranking["potential_revenue"] * response_share,
        }
    )


def campaign_audience(
    model: Recommender, antecedent: str, consequent: str, segment_of: pd.Series | None = None
) -> pd.DataFrame:
    """The customers to target (`campaign_targets`): customer_id, segment, offer, because."""
    audience = campaign_targets(model, antecedent, consequent)
    segments = (
        audience.map(segment_of.astype(str))
        if segment_of is not None
        else pd.Series(pd.NA, index=audience, dtype="str")
    )
    return pd.DataFrame(
        {
            "customer_id": np.asarray(audience),
            "segment": np.asarray(segments, dtype=object),
            "offer": consequent,
            "because": antecedent,
        }
    )
