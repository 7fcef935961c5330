"""Benchmarks: ingest and per-customer summary on generated transaction files of 1M and 10M rows.

    python -m bench.run                      # 1M and 10M rows (make bench)
    python -m bench.run --rows 1000000       # one size
    python -m bench.run --quick              # 200k rows, under a minute: a smoke check
    python -m bench.run --rows 1000000 --upload   # also the Upload page's path (AppTest)

They print figures and PASS/FAIL against the targets; they are not unit tests and
never fail the build. Every measurement runs in a fresh child process
(`bench.child`) so its peak memory is its own; see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import ensure_csv

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MB = 1024 * 1024

# Targets (from the issue).
INGEST_1M_SECONDS = 3.0  # ingest of 1M rows, this 2-core machine
PEAK_TIMES_CSV = 4.0  # peak memory < 4x the CSV's size
LIFETIMES_OVER_OURS = 5.0  # 10M-row summary at least 5x faster than lifetimes
OURS_OVER_DUCKDB = 1.5  # ... and at most 1.5x DuckDB's time
TARGET_SUMMARY_ROWS = 10_000_000

DEFAULT_ROWS = (1_000_000, 10_000_000)
QUICK_ROWS = (200_000,)
DUCKDB_METHODS = ("duckdb_count_distinct", "duckdb_two_stage")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--rows", type=int, nargs="+", help="file sizes in rows (default 1000000 10000000)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="200k rows only: a smoke check in under a minute"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per summary method, best taken (lifetimes: 1)"
    )
    parser.add_argument(
        "--ingest-repeat",
        type=int,
        default=None,
        help="fresh-process ingest runs per size, best time taken (default 3 up to 2M rows, else 1)",
    )
    parser.add_argument(
        "--lifetimes-budget",
        type=float,
        default=300.0,
        help="seconds lifetimes may take on the largest size; above it, measure 1M and 2M and extrapolate",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time the ingest steps (one extra run per size)",
    )
    parser.add_argument(
        "--upload",
        action="store_true",
        help="also load each file (within the upload limit) through the Upload page with AppTest:"
        " peak memory while mapping and loading",
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="where generated files and results go (git-ignored)"
    )
    args = parser.parse_args(argv)
    sizes = sorted(set(args.rows or (QUICK_ROWS if args.quick else DEFAULT_ROWS)))
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    started = datetime.now(UTC)
    results: dict = {
        "started": started.isoformat(timespec="seconds"),
        "machine": _machine(),
        "sizes": sizes,
    }
    _header(results["machine"], started)

    # 1. Data --------------------------------------------------------------------
    _title(f"Generated data (seeded; cached in {_rel(out)})")
    csvs: dict[int, Path] = {}
    for rows in sizes:
        t = time.perf_counter()
        path, generated = ensure_csv(out, rows)
        note = f"generated in {time.perf_counter() - t:.1f} s" if generated else "cached"
        csvs[rows] = path
        print(f"  {rows:>11,} rows  {path.stat().st_size / MB:9.1f} MB  {_rel(path)}  ({note})")

    # 2. Ingest ------------------------------------------------------------------
    _title(
        "Ingest: ingest_file(bytes) = read + map + coerce + quality report (fresh process per run)"
    )
    ingest: dict[int, dict] = {}
    for rows in sizes:
        repeat = args.ingest_repeat or (3 if rows <= 2_000_000 else 1)
        runs = []
        for i in range(repeat):
            save = _table_path(out, rows) if i == 0 else None
            runs.append(_child("ingest", str(csvs[rows]), *(["--save", str(save)] if save else [])))
        best = min(runs, key=lambda r: r["ingest_s"])
        best["all_ingest_s"] = [r["ingest_s"] for r in runs]
        best["peak_bytes_max"] = max(r["peak_bytes"] for r in runs)
        yardsticks = [r["baseline_read_csv_s"] for r in runs if r.get("baseline_read_csv_s")]
        best["baseline_best_s"] = min(yardsticks) if yardsticks else None
        ingest[rows] = best
        _print_ingest(rows, best)
        if args.breakdown:
            detail = _child("ingest", str(csvs[rows]), "--breakdown")
            best["breakdown"] = detail["breakdown"]
            print(f"    step times (one extra run, {detail['ingest_s']:.2f} s in all):")
            for step, seconds in detail["breakdown"].items():
                print(f"      {seconds:7.3f} s  {step}")
    results["ingest"] = ingest
    if args.upload:
        results["upload"] = _upload_page(csvs)

    # 3. Summary -----------------------------------------------------------------
    _title("Per-customer summary on the ingested table (fresh process per method)")
    print(
        f"  ours    = core.summary.customer_summary(table), best of {args.repeat}\n"
        f"  duckdb  = GROUP BY customer_id on the same DataFrame, result as a DataFrame, best of {args.repeat}\n"
        "            (count_distinct: count(DISTINCT day); two_stage: by (customer, day) then customer)\n"
        "  lifetimes = lifetimes.utils.summary_data_from_transaction_data(table, 'customer_id',\n"
        "            'order_date', monetary_value_col='amount', observation_period_end=max date), once"
    )
    summary: dict[int, dict] = {}
    for rows in sizes:
        parquet = _table_path(out, rows)
        entry: dict = {}
        entry["ours"] = _child("summary", str(parquet), "ours", "--repeat", str(args.repeat))
        for method in DUCKDB_METHODS:
            entry[method] = _child("summary", str(parquet), method, "--repeat", str(args.repeat))
        summary[rows] = entry
    _lifetimes(summary, sizes, csvs, out, args)
    for rows in sizes:
        _print_summary(rows, summary[rows], csvs[rows].stat().st_size)
    results["summary"] = summary

    # 4. Agreement ---------------------------------------------------------------
    check_rows = 1_000_000 if 1_000_000 in sizes else sizes[0]
    _title(f"Do ours, DuckDB and lifetimes agree? ({check_rows:,} rows)")
    verdict = _child("verify", str(_table_path(out, check_rows)))
    for check in verdict["checks"]:
        print(f"  checked  {check}")
    print("  results agree" if verdict["agree"] else f"  MISMATCH (first): {verdict['mismatch']}")
    results["verify"] = verdict

    # 5. Verdict -----------------------------------------------------------------
    verdicts = _verdicts(results, csvs)
    _title("Targets")
    for line in verdicts:
        print("  " + line)
    finished = datetime.now(UTC)
    results["finished"] = finished.isoformat(timespec="seconds")
    results["verdicts"] = verdicts
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    path = out / f"results-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nFigures saved to {_rel(path)}; {(finished - started).total_seconds():.0f} s in all.")
    return 0


# --- upload page ----------------------------------------------------------------


def _upload_page(csvs: dict[int, Path]) -> dict[int, dict]:
    """The Upload page's path for each file within the app's upload limit (bench.child upload)."""
    from core.ingest.read import DEFAULT_MAX_BYTES

    _title("Upload page: file set on the uploader, then 'Use this file' (AppTest, fresh process)")
    measured: dict[int, dict] = {}
    for rows, path in csvs.items():
        if path.stat().st_size > DEFAULT_MAX_BYTES:
            print(f"  {rows:,} rows: over the upload limit, not measured")
            continue
        r = _child("upload", str(path))
        measured[rows] = r
        csv = r["csv_bytes"]
        print(f"\n  {rows:,} rows ({csv / MB:.1f} MB CSV), load average {r['load_average']:.2f}")
        print(
            f"    mapping   peak {r['map_peak_bytes'] / MB:,.0f} MB, held while the user maps"
            f" {r['held_while_mapping_bytes'] / MB:,.0f} MB (incl. the CSV's bytes);"
            f" {r['map_s']:.2f} s ({r['map_cpu_s']:.2f} s CPU)"
        )
        print(
            f"    rerun     with nothing changed {r['rerun_s']:.2f} s ({r['rerun_cpu_s']:.2f} s CPU)"
        )
        print(
            f"    loading   peak {r['load_peak_bytes'] / MB:,.0f} MB = {r['load_peak_bytes'] / csv:.1f}x CSV;"
            f" {r['load_s']:.2f} s ({r['load_cpu_s']:.2f} s CPU); {r['retained_bytes'] / MB:,.0f} MB"
            f" resident after (the table, the session); rows kept {r['rows_kept']:,} of {r['rows_read']:,}"
        )
    return measured


# --- lifetimes ------------------------------------------------------------------


def _lifetimes(
    summary: dict, sizes: list[int], csvs: dict, out: Path, args: argparse.Namespace
) -> None:
    """Measure lifetimes on every size, unless the largest would exceed the budget: then 1M, 2M and extrapolate."""
    smallest = sizes[0]
    first = _child("summary", str(_table_path(out, smallest)), "lifetimes", "--repeat", "1")
    summary[smallest]["lifetimes"] = first
    for rows in sizes[1:]:
        # lifetimes sorts and groups: a little worse than linear. Estimate with n log n.
        estimate = first["best_s"] * _nlogn(rows) / _nlogn(first["rows"])
        if estimate <= args.lifetimes_budget:
            summary[rows]["lifetimes"] = _child(
                "summary", str(_table_path(out, rows)), "lifetimes", "--repeat", "1"
            )
            continue
        print(
            f"  lifetimes on {rows:,} rows would take about {estimate:.0f} s (> budget {args.lifetimes_budget:.0f} s):"
            " measuring 1M and 2M rows and extrapolating"
        )
        points = []
        for small in (1_000_000, 2_000_000):
            table = _table_path(out, small)
            if small not in sizes:  # not ingested in this run: ingest it now (not reported)
                path, _ = ensure_csv(out, small)
                _child("ingest", str(path), "--save", str(table))
            points.append(_child("summary", str(table), "lifetimes", "--repeat", "1"))
        (n1, t1), (n2, t2) = ((p["rows"], p["best_s"]) for p in points)
        exponent = math.log(t2 / t1) / math.log(n2 / n1)
        kept = summary[rows]["ours"]["rows"]
        summary[rows]["lifetimes"] = {
            "method": "lifetimes",
            "extrapolated": True,
            "measured": points,
            "exponent": exponent,
            "rows": kept,
            "best_s": t2 * (kept / n2) ** exponent,
            "peak_bytes": None,
        }


def _nlogn(n: int) -> float:
    return n * math.log(max(n, 2))


# --- printing -------------------------------------------------------------------


def _print_ingest(rows: int, r: dict) -> None:
    csv = r["csv_bytes"]
    peak = r["peak_bytes_max"]
    aside = ", ".join(f"{k} {v:,}" for k, v in r["set_aside"].items()) or "none"
    times = " / ".join(f"{t:.2f}" for t in r["all_ingest_s"])
    print(f"\n  {rows:,} rows ({csv / MB:.1f} MB CSV)")
    print(
        f"    rows read {r['rows_read']:,}, kept {r['rows_kept']:,}; set aside: {aside}; balanced: {r['balanced']}"
    )
    print(
        f"    time      {r['ingest_s']:.2f} s (best of {len(r['all_ingest_s'])}: {times} s)  "
        f"= {r['rows_read'] / r['ingest_s']:,.0f} rows/s   [+ {r['read_file_s']:.2f} s reading the file]"
    )
    print(
        f"    cpu       {r['cpu_s']:.2f} s user+sys in that run (pyarrow's CSV reader uses both cores);"
        f" 1-min load average before it {r['load_average']:.2f}"
    )
    print(
        f"    peak mem  {peak / MB:,.0f} MB above the post-import baseline, incl. the {csv / MB:.0f} MB of CSV bytes"
        f" = {peak / csv:.1f}x CSV  (ingest alone {max(peak - csv, 0) / MB:,.0f} MB = {max(peak - csv, 0) / csv:.1f}x)"
    )
    print(
        f"    after     {r['retained_bytes'] / MB:,.0f} MB still resident (table itself {r['table_bytes'] / MB:,.0f} MB);"
        f" memory by {r['memory_method']}"
    )
    if r.get("baseline_best_s"):
        base = r["baseline_best_s"]
        print(
            f"    yardstick pandas.read_csv(engine='pyarrow', dtype=str) of the same bytes, in each run's"
            f" process after the ingest: best {base:.2f} s; ingest / read_csv = {r['ingest_s'] / base:.1f}x"
        )
    if r.get("over_upload_limit"):
        print(
            "    note      the file is over the app's 500 MiB upload limit (core.ingest.read.DEFAULT_MAX_BYTES):"
            " ingest_file(max_bytes=size) was timed (the same streamed path)"
        )
    if rows == 1_000_000:
        print(
            f"    target    1M rows < {INGEST_1M_SECONDS:.0f} s: {_pf(r['ingest_s'] < INGEST_1M_SECONDS)};"
            f" peak < {PEAK_TIMES_CSV:.0f}x CSV: {_pf(peak < PEAK_TIMES_CSV * csv)}"
        )
    else:
        pro_rata = INGEST_1M_SECONDS * rows / 1_000_000
        print(
            f"    target    (time target is for 1M rows; pro rata {pro_rata:.1f} s here: "
            f"{_pf(r['ingest_s'] < pro_rata)}); peak < {PEAK_TIMES_CSV:.0f}x CSV: {_pf(peak < PEAK_TIMES_CSV * csv)}"
        )


def _print_summary(rows: int, entry: dict, csv_bytes: int) -> None:
    ours = entry["ours"]
    print(f"\n  {rows:,}-row file: {ours['rows']:,} kept lines, {ours['customers']:,} customers")
    for name in ("ours", *DUCKDB_METHODS, "lifetimes"):
        r = entry.get(name)
        if r is None:
            continue
        if r.get("extrapolated"):
            pts = ", ".join(f"{p['rows']:,} rows {p['best_s']:.2f} s" for p in r["measured"])
            print(
                f"    {name:<22} ~{r['best_s']:8.2f} s  EXTRAPOLATED (t ~ n^{r['exponent']:.2f}) from measured: {pts}"
            )
            continue
        times = " / ".join(f"{t:.3f}" for t in r["times_s"])
        threads = f"  threads={r['duckdb_threads']}" if r.get("duckdb_threads") else ""
        print(
            f"    {name:<22} {r['best_s']:8.3f} s  (runs {times}; cpu {min(r['cpu_s']):.3f} s;"
            f" load {r['load_average']:.1f})  peak {r['peak_bytes'] / MB:5.0f} MB"
            f" = {r['peak_bytes'] / csv_bytes:.2f}x CSV{threads}"
        )
    duck = _best_duckdb(entry)
    lt = entry.get("lifetimes")
    if lt is not None:
        label = " (lifetimes time EXTRAPOLATED)" if lt.get("extrapolated") else ""
        ratio = lt["best_s"] / ours["best_s"]
        target = (
            f"target >= {LIFETIMES_OVER_OURS:g}: {_pf(ratio >= LIFETIMES_OVER_OURS)}"
            if rows == TARGET_SUMMARY_ROWS
            else "for information"
        )
        print(f"    lifetimes / ours       = {ratio:8.1f}x   {target}{label}")
    ratio = ours["best_s"] / duck["best_s"]
    target = (
        f"target <= {OURS_OVER_DUCKDB:g}: {_pf(ratio <= OURS_OVER_DUCKDB)}"
        if rows == TARGET_SUMMARY_ROWS
        else "for information"
    )
    print(
        f"    ours / duckdb          = {ratio:8.2f}x   {target}  (vs the faster query, {duck['method']})"
    )


def _best_duckdb(entry: dict) -> dict:
    return min((entry[m] for m in DUCKDB_METHODS), key=lambda r: r["best_s"])


def _verdicts(results: dict, csvs: dict) -> list[str]:
    lines = []
    ingest, summary = results["ingest"], results["summary"]
    if 1_000_000 in ingest:
        t = ingest[1_000_000]["ingest_s"]
        lines.append(
            f"{_pf(t < INGEST_1M_SECONDS)}  ingest 1M rows in {t:.2f} s (target < {INGEST_1M_SECONDS:g} s)"
        )
    else:
        for rows, r in ingest.items():
            pro_rata = INGEST_1M_SECONDS * rows / 1_000_000
            lines.append(
                f"{_pf(r['ingest_s'] < pro_rata)}  ingest {rows:,} rows in {r['ingest_s']:.2f} s "
                f"(target for 1M is {INGEST_1M_SECONDS:g} s; pro rata {pro_rata:.2f} s)"
            )
    for rows, r in ingest.items():
        x = r["peak_bytes_max"] / r["csv_bytes"]
        lines.append(
            f"{_pf(x < PEAK_TIMES_CSV)}  ingest {rows:,} rows peak memory {x:.1f}x CSV (target < {PEAK_TIMES_CSV:g}x)"
        )
    for rows, entry in summary.items():
        peak = max(entry[m]["peak_bytes"] for m in ("ours",))
        x = peak / csvs[rows].stat().st_size
        lines.append(
            f"{_pf(x < PEAK_TIMES_CSV)}  summary {rows:,} rows peak memory {x:.2f}x CSV (target < {PEAK_TIMES_CSV:g}x)"
        )
    target_rows = TARGET_SUMMARY_ROWS if TARGET_SUMMARY_ROWS in summary else max(summary)
    note = (
        ""
        if target_rows == TARGET_SUMMARY_ROWS
        else f" [targets are for 10M rows; shown for {target_rows:,}]"
    )
    entry = summary[target_rows]
    ours, duck, lt = entry["ours"], _best_duckdb(entry), entry.get("lifetimes")
    if lt is not None:
        ratio = lt["best_s"] / ours["best_s"]
        extra = " (lifetimes EXTRAPOLATED)" if lt.get("extrapolated") else ""
        lines.append(
            f"{_pf(ratio >= LIFETIMES_OVER_OURS)}  summary: lifetimes / ours = {ratio:.1f}x (target >= {LIFETIMES_OVER_OURS:g}){extra}{note}"
        )
    ratio = ours["best_s"] / duck["best_s"]
    lines.append(
        f"{_pf(ratio <= OURS_OVER_DUCKDB)}  summary: ours / duckdb = {ratio:.2f}x (target <= {OURS_OVER_DUCKDB:g}){note}"
    )
    verify = results["verify"]
    lines.append(
        f"{_pf(verify['agree'])}  ours, DuckDB and lifetimes agree on {verify['rows']:,} rows"
        + ("" if verify["agree"] else f": {verify['mismatch']}")
    )
    return lines


# --- plumbing -------------------------------------------------------------------


def _child(*args: str) -> dict:
    """Run one measurement in a fresh interpreter and return the JSON it printed last."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bench.child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"benchmark child failed: bench.child {' '.join(args)}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _table_path(out: Path, rows: int) -> Path:
    # Written by the first ingest run of each benchmark: always today's ingest output.
    return out / f"table_{rows}.parquet"


def _machine() -> dict:
    import duckdb
    import lifetimes
    import numpy
    import pandas
    import pyarrow

    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        mem = 0
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(mem / 1024**3, 1),
        "cpu": _cpu_name(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "numpy": numpy.__version__,
        "pyarrow": pyarrow.__version__,
        "duckdb": duckdb.__version__,
        "lifetimes": lifetimes.__version__,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _header(machine: dict, started: datetime) -> None:
    print(f"Customer Lens benchmarks, {started:%Y-%m-%d %H:%M} UTC")
    print(
        f"  {machine['cpus']} CPUs ({machine['cpu']}), {machine['memory_gb']} GB RAM, load average "
        f"{' '.join(f'{x:.2f}' for x in machine['load_average_at_start'] or ())}"
    )
    print(
        f"  Python {machine['python']}, pandas {machine['pandas']}, numpy {machine['numpy']}, pyarrow "
        f"{machine['pyarrow']}, duckdb {machine['duckdb']}, lifetimes {machine['lifetimes']}"
    )


def _title(text: str) -> None:
    print(f"\n== {text}")


def _pf(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
