"""One measurement in a fresh process; `bench.run` starts it and reads the JSON it prints last.

    python -m bench.child ingest CSV [--save PARQUET] [--breakdown]
    python -m bench.child upload CSV
    python -m bench.child summary PARQUET METHOD [--repeat N] [--customers-share F]
    python -m bench.child verify PARQUET

A fresh process per measurement keeps one measurement's memory (and pandas' or
DuckDB's caches) out of the next, so the peak RSS is the measured work's own.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from bench.measure import PeakMemory

# DuckDB: the same per-customer summary as core.summary.customer_summary.
# "count_distinct" is the literal translation; "two_stage" groups by (customer,
# day) first, which is usually faster for DuckDB. The benchmark reports both and
# compares against the faster one.
DUCKDB_QUERIES = {
    "count_distinct": """
        SELECT customer_id,
               min(order_date) AS first_purchase,
               max(order_date) AS last_purchase,
               count(DISTINCT CAST(order_date AS DATE)) AS purchase_days,
               sum(amount) AS total_spend,
               sum(amount) / count(DISTINCT CAST(order_date AS DATE)) AS mean_spend
        FROM tx
        WHERE customer_id IS NOT NULL
        GROUP BY customer_id
    """,
    "two_stage": """
        WITH days AS (
            SELECT customer_id, CAST(order_date AS DATE) AS day,
                   min(order_date) AS first_ts, max(order_date) AS last_ts, sum(amount) AS spend
            FROM tx
            WHERE customer_id IS NOT NULL
            GROUP BY customer_id, day
        )
        SELECT customer_id,
               min(first_ts) AS first_purchase,
               max(last_ts) AS last_purchase,
               count(*) AS purchase_days,
               sum(spend) AS total_spend,
               sum(spend) / count(*) AS mean_spend
        FROM days
        GROUP BY customer_id
    """,
}


def _emit(payload: dict) -> None:
    print(json.dumps(payload, default=str), flush=True)


# --- ingest -----------------------------------------------------------------------


def ingest(data: bytes, filename: str):
    """`ingest_file(data, filename, "transactions")`, past the app's upload size limit if need be.

    `ingest_file` refuses files over `read.DEFAULT_MAX_BYTES` (500 MiB, the app's
    upload limit); a realistic 10M-row file is larger. Then the limit is raised to
    the file's size (the same code path otherwise: the file is streamed in chunks).
    """
    import core.ingest as ci
    from bench.generate import TODAY
    from core.ingest.read import DEFAULT_MAX_BYTES

    over = len(data) > DEFAULT_MAX_BYTES
    limit = max(len(data), DEFAULT_MAX_BYTES)
    return ci.ingest_file(data, filename, "transactions", today=TODAY, max_bytes=limit), over


def baseline_read(data: bytes) -> float:
    """Seconds for `pandas.read_csv(engine="pyarrow", dtype=str)` of the same bytes: a yardstick.

    Measured in the same process right after the ingest, so that a busy machine
    slows both alike and their ratio stays meaningful.
    """
    import io

    t = time.perf_counter()
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, engine="pyarrow")
    elapsed = time.perf_counter() - t
    del frame
    return elapsed


def run_ingest(csv: Path, save: Path | None, breakdown: bool) -> dict:
    timers = _install_timers() if breakdown else None
    # Warm-up on a few lines: lazy imports and regex compilation happen once per
    # app process, not once per upload.
    with open(csv, "rb") as handle:
        head = b"".join(handle.readline() for _ in range(200))
    ingest(head, csv.name)
    if timers is not None:
        timers.clear()
    gc.collect()

    load = os.getloadavg()[0]
    with PeakMemory() as memory:
        t0 = time.perf_counter()
        data = csv.read_bytes()  # the upload: the app holds these bytes too
        t1 = time.perf_counter()
        c1 = os.times()
        result, over_limit = ingest(data, csv.name)
        t2 = time.perf_counter()
        c2 = os.times()
    if result.problem is not None:
        raise SystemExit(f"ingest failed: {result.problem}")
    report = result.report
    table = result.table
    baseline_s = baseline_read(data) if len(data) < 2**30 else None
    out = {
        "csv_bytes": len(data),
        "read_file_s": t1 - t0,
        "ingest_s": t2 - t1,
        "cpu_s": (c2.user - c1.user) + (c2.system - c1.system),
        "load_average": load,
        "rows_read": report.rows_read,
        "rows_kept": report.rows_kept,
        "set_aside": report.set_aside,
        "balanced": report.balanced,
        "peak_bytes": memory.peak,
        "retained_bytes": memory.after,
        "table_bytes": int(table.memory_usage(deep=True).sum()),
        "memory_method": memory.method,
        "over_upload_limit": over_limit,
        "baseline_read_csv_s": baseline_s,
    }
    if timers is not None:
        out["breakdown"] = dict(timers)
    if save is not None:
        save.parent.mkdir(parents=True, exist_ok=True)
        tmp = save.with_suffix(".tmp")
        table.to_parquet(tmp)
        tmp.replace(save)
    return out


def _install_timers() -> dict[str, float]:
    """Wrap the ingest steps (in this process only) to time them.

    Names that core no longer has are skipped, so the breakdown survives refactoring.
    A step's time includes the steps it calls (shown indented under it).
    """
    import core.ingest.build as build
    import core.ingest.load as load

    timers: dict[str, float] = {}

    def wrap(module, name: str, label: str) -> None:
        original = getattr(module, name, None)
        if original is None or not callable(original):
            return

        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timers[label] = timers.get(label, 0.0) + time.perf_counter() - t

        setattr(module, name, timed)

    import core.ingest.stream as stream

    wrap(load, "open_stream", "open_stream")
    wrap(load, "read_raw", "read_raw (fallback)")
    wrap(load, "guess_mapping", "guess_mapping")
    wrap(load, "build_from_source", "build_from_source")
    for name in ("add", "finish", "overturned"):
        wrap(build._Builder, name, f"build_from_source > {name}")
    wrap(stream.StreamSource, "_next", "build_from_source > read a block (pyarrow)")
    wrap(build, "_hash_rows", "build_from_source > add > _hash_rows")
    for name in ("trim_ids", "clean_text", "parse_dates", "parse_numbers", "formula_like"):
        wrap(build, name, f"build_from_source > add > {name}")
    for name in ("_finish_types", "_fingerprint"):
        wrap(build, name, f"build_from_source > finish > {name}")
    return timers


# --- upload page ------------------------------------------------------------------


def run_upload(csv: Path) -> dict:
    """The Upload page's path, driven through AppTest: the file set on the uploader (the page
    reads it and shows the mapping), then "Use this file".

    Peak RSS of each step above the post-warm-up baseline (the CSV's bytes included, as
    for `ingest`), and what stays resident after each: while the user maps columns the
    page holds whatever it keeps between reruns.
    """
    from streamlit.testing.v1 import AppTest

    from tests.app.apptest import APP

    def cpu() -> float:
        times = os.times()
        return times.user + times.system

    def upload(name: str, data: bytes) -> tuple[AppTest, float, float]:
        at = AppTest.from_file(APP, default_timeout=900)
        at.run()
        at.switch_page("app_pages/upload.py").run()
        t, c = time.perf_counter(), cpu()
        at.file_uploader(key="upload_transactions").set_value((name, data, "text/csv")).run()
        return at, time.perf_counter() - t, cpu() - c

    def use(at: AppTest) -> tuple[float, float]:
        button = next(b for b in at.button if b.key and b.key.startswith("use_transactions_"))
        t, c = time.perf_counter(), cpu()
        button.click().run()
        return time.perf_counter() - t, cpu() - c

    with open(csv, "rb") as handle:
        head = b"".join(handle.readline() for _ in range(200))
    at, *_ = upload(csv.name, head)  # warm-up: imports, the page's first run
    use(at)
    del at
    gc.collect()
    load = os.getloadavg()[0]
    # Two steps, each with the high-water mark reset at its start, both against the
    # RSS before the first (PeakMemory's method, kept across the steps).
    with PeakMemory() as step:
        baseline = step.baseline
        data = csv.read_bytes()  # the upload: the app holds these bytes too
        at, map_s, map_cpu = upload(csv.name, data)
    if at.exception:
        raise SystemExit(f"upload page failed: {at.exception}")
    map_peak, held = step.peak, step.after
    t, c = time.perf_counter(), cpu()
    at.run()  # a rerun with nothing changed while the user maps columns
    rerun_s, rerun_cpu = time.perf_counter() - t, cpu() - c
    with PeakMemory() as step:
        load_s, load_cpu = use(at)
    load_peak = step.peak + step.baseline - baseline
    retained = step.after + step.baseline - baseline
    loaded = at.session_state["tables"]["transactions"]
    return {
        "csv_bytes": len(data),
        "rows_read": loaded.report.rows_read,
        "rows_kept": loaded.report.rows_kept,
        "map_s": map_s,
        "load_s": load_s,
        "map_cpu_s": map_cpu,
        "rerun_s": rerun_s,
        "rerun_cpu_s": rerun_cpu,
        "load_cpu_s": load_cpu,
        "load_average": load,
        "peak_bytes": max(map_peak, load_peak),
        "map_peak_bytes": map_peak,
        "held_while_mapping_bytes": held,
        "load_peak_bytes": load_peak,
        "retained_bytes": retained,
        "memory_method": step.method,
    }


# --- summary ----------------------------------------------------------------------


def load_table(parquet: Path, customers_share: float = 1.0) -> pd.DataFrame:
    table = pd.read_parquet(parquet)
    if customers_share < 1.0:
        # Complete histories of a share of the customers: same per-customer shape, fewer rows.
        codes = table["customer_id"].cat.codes.to_numpy()
        keep = codes < int(len(table["customer_id"].cat.categories) * customers_share)
        table = table[keep].reset_index(drop=True)
        table["customer_id"] = table["customer_id"].cat.remove_unused_categories()
    return table


def summary_function(method: str):
    if method == "ours":
        from core.summary import customer_summary

        return customer_summary
    if method.startswith("duckdb_"):
        import duckdb

        query = DUCKDB_QUERIES[method.removeprefix("duckdb_")]
        connection = duckdb.connect()

        def duck(table: pd.DataFrame) -> pd.DataFrame:
            connection.register("tx", table)
            try:
                return connection.execute(query).df()
            finally:
                connection.unregister("tx")

        return duck
    if method == "lifetimes":
        from lifetimes.utils import summary_data_from_transaction_data

        def lifetimes_summary(table: pd.DataFrame, **kwargs) -> pd.DataFrame:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return summary_data_from_transaction_data(
                    table,
                    "customer_id",
                    "order_date",
                    monetary_value_col="amount",
                    observation_period_end=table["order_date"].max(),
                    **kwargs,
                )

        return lifetimes_summary
    raise SystemExit(f"unknown method {method}")


def run_summary(parquet: Path, method: str, repeat: int, customers_share: float) -> dict:
    table = load_table(parquet, customers_share)
    function = summary_function(method)
    function(table.head(10_000))  # warm-up: imports, first-call set-up
    gc.collect()
    times, cpu = [], []
    load = os.getloadavg()[0]
    with PeakMemory() as memory:
        for _ in range(repeat):
            t, c = time.perf_counter(), os.times()
            result = function(table)
            times.append(time.perf_counter() - t)
            c2 = os.times()
            cpu.append((c2.user - c.user) + (c2.system - c.system))
            del result
    return {
        "method": method,
        "rows": len(table),
        "customers": int(table["customer_id"].nunique()),
        "times_s": times,
        "best_s": min(times),
        "cpu_s": cpu,
        "load_average": load,
        "peak_bytes": memory.peak,
        "table_bytes": int(table.memory_usage(deep=True).sum()),
        "memory_method": memory.method,
        "duckdb_threads": _duckdb_threads() if method.startswith("duckdb_") else None,
    }


def _duckdb_threads() -> int:
    import duckdb

    return int(duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0])


# --- verify -----------------------------------------------------------------------


def run_verify(parquet: Path) -> dict:
    """Do ours, DuckDB and lifetimes agree on purchase days, totals, first and last purchase?"""
    table = load_table(parquet)
    ours = summary_function("ours")(table)
    ours.index = ours.index.astype(str)
    checks: list[str] = []
    mismatch = None

    # DuckDB: every column, to the nanosecond / to rounding.
    duck = summary_function("duckdb_count_distinct")(table)
    duck = duck.assign(customer_id=duck["customer_id"].astype(str)).set_index("customer_id")
    mismatch = mismatch or _compare_index("ours", ours.index, "duckdb", duck.index)
    if mismatch is None:
        duck = duck.loc[ours.index]
        for column in ("first_purchase", "last_purchase"):
            mismatch = mismatch or _compare(
                ours[column].astype("datetime64[ns]"),
                duck[column].astype("datetime64[ns]"),
                column,
                "duckdb",
            )
        mismatch = mismatch or _compare(
            ours["purchase_days"], duck["purchase_days"].astype(np.int64), "purchase_days", "duckdb"
        )
        for column in ("total_spend", "mean_spend"):
            mismatch = mismatch or _compare(
                ours[column], duck[column], column, "duckdb", tolerance=True
            )
    checks.append("duckdb: first/last purchase, purchase days, total and mean spend")

    # lifetimes (as benchmarked): frequency = purchase days - 1, recency and T in days.
    lifetimes = summary_function("lifetimes")
    lt = lifetimes(table)
    lt.index = lt.index.astype(str)
    mismatch = mismatch or _compare_index("ours", ours.index, "lifetimes", lt.index)
    if mismatch is None:
        lt = lt.loc[ours.index]
        end_day = table["order_date"].max().floor("D")
        first_day = ours["first_purchase"].dt.floor("D")
        last_day = ours["last_purchase"].dt.floor("D")
        mismatch = mismatch or _compare(
            ours["purchase_days"] - 1,
            lt["frequency"].astype(np.int64),
            "purchase_days - 1 vs frequency",
            "lifetimes",
        )
        mismatch = mismatch or _compare(
            (end_day - first_day).dt.days.astype(np.int64),
            lt["T"].astype(np.int64),
            "first purchase (as T)",
            "lifetimes",
        )
        mismatch = mismatch or _compare(
            (last_day - first_day).dt.days.astype(np.int64),
            lt["recency"].astype(np.int64),
            "last purchase (as recency)",
            "lifetimes",
        )
    checks.append("lifetimes: frequency+1 = purchase days, T and recency = first/last purchase day")

    # lifetimes with the first purchase included: its monetary value is our mean spend,
    # frequency x monetary value our total.
    lt_all = lifetimes(table, include_first_transaction=True)
    lt_all.index = lt_all.index.astype(str)
    if mismatch is None:
        lt_all = lt_all.loc[ours.index]
        mismatch = mismatch or _compare(
            ours["purchase_days"],
            lt_all["frequency"].astype(np.int64),
            "purchase_days",
            "lifetimes(include_first)",
        )
        mismatch = mismatch or _compare(
            ours["mean_spend"],
            lt_all["monetary_value"],
            "mean_spend",
            "lifetimes(include_first)",
            tolerance=True,
        )
        mismatch = mismatch or _compare(
            ours["total_spend"],
            lt_all["monetary_value"] * lt_all["frequency"],
            "total_spend",
            "lifetimes(include_first)",
            tolerance=True,
        )
    checks.append("lifetimes(include_first_transaction=True): purchase days, mean and total spend")
    return {
        "rows": len(table),
        "customers": len(ours),
        "agree": mismatch is None,
        "mismatch": mismatch,
        "checks": checks,
    }


def _compare_index(a_name: str, a: pd.Index, b_name: str, b: pd.Index) -> str | None:
    only_a, only_b = a.difference(b), b.difference(a)
    if len(only_a) or len(only_b) or a.has_duplicates or b.has_duplicates:
        return f"customer sets differ: {len(only_a)} only in {a_name} (e.g. {list(only_a[:3])}), {len(only_b)} only in {b_name} (e.g. {list(only_b[:3])})"
    return None


def _compare(
    ours: pd.Series, other: pd.Series, what: str, other_name: str, tolerance: bool = False
) -> str | None:
    a, b = ours.to_numpy(), other.to_numpy()
    same = np.isclose(a, b, rtol=1e-9, atol=1e-6) if tolerance else a == b
    if same.all():
        return None
    i = int(np.flatnonzero(~same)[0])
    return f"{what}: customer {ours.index[i]} ours={a[i]} {other_name}={b[i]} ({int((~same).sum())} customers differ)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("csv", type=Path)
    p.add_argument("--save", type=Path)
    p.add_argument("--breakdown", action="store_true")
    p = sub.add_parser("upload")
    p.add_argument("csv", type=Path)
    p = sub.add_parser("summary")
    p.add_argument("parquet", type=Path)
    p.add_argument("method")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--customers-share", type=float, default=1.0)
    p = sub.add_parser("verify")
    p.add_argument("parquet", type=Path)
    args = parser.parse_args(argv)
    if args.command == "ingest":
        _emit(run_ingest(args.csv, args.save, args.breakdown))
    elif args.command == "upload":
        _emit(run_upload(args.csv))
    elif args.command == "summary":
        _emit(run_summary(args.parquet, args.method, args.repeat, args.customers_share))
    else:
        _emit(run_verify(args.parquet))


if __name__ == "__main__":
    main(sys.argv[1:])
