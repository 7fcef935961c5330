"""Benchmark of the Retention page's core: cohorts and curves on 2M lines, the churn model on 100k customers.

    python -m bench.bench_retention                       # 100k customers, ~2M lines
    python -m bench.bench_retention --customers 20000 --lines 400000
    python -m bench.bench_retention --online-retail ../shared/data/online_retail/online_retail.csv
    python -m bench.bench_retention --page demo          # the page through AppTest (also: large, telco)

Generates seeded transactions in the canonical form ingest produces (customer_id
categorical, order_date, amount, category, discount) with a BG/NBD-like process
(gamma purchase rates, a drop-out time per customer), builds the orders table with
core.summary.orders_table (the app caches it once per data set: outside the targets),
then times the page's steps. Targets (issue 5): cohort table and curves from the cached
per-customer data under 2 s for 2M lines; model training for 100k customers under
10 s. With --online-retail it also ingests that file and prints what the page would
show. Prints figures and PASS/FAIL; it is not a unit test.

With --page it drives the Retention page through AppTest instead, on the demo, on a
generated 1M-line transactions file (bench/generate.py, cached under bench/out/) or on a
7,000-row subscription table (sample_data.subscriptions.make_telco): the first render,
a rerun with nothing changed, and reruns after each What-if and list control (AppTest
reruns the whole script, fragments too), then the at-risk list and What-if fragments
alone (a script that calls only the fragment function on the cached model: what the
browser waits for when one of their widgets moves), p50 and p95.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.churn_model import prepare_history, retention_offer, train_churn_model
from core.retention import (
    acquisition_attributes,
    activity_spells,
    average_curve,
    churn_threshold_days,
    cohort_activity,
    cohort_table,
    customer_lifetimes,
    kaplan_meier,
    logrank_reading,
    monthly_churn,
)
from core.summary import orders_table

SEED = 20261123
COHORT_TARGET = 2.0
MODEL_TARGET = 10.0
START = np.datetime64("2024-01-01", "D")
DAYS = 3 * 365
CATEGORIES = np.array(["Coffee", "Tea", "Kitchenware", "Snacks", "Gifts", "Home"])
CHANNELS = np.array(["Organic search", "Paid social", "Referral", "Email", "Marketplace"])


def make_shop(
    n_customers: int, n_lines: int, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """About `n_lines` order lines of `n_customers` customers, and their customers table."""
    rng = np.random.default_rng(seed)
    channel = rng.choice(len(CHANNELS), size=n_customers)
    start = rng.integers(0, DAYS - 120, size=n_customers)
    life = rng.exponential(np.array([400, 150, 900, 400, 300])[channel])
    stop = np.minimum(start + life, DAYS)
    rate = rng.gamma(0.8, 1.0, size=n_customers)
    exposure = rate * (stop - start)
    # Scale the rates so the expected number of lines is n_lines (first orders included).
    rate *= max(n_lines - n_customers, 0) / max(exposure.sum(), 1e-9)
    counts = rng.poisson(rate * (stop - start))
    later_owner = np.repeat(np.arange(n_customers), counts)
    later_day = start[later_owner] + rng.random(len(later_owner)) * (stop - start)[later_owner]
    owner = np.concatenate([np.arange(n_customers), later_owner])
    day = np.concatenate([start.astype(float), later_day])
    seconds = (day * 86_400).astype(np.int64)
    ids = np.char.add("C", np.char.zfill(np.arange(1, n_customers + 1).astype(str), 7))
    lines = pd.DataFrame(
        {
            "customer_id": pd.Categorical.from_codes(owner, categories=ids),
            "order_date": (START.astype("datetime64[s]") + seconds.astype("timedelta64[s]")).astype(
                "datetime64[ns]"
            ),
            "amount": np.round(np.exp(rng.normal(3.2, 0.7, size=len(owner))), 2),
            "category": pd.Categorical.from_codes(
                rng.integers(0, len(CATEGORIES), size=len(owner)), categories=CATEGORIES
            ),
            "discount": np.where(rng.random(len(owner)) < 0.2, 2.0, 0.0),
        }
    ).sort_values("order_date", kind="stable", ignore_index=True)
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "channel": pd.Categorical.from_codes(channel, categories=CHANNELS),
            "age": rng.integers(18, 80, size=n_customers).astype(float),
        }
    )
    return lines, customers


def timed(figures: dict[str, float], label: str, step: Callable[..., Any], *args: Any) -> Any:
    started = time.perf_counter()
    result = step(*args)
    figures[label] = time.perf_counter() - started
    print(f"  {label:<26} {figures[label]:7.3f} s")
    return result


def cohort_steps(orders: pd.DataFrame, groups: pd.Series | None, figures: dict[str, float]) -> None:
    for period in ("month", "week"):
        activity = timed(figures, f"cohort_activity ({period})", cohort_activity, orders, period)
        table = timed(figures, f"cohort_table ({period})", cohort_table, activity)
        timed(figures, f"average_curve ({period})", average_curve, table)
    if groups is not None:
        activity = cohort_activity(orders, "month")
        table = timed(figures, "cohort_table by channel", cohort_table, activity, groups)
        timed(figures, "average_curve by channel", average_curve, table)


def page_figures(orders: pd.DataFrame, lines: pd.DataFrame, customers: pd.DataFrame | None) -> None:
    """What the Retention page shows, in numbers (for a manual check of real data)."""
    attributes = acquisition_attributes(lines, customers)
    table = cohort_table(cohort_activity(orders, "month"))
    average = average_curve(table).set_index("age")
    print(
        "  cohorts: "
        + ", ".join(
            f"month {a}: exactly {average.loc[a, 'retention']:.1%} / or later "
            f"{average.loc[a, 'retention_later']:.1%}"
            for a in (1, 3, 6)
            if a in average.index
        )
    )
    days, gaps, _ = churn_threshold_days(orders)
    spells = activity_spells(orders, days)
    monthly = monthly_churn(spells)
    tail = monthly.tail(12)
    print(
        f"  churn threshold {days} d from {gaps:,} gaps; monthly churn (last 12 complete months) "
        f"{tail['churned'].sum() / max(tail['active_start'].sum(), 1):.1%}; months {len(monthly)}"
    )
    lifetimes = customer_lifetimes(spells).table
    overall = kaplan_meier(lifetimes, None, horizon=365).groups.iloc[0]
    print(
        f"  survival: median lifetime {overall['median']:.0f} d, never back after the first "
        f"order {overall['lost_at_start']:.1%}, still buying after 365 d {overall['survival_at']:.1%}"
    )
    for column in ("first_category", "first_channel", "region"):
        if column in attributes:
            result = kaplan_meier(lifetimes, attributes[column])
            reading = logrank_reading(result)
            if reading:
                print(
                    f"  by {column}: {reading.key} p {reading.params['p']}, "
                    f"best {reading.params['best']}, worst {reading.params['worst']}"
                )
    history = prepare_history(orders, lines, customers)
    for horizon in (90, 60):
        started = time.perf_counter()
        model = train_churn_model(history, days, horizon)
        seconds = time.perf_counter() - started
        if model.problem is not None:
            print(f"  model ({horizon} d): {model.problem.key} {dict(model.problem.params)}")
            continue
        print(
            f"  model ({horizon} d) in {seconds:.1f} s: AUC {model.auc:.3f}, precision top 10% "
            f"{model.precision_top:.1%} vs base {model.base_rate:.1%}, train {model.n_train:,} / "
            f"test {model.n_test:,}; drivers {', '.join(model.importance['feature'].head(3))}"
        )
        offer = retention_offer(model.scores, 0.1, 10, 5.0, 0.4)
        print(
            f"  scored {len(model.scores):,} current customers, at stake "
            f"{model.scores['at_stake'].sum():,.0f}; what-if 10%/10 pts/5 per contact: kept "
            f"{offer.kept:.0f}, revenue {offer.revenue_kept:,.0f}, ROI {offer.roi:.0%}"
        )


def online_retail(path: Path) -> None:
    from core.ingest import ingest_file

    started = time.perf_counter()
    result = ingest_file(path.read_bytes(), path.name, "transactions")
    table = result.table
    print(
        f"online retail: ingested {len(table):,} lines of {table['customer_id'].nunique():,} "
        f"customers in {time.perf_counter() - started:.1f} s "
        f"({table['order_date'].min():%Y-%m-%d} to {table['order_date'].max():%Y-%m-%d})"
    )
    orders = orders_table(table)
    figures: dict[str, float] = {}
    cohort_steps(orders, None, figures)
    page_figures(orders, table, None)


PAGE = "app_pages/retention.py"
WHATIF_TARGET = 0.2
PAGE_ROWS = 1_000_000
# What-if and list controls: (kind, key, values to step through).
PAGE_CONTROLS = (
    ("slider", "retention_whatif_share", (20, 30, 40, 15, 5, 25, 35, 45, 12, 10)),
    ("slider", "retention_whatif_points", (20, 30, 40, 15, 5, 25, 35, 45, 12, 10)),
    ("number_input", "retention_whatif_cost", (1.0, 2.0, 3.0, 4.0, 6.0, 7.0, 8.0, 9.0, 5.5, 5.0)),
    ("slider", "retention_whatif_margin", (20, 30, 50, 60, 70, 80, 90, 35, 45, 40)),
    ("slider", "retention_min_risk", (30, 40, 60, 70, 80, 20, 55, 65, 45, 50)),
)


def _page_tables(data: str) -> dict | None:
    """The session's tables for `data`: None (the demo), a 1M-line upload, or a telco table."""

    from core.ingest import ingest_file
    from ui.state import LoadedTable

    if data == "demo":
        return None
    if data == "telco":
        from sample_data.subscriptions import make_telco

        raw, name, kind, today = (
            make_telco(n=7000).to_csv(index=False).encode(),
            "telco.csv",
            "customers",
            None,
        )
    else:
        from bench.generate import TODAY, ensure_csv

        path, _ = ensure_csv(Path(__file__).resolve().parent / "out", PAGE_ROWS)
        raw, name, kind, today = path.read_bytes(), path.name, "transactions", TODAY
    started = time.perf_counter()
    result = ingest_file(raw, name, kind, today=today)
    print(f"ingested {len(result.table):,} rows of {name} in {time.perf_counter() - started:.1f} s")
    return {kind: LoadedTable(kind, result.table, result.report, result.fingerprint, name)}


