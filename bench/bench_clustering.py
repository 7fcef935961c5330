"""Benchmark of customer features and k-means clustering for the Segmentation page.

    python -m bench.bench_clustering                 # 100k customers, ~2M lines
    python -m bench.bench_clustering --customers 20000 --repeat 1

Data: a seeded, generated transactions table held in memory (nothing is written),
shaped like ingest output: categorical customer_id, category, channel, region;
~100k customers with gamma-distributed purchase rates and 1-4 lines per order,
about 2M lines in all. Then, timed separately (best of --repeat runs):

1. orders_table(transactions)            (core.summary, the cached per-order step)
2. customer_features(orders, transactions)
3. cluster_customers(features, 5 columns) k search 2..10 on a 5,000 sample,
   silhouette, final fit on all customers, profiles, names and projection.

Target (issue 3): clustering 100k customers well under 2 s on the 2-core machine.
Prints figures and PASS/FAIL; never fails the build.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from core.clustering import BASE_FEATURES, cluster_customers, customer_features
from core.summary import orders_table

SEED = 20261124
TARGET_SECONDS = 2.0
CATEGORIES = [
    "Coffee",
    "Tea",
    "Kitchenware",
    "Snacks",
    "Home Fragrance",
    "Gifts",
    "Chocolate",
    "Syrups",
    "Gadgets",
    "Books",
    "Subscriptions",
    "Gift Cards",
]
CHANNELS = ["web", "app", "store", "marketplace", "phone"]
REGIONS = ["North", "South", "East", "West", "Central"]


def generate_transactions(customers: int, seed: int = SEED) -> pd.DataFrame:
    """About 20 lines per customer over two years, sorted by time, as ingest would hand them over."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(shape=0.6, scale=10.0, size=customers) + 0.2  # orders per two years
    orders_per_customer = 1 + rng.poisson(rate)
    n_orders = int(orders_per_customer.sum())
    customer_of_order = np.repeat(np.arange(customers), orders_per_customer)
    start = np.datetime64("2024-11-01T00:00:00", "s").astype(np.int64)
    span = 2 * 365 * 86_400
    birth = rng.uniform(0, 0.9, size=customers) * span
    offset = birth[customer_of_order] + rng.uniform(0, 1, n_orders) * (
        span - birth[customer_of_order]
    )
    order_stamp = start + offset.astype(np.int64)
    lines_per_order = rng.integers(1, 5, size=n_orders)
    order_of_line = np.repeat(np.arange(n_orders), lines_per_order)
    n_lines = len(order_of_line)
    favourite = rng.integers(0, len(CATEGORIES), size=customers)
    customer_of_line = customer_of_order[order_of_line]
    category = np.where(
        rng.uniform(size=n_lines) < 0.6,
        favourite[customer_of_line],
        rng.integers(0, len(CATEGORIES), size=n_lines),
    )
    channel = rng.choice(len(CHANNELS), p=[0.45, 0.25, 0.18, 0.1, 0.02], size=customers)[
        customer_of_line
    ]
    region = rng.integers(0, len(REGIONS), size=customers)[customer_of_line]
    amount = np.round(rng.lognormal(mean=3.0, sigma=0.7, size=n_lines), 2)
    ids = np.char.add("C", np.char.zfill(np.arange(customers).astype(str), 7))
    frame = pd.DataFrame(
        {
            "customer_id": pd.Categorical.from_codes(customer_of_line, categories=ids),
            "order_date": (order_stamp[order_of_line] * 10**9).view("datetime64[ns]"),
            "amount": amount,
            "category": pd.Categorical.from_codes(category, categories=CATEGORIES),
            "channel": pd.Categorical.from_codes(channel, categories=CHANNELS),
            "region": pd.Categorical.from_codes(region, categories=REGIONS),
        }
    )
    return frame.sort_values("order_date", kind="stable").reset_index(drop=True)


def best_of(repeat: int, work):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), times, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_clustering", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per step; the best is reported")
    parser.add_argument("--sample-size", type=int, default=5000)
    args = parser.parse_args(argv)

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min)")
    started = time.perf_counter()
    transactions = generate_transactions(args.customers)
    print(
        f"generated {len(transactions):,} lines for {args.customers:,} customers "
        f"in {time.perf_counter() - started:.1f} s (seed {SEED}, in memory)"
    )

    t_orders, _, orders = best_of(args.repeat, lambda: orders_table(transactions))
    print(f"orders_table            {t_orders:7.3f} s   ({len(orders):,} orders)")
    t_features, runs_f, features = best_of(
        args.repeat, lambda: customer_features(orders, transactions)
    )
    print(
        f"customer_features       {t_features:7.3f} s   ({len(features):,} customers x {features.shape[1]} columns;"
        f" runs {', '.join(f'{t:.3f}' for t in runs_f)})"
    )

    columns = list(BASE_FEATURES)
    cluster_customers(features.iloc[:2000], columns)  # warm-up: imports, thread pools
    t_cluster, runs_c, result = best_of(
        args.repeat, lambda: cluster_customers(features, columns, sample_size=args.sample_size)
    )
    print(
        f"cluster_customers       {t_cluster:7.3f} s   (k search 2..10 on {result.sample_size:,}, final k={result.k},"
        f" chosen_k={result.chosen_k}; runs {', '.join(f'{t:.3f}' for t in runs_c)})"
    )
    t_fixed, _, fixed = best_of(args.repeat, lambda: cluster_customers(features, columns, k=6))
    print(f"cluster_customers(k=6)  {t_fixed:7.3f} s   (user k; the curve is still computed)")

    labels_again = cluster_customers(features, columns, sample_size=args.sample_size).labels
    print(f"reproducible: {bool(labels_again.equals(result.labels))}")
    print(
        "silhouette: "
        + ", ".join(f"k={k}: {s:.3f}" for k, s in result.silhouette.itertuples(index=False))
    )
    print("cluster sizes: " + ", ".join(str(c) for c in result.profiles["customers"]))
    verdict = "PASS" if t_cluster < TARGET_SECONDS else "FAIL"
    print(
        f"{verdict}: clustering {args.customers:,} customers in {t_cluster:.2f} s (target < {TARGET_SECONDS:.0f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
