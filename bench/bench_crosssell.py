"""Benchmark of the cross-sell core on the demo data and the UCI online retail file.

    python -m bench.bench_crosssell
    python -m bench.bench_crosssell --retail ../shared/data/online_retail/online_retail.csv

Targets (issue 8), on the online retail data (about 540k lines, 26k invoices, 4k
products): association rules ready in under 10 s (baskets built and rules found) and
next-best-product recommendations for every customer in under 10 s (model fitted and
top 5 ranked). The holdout hit rate (top 5 against each customer's next order after
the cut-off) must beat recommending the most popular items, on both data sets.
The file is read through core.ingest exactly as an upload (not part of the targets).
Two-item rules ({X1, X2} → Y, optional on the page) are timed too, outside the targets.
Prints figures and PASS/FAIL; it is not a unit test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.crosssell import (
    association_rules,
    build_baskets,
    default_cutoff,
    fit_recommender,
    holdout_evaluation,
    pair_rules,
    recommend,
    second_orders,
)
from core.ingest import ingest_file

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "sample_data" / "transactions.csv"
RETAIL = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail.csv"
TARGET_SECONDS = 10.0
# The page's default thresholds, and a looser setting that finds many more rules.
SETTINGS = ((0.002, 0.2), (0.0005, 0.05))


def timed(label: str, step: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = step(*args)
    seconds = time.perf_counter() - started
    print(f"  {label:<34} {seconds:7.3f} s")
    return result, seconds


def run(path: Path, name: str) -> dict[str, Any]:
    print(f"\n{name}: {path}")
    ingested, _ = timed(
        "ingest (not in the targets)", ingest_file, path.read_bytes(), path.name, "transactions"
    )
    table = ingested.table
    print(f"  {len(table):,} lines kept, {table['customer_id'].nunique():,} customers")
    baskets, build_seconds = timed("baskets (product level)", build_baskets, table, "product")
    print(
        f"  {baskets.n_baskets:,} baskets, {baskets.n_items:,} products, "
        f"{int((baskets.basket_sizes() >= 2).sum()):,} with 2+ products"
    )
    rules_seconds = 0.0
    for support, confidence in SETTINGS:
        found, seconds = timed(
            f"rules (support {support:.2%}, conf {confidence:.0%})",
            association_rules,
            baskets,
            support,
            confidence,
            3,
        )
        rules_seconds = max(rules_seconds, seconds)
        print(f"    {len(found.rules):,} rules; top by lift:")
        for rule in found.rules.head(3).itertuples():
            print(
                f"      {rule.antecedent} -> {rule.consequent}: conf {rule.confidence:.2f}, "
                f"lift {rule.lift:.1f}"
            )
    pairs, _ = timed("two-item rules (page defaults)", pair_rules, baskets, *SETTINGS[0], 3)
    print(f"    {len(pairs):,} rules, {int((pairs['gain'] > 0).sum()):,} adding confidence")
    timed("second orders", second_orders, baskets, baskets)
    model, fit_seconds = timed("recommender fit", fit_recommender, baskets)
    recs, rank_seconds = timed("top 5 for every customer", recommend, model, 5)
    print(f"    {recs['customer_id'].nunique():,} customers, {len(recs):,} suggestions")
    cutoff = default_cutoff(baskets)
    check, _ = timed("holdout check", holdout_evaluation, baskets, cutoff, 5)
    print(
        f"    cut-off {cutoff.date()}: {check.customers:,} customers checked, hit rate "
        f"{check.hit_rate:.1%} against {check.baseline_hit_rate:.1%} for the most popular items"
    )
    return {
        "rules": build_seconds + rules_seconds,
        "recommendations": fit_seconds + rank_seconds,
        "hit_rate": check.hit_rate,
        "baseline": check.baseline_hit_rate,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retail", type=Path, default=RETAIL)
    args = parser.parse_args()
    results = {"demo": run(DEMO, "Demo (Lumen & Leaf)")}
    if args.retail.exists():
        results["online retail"] = run(args.retail, "Online retail")
    else:
        print(f"\n{args.retail} not found: online retail figures skipped (FAIL)")
    print("\nTargets")
    ok = "online retail" in results
    for name, figures in results.items():
        checks = [
            (
                f"{name}: baskets + rules < {TARGET_SECONDS:.0f} s",
                figures["rules"] < TARGET_SECONDS,
                f"{figures['rules']:.2f} s",
            ),
            (
                f"{name}: recommendations for all < {TARGET_SECONDS:.0f} s",
                figures["recommendations"] < TARGET_SECONDS,
                f"{figures['recommendations']:.2f} s",
            ),
            (
                f"{name}: holdout hit rate beats popularity",
                figures["hit_rate"] > figures["baseline"],
                f"{figures['hit_rate']:.1%} vs {figures['baseline']:.1%}",
            ),
        ]
        for label, passed, figure in checks:
            ok &= passed
            print(f"  {'PASS' if passed else 'FAIL'}  {label:<52} {figure}")
    print("\nOverall:", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