def _p(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):.3f} s, p95 {p95:.3f} s (n={len(ordered)})"


def _timed_run(at: Any) -> float:
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return seconds


def _fragment_script(part: str) -> None:
    """Runs the page's data and model once, then on reruns only the fragment `part`."""
    import streamlit as st

    from core.churn_model import offer_basis
    from ui.pages.retention_at_risk import at_risk_panel, whatif_panel
    from ui.pages.retention_parts import retention_data
    from ui.state import memo

    if "bench_model" not in st.session_state:
        from ui.pages.retention_model import model_tab

        st.session_state["bench_model"] = model_tab(retention_data(), None)
    model, key = st.session_state["bench_model"]
    if part == "whatif":
        whatif_panel(model, memo("ret_offer_basis", key, lambda: offer_basis(model), keep=2))
    else:
        at_risk_panel(model, key)


def page_bench(data: str) -> None:
    """The Retention page through AppTest on `data` (demo, large, telco): see the module's doc."""
    from streamlit.testing.v1 import AppTest

    tables = _page_tables(data)
    app = str(Path(__file__).resolve().parents[1] / "app.py")

    def session() -> AppTest:
        at = AppTest.from_file(app, default_timeout=900)
        at.session_state["lang"] = "en"
        if tables is not None:
            at.session_state["tables"] = tables
        _timed_run(at)
        at.switch_page(PAGE)
        return at

    at = session()
    print(f"[{data}] first render {_timed_run(at):.2f} s")
    print(f"[{data}] rerun, nothing changed: {_p([_timed_run(at) for _ in range(5)])}")
    worst = 0.0
    for kind, key, values in PAGE_CONTROLS:
        times = []
        for value in values:
            getattr(at, kind)(key=key).set_value(value)
            times.append(_timed_run(at))
        print(f"[{data}] whole page after {key}: {_p(times)}")
    print(f"[{data}] second session, first render {_timed_run(session()):.2f} s")
    for part, controls in (("whatif", PAGE_CONTROLS[:4]), ("list", PAGE_CONTROLS[4:])):
        fragment = AppTest.from_function(_fragment_script, args=(part,), default_timeout=900)
        fragment.session_state["lang"] = "en"
        if tables is not None:
            fragment.session_state["tables"] = tables
        _timed_run(fragment)
        for kind, key, values in controls:
            times = []
            for value in values:
                getattr(fragment, kind)(key=key).set_value(value)
                times.append(_timed_run(fragment))
            worst = max(worst, sorted(times)[min(len(times) - 1, round(0.95 * (len(times) - 1)))])
            print(f"[{data}] fragment alone after {key}: {_p(times)}")
    verdict = "PASS" if worst <= WHATIF_TARGET else "FAIL"
    print(f"[{data}] fragment p95 worst {worst:.3f} s (target <= {WHATIF_TARGET} s): {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of the cohort steps; best kept")
    parser.add_argument("--online-retail", type=Path, default=None)
    parser.add_argument("--page", choices=("demo", "large", "telco"), default=None)
    args = parser.parse_args()
    if args.page is not None:
        page_bench(args.page)
        return

    started = time.perf_counter()
    lines, customers = make_shop(args.customers, args.lines)
    print(f"generated {len(lines):,} lines in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    orders = orders_table(lines)
    print(
        f"orders_table: {len(orders):,} orders, {orders['customer_id'].nunique():,} customers in "
        f"{time.perf_counter() - started:.2f} s (cached once per data set; outside the targets)"
    )
    groups = customers.set_index("customer_id")["channel"]
    best: dict[str, float] = {}
    for run in range(1, args.repeat + 1):
        print(f"cohorts, run {run}:")
        figures: dict[str, float] = {}
        cohort_steps(orders, groups, figures)
        if not best or sum(figures.values()) < sum(best.values()):
            best = figures
    # The page builds one period's table and curves at a time: judge the monthly view with
    # the channel split, the heaviest one (the weekly figures are printed for information).
    page = sum(v for k, v in best.items() if "(week)" not in k)
    print(
        f"cohort table + curves (month, overall and by channel) {page:.3f} s "
        f"(target < {COHORT_TARGET:.0f} s): {'PASS' if page < COHORT_TARGET else 'FAIL'}"
    )

    print("churn model:")
    figures = {}
    days, _, _ = timed(figures, "churn_threshold_days", churn_threshold_days, orders)
    history = timed(figures, "prepare_history", prepare_history, orders, lines, customers)
    steps: list[tuple[float, str, float]] = []
    t0 = time.perf_counter()
    model = timed(
        figures,
        "train_churn_model",
        lambda: train_churn_model(
            history, days, 90, progress=lambda f, k: steps.append((f, k, time.perf_counter() - t0))
        ),
    )
    print("  progress: " + ", ".join(f"{k.split('.')[-1]} {s:.1f}s" for _, k, s in steps))
    print(
        f"  {model.n_train:,} training / {model.n_test:,} holdout customers, AUC {model.auc:.3f}, "
        f"precision top 10% {model.precision_top:.1%} (base {model.base_rate:.1%}), "
        f"{len(model.scores):,} scored"
    )
    training = figures["prepare_history"] + figures["train_churn_model"]
    print(
        f"model training for {args.customers:,} customers {training:.2f} s "
        f"(target < {MODEL_TARGET:.0f} s): {'PASS' if training < MODEL_TARGET else 'FAIL'}"
    )
    if args.online_retail is not None:
        online_retail(args.online_retail)


if __name__ == "__main__":
    main()
