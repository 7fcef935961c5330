"""Benchmark of the segmentation core: RFM, segment profiles and lifecycle stages at 100k customers.

    python -m bench.bench_segmentation               # ~2M transaction lines, 100k customers
    python -m bench.bench_segmentation --customers 20000 --lines 400000

Generates seeded transactions in the canonical form ingest produces (customer_id
categorical, order_date datetime64, amount float, order_id), builds the orders table
with core.summary.orders_table (timed, but outside the target: the app caches it once
per data set), then times each segmentation step. Target (issue 3): the segmentation
steps together under 2 s for 100k customers from about 2M transactions. Then the
tables the page draws, each built once per data set, setting and language (issue 14):
the segment view and table, the customer list of everyone, the stage counts and a
breakdown. Prints figures and PASS/FAIL; it is not a unit test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from core.calendar import DAYS_PER_YEAR
from core.clustering import DEFAULT_CLUSTER_FEATURES, cluster_customers, customer_features
from core.segmentation import (
    ListChoice,
    breakdown_table,
    customer_list,
    lifecycle_by_month,
    lifecycle_stages,
    lifecycle_thresholds,
    rfm_table,
    segment_profile,
    segment_table,
    segment_view,
    stage_counts,
)
from core.summary import orders_table

SEED = 20261123
TARGET_SECONDS = 2.0
START = np.datetime64("2024-01-01T00:00:00", "s")
YEARS = 3  # 36 months, as in the "100k customers x 36 months"


def make_transactions(n_customers: int, n_lines: int, seed: int = SEED) -> pd.DataFrame:
    """Order lines of `n_customers` customers with gamma-distributed purchase rates.

    Each customer buys from a random first day to the end of the window at their own
    rate (many light buyers, a few heavy ones); orders have 1-3 lines.
    """
    rng = np.random.default_rng(seed)
    span = int(YEARS * DAYS_PER_YEAR * 86_400)
    lines_per_order = rng.choice([1, 2, 3], size=n_lines, p=[0.7, 0.2, 0.1])
    order_of_line = np.repeat(np.arange(n_lines), lines_per_order)[:n_lines]
    n_orders = int(order_of_line[-1]) + 1
    rate = rng.gamma(shape=0.6, scale=1.0, size=n_customers)
    birth = rng.integers(0, span, size=n_customers)
    weight = rate * (span - birth)
    customer_of_order = rng.choice(n_customers, size=n_orders, p=weight / weight.sum())
    # Every customer has at least their first order.
    customer_of_order[:n_customers] = rng.permutation(n_customers)
    offset = birth[customer_of_order] + (
        rng.random(n_orders) * (span - birth[customer_of_order])
    ).astype(np.int64)
    stamps = START + offset.astype("timedelta64[s]")
    ids = np.char.add("C", np.char.zfill(np.arange(1, n_customers + 1).astype(str), 7))
    return pd.DataFrame(
        {
            "order_id": pd.Categorical.from_codes(
                order_of_line, categories=np.arange(n_orders).astype(str)
            ),
            "customer_id": pd.Categorical.from_codes(
                customer_of_order[order_of_line], categories=ids
            ),
            "order_date": stamps[order_of_line].astype("datetime64[ns]"),
            "amount": np.round(np.exp(rng.normal(3.2, 0.7, size=n_lines)), 2),
        }
    ).sort_values("order_date", kind="stable", ignore_index=True)


def timed(figures: dict[str, float], label: str, step: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    result = step(*args)
    figures[label] = time.perf_counter() - started
    print(f"  {label:<22} {figures[label]:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the segmentation steps; the best is kept"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    transactions = make_transactions(args.customers, args.lines)
    print(f"generated {len(transactions):,} lines in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    orders = orders_table(transactions)
    print(
        f"orders_table: {len(orders):,} orders, {orders['customer_id'].nunique():,} customers "
        f"in {time.perf_counter() - started:.2f} s (cached once per data set; outside the target)"
    )

    best: dict[str, float] = {}
    tables: dict[str, float] = {}
    for run in range(1, args.repeat + 1):
        print(f"run {run}:")
        figures: dict[str, float] = {}
        rfm = timed(figures, "rfm_table", rfm_table, orders)
        timed(figures, "segment_profile", segment_profile, rfm.table)
        thresholds = timed(figures, "lifecycle_thresholds", lifecycle_thresholds, orders)
        timed(figures, "lifecycle_stages", lifecycle_stages, orders, thresholds)
        monthly = timed(figures, "lifecycle_by_month", lifecycle_by_month, orders, thresholds)
        # The page's other tab: features and k-means with k chosen by silhouette on a sample.
        features = timed(figures, "customer_features", customer_features, orders, transactions)
        timed(
            figures,
            "cluster_customers",
            cluster_customers,
            features,
            list(DEFAULT_CLUSTER_FEATURES),
        )
        total = sum(figures.values())
        print(f"  {'total':<22} {total:7.3f} s")
        if not best or total < sum(best.values()):
            best = figures
        # The page's tables, once per key (not part of the target above).
        drawn: dict[str, float] = {}
        view = timed(drawn, "segment_view", segment_view, rfm)
        timed(drawn, "segment_table", segment_table, view, "en")
        stages = lifecycle_stages(orders, thresholds)
        timed(
            drawn,
            "customer_list (all)",
            customer_list,
            rfm.table,
            "total",
            "en",
            ListChoice(),
            stages,
        )
        timed(drawn, "stage_counts", stage_counts, stages)
        timed(
            drawn,
            "breakdown_table",
            breakdown_table,
            stages,
            features.assign(decile=features["frequency"].clip(upper=9).astype(str)),
            "decile",
            {s: s for s in ("new", "reactivated", "active", "at_risk", "churned")},
        )
        if not tables or sum(drawn.values()) < sum(tables.values()):
            tables = drawn

    total = sum(best.values())
    print()
    print(
        f"customers {len(rfm.table):,}, months {monthly['month'].nunique()}, "
        f"thresholds active {thresholds.active_days} d / churn {thresholds.churn_days} d "
        f"from {thresholds.n_gaps:,} gaps"
    )
    print("best run: " + ", ".join(f"{label} {seconds:.3f} s" for label, seconds in best.items()))
    print(
        "page tables (once per key): "
        + ", ".join(f"{label} {seconds:.3f} s" for label, seconds in tables.items())
    )
    verdict = "PASS" if total < TARGET_SECONDS else "FAIL"
    print(
        f"segmentation page total (RFM, lifecycle, features, clustering) {total:.3f} s (target < {TARGET_SECONDS:.1f} s): {verdict}"
    )


if __name__ == "__main__":
    main()
