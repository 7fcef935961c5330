"""The analysis pages driven through Streamlit's AppTest: how long a person waits on each.

    python -m bench.bench_pages                            # every page, demo and large data, 20 changes
    python -m bench.bench_pages --data large --large-rows 2000000 --upload-rows 0
    python -m bench.bench_pages --pages clv,retention --data demo --changes 5
    python -m bench.bench_pages --tree /tmp/before         # the pages of another checkout
    python -m bench.bench_pages --compare /tmp/before      # that checkout, then this one, row by row

For every analysis page (issue 14, "Speed") it prints, in seconds of wall-clock time:

- cold: the first render of the page in a new session with nothing cached (a fresh
  process: no shared demo results, no session results; the modules the app and the page
  import are imported first and the tables are already loaded, both untimed);
- shared: the first render once the shared derived tables exist (orders, RFM, lifecycle
  stages and per-customer features computed through ui.common's helpers first, the way
  another page would have; the page's own results not cached);
- 2nd: a second session opening the page on the demo (two AppTests in one process share
  Streamlit's cache_resource, hence the shared store of demo results);
- rerun: a rerun with nothing changed (median of 3);
- what-if p50 / p95 (n): reruns after changing the page's What-if widget n times;
- main new / back: reruns after changing the page's main control to a new value, then back.

and, for the large data, the time from a 1M-line upload on the Upload page (file set,
"Use this file") to each page's first render, in a new session per page.

AppTest reruns the whole script on a widget change, also when the widget lives in an
`st.fragment`; the What-if figures are therefore full reruns, an upper bound of what the
browser waits for. Each page runs in its own Python process (`nice` the whole run on a
shared machine); wall times depend on the machine's load, printed at the start and end and
per page, and the CPU time of the page's process is printed as well.

Data: the demo (sample_data/) and "large": a generated transactions file of 2.5M lines and
100k customers (bench/generate.py: rows / 20 ids, about 80% of them buying) plus a campaign table of 100k recipients
(bench/bench_campaign.py), cached under bench/out/ (git-ignored) and read by the measured
checkout's own `ingest_file`. There is no generator of feedback at that size: Voice of the
customer is measured on the demo only.

Not a test: nothing here fails a build (tests/test_bench_pages.py runs the smallest mode
to prove the benchmark runs).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
RESULT_MARK = "BENCH_PAGES_RESULT "

# bench/generate.py draws rows / 20 customer ids, of which about 80% buy: 2.5M lines give
# 100k customers (the "100k customers / 2M lines"; 2M lines would give 80k).
LARGE_ROWS = 2_500_000
CAMPAIGN_ROWS = 100_000
UPLOAD_ROWS = 1_000_000

# Targets of issue 14 (seconds).
TARGET_WHATIF_P95 = 0.2
TARGET_MAIN = 1.0
TARGET_SHARED_FIRST = 3.0
TARGET_SECOND_SESSION = 1.0
TARGET_UPLOAD_READY = 10.0

RERUNS = 3  # reruns with nothing changed, median taken
RUN_TIMEOUT = 600.0  # one AppTest run (model fits run in the script)


# ---------------------------------------------------------------------------------------
# Which widgets: read off the pages and their tests at ce3c7c3 (the commit before the page
# refactors). Page helpers keep widget keys stable; a key that is gone prints
# "widget <key> not found" for that figure.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """A widget found by key, and the values to set on it, in order.

    `values` is a fixed tuple, or a function of the widget as found (for a number input
    whose default depends on the data). Values equal to the widget's current value are
    skipped; a What-if series cycles through the rest.
    """

    kind: str  # AppTest accessor: slider, number_input, selectbox, radio, segmented_control
    key: str
    values: tuple[Any, ...] | Callable[[Any], list[Any]]
    described: str = ""

    def candidates(self, widget: Any) -> list[Any]:
        values = self.values(widget) if callable(self.values) else list(self.values)
        return [v for v in values if v != widget.value]

    def describe(self) -> str:
        if self.described:
            return self.described
        shown = ", ".join(str(v) for v in self.values[:6])  # type: ignore[index]
        more = len(self.values) > 6  # type: ignore[arg-type]
        return shown + (f", ... ({len(self.values)} values)" if more else "")  # type: ignore[arg-type]


def _every(low: int, high: int, step: int) -> tuple[int, ...]:
    return tuple(range(low, high + 1, step))


def _above_current(step: int, count: int) -> Callable[[Any], list[Any]]:
    def values(widget: Any) -> list[Any]:
        top = widget.max if widget.max is not None else float("inf")
        return [
            widget.value + step * i for i in range(1, count + 1) if widget.value + step * i <= top
        ]

    return values


@dataclass(frozen=True)
class PageSpec:
    name: str
    file: str  # relative to the checkout
    url: str  # st.Page url_path in app.py
    whatif: Control | None
    main: Control | None
    large: bool = True  # measured on the large data
    note: str = ""


PAGES: dict[str, PageSpec] = {
    spec.name: spec
    for spec in (
        PageSpec(
            "overview",
            "app_pages/overview.py",
            "overview",
            None,
            Control("segmented_control", "overview_period", (30, 90, 180), "30 then back (days)"),
            note="no What-if on this page",
        ),
        PageSpec(
            "segmentation",
            "app_pages/segmentation.py",
            "segmentation",
            # Lifecycle tab: the one local control; above the data's own threshold, so the
            # "active" input's minimum never passes it.
            Control(
                "number_input",
                "seg_churn_days",
                _above_current(5, 20),
                "found value + 5, + 10, ... + 100 (days)",
            ),
            Control("radio", "seg_monetary", ("average", "total")),
        ),
        PageSpec(
            "clv",
            "app_pages/clv.py",
            "clv",
            Control(
                "slider", "clv_margin", _every(5, 100, 5), "5, 10, ... 100 (%; 30 is the default)"
            ),
            Control("selectbox", "clv_model", ("mbgnbd", "bgnbd"), "mbgnbd (a refit) then back"),
        ),
        PageSpec(
            "retention",
            "app_pages/retention.py",
            "retention",
            Control(
                "slider",
                "retention_whatif_share",
                _every(5, 100, 5),
                "5, 10, ... 100 (% reached; 10 is the default)",
            ),
            Control("selectbox", "retention_period", ("quarter", "month")),
        ),
        PageSpec(
            "voc",
            "app_pages/voc.py",
            "voice",
            Control(
                "slider",
                "voc_whatif_share",
                _every(0, 95, 5),
                "0, 5, ... 95 (% resolved; 100 is the default)",
            ),
            Control("slider", "voc_k", (6, 9), "6 topics (a refit) then back"),
            large=False,
            note="large data: not measured (no generator of feedback at that size)",
        ),
        PageSpec(
            "campaign",
            "app_pages/campaign.py",
            "campaign",
            Control(
                "slider",
                "campaign_whatif_keep",
                _every(0, 90, 10),
                "0, 10, ... 90 (% kept; 11 values, cycled)",
            ),
            Control(
                "selectbox",
                "campaign_control",
                ("variant_a", "control"),
                "variant_a as control, then back",
            ),
        ),
        PageSpec(
            "crosssell",
            "app_pages/crosssell.py",
            "cross-sell",
            Control(
                "slider",
                "crosssell_whatif_response",
                _every(5, 100, 5),
                "5, 10, ... 100 (% responding; 25 is the default)",
            ),
            Control("slider", "crosssell_min_confidence", (10, 20), "10% then back"),
        ),
    )
}

WIDGET_KINDS = (
    "slider",
    "number_input",
    "selectbox",
    "radio",
    "segmented_control",
    "select_slider",
    "pills",
    "toggle",
    "checkbox",
    "multiselect",
    "date_input",
    "text_input",
)


# ---------------------------------------------------------------------------------------
# Child process: one page (or the upload run, or ingesting the large data) of one checkout.
# Only the standard library is imported above this line: a child first puts the checkout
# it measures at the front of sys.path, then imports streamlit, core and ui from there.
# ---------------------------------------------------------------------------------------


def _child_setup(tree: Path) -> None:
    script_dir = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if p not in ("", script_dir)]
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    import logging

    import core
    import ui.state

    for module, name in ((core, "core"), (ui.state, "ui.state")):
        where = Path(module.__file__ or next(iter(module.__path__))).resolve()
        if tree.resolve() not in where.parents:
            raise RuntimeError(f"{name} was imported from {where}, not from {tree}")
    logging.getLogger("streamlit").setLevel(logging.ERROR)


def _warm_imports(tree: Path, files: Sequence[str]) -> float:
    """Import, untimed for the pages, what app.py and the page import at module level."""
    import ast
    import importlib

    start = time.perf_counter()
    for relative in files:
        path = tree / relative
        if not path.exists():
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
                names += [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                # "from x import function": x.function is not a module.
                with contextlib.suppress(ImportError):
                    importlib.import_module(name)
    return time.perf_counter() - start


def _cpu() -> float:
    return time.process_time()


@dataclass
class Timed:
    wall: float | None = None
    cpu: float | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"wall": self.wall, "cpu": self.cpu, "error": self.error}


def _run(at: Any) -> Timed:
    wall0, cpu0 = time.perf_counter(), _cpu()
    try:
        at.run(timeout=RUN_TIMEOUT)
    except Exception as error:  # a timeout or a crash of the runner: a figure, not a crash
        return Timed(time.perf_counter() - wall0, _cpu() - cpu0, f"{type(error).__name__}: {error}")
    timed = Timed(time.perf_counter() - wall0, _cpu() - cpu0)
    if at.exception:
        timed.error = "exception: " + str(at.exception[0].value)[:200]
    return timed


def _find(at: Any, control: Control) -> Any | None:
    for kind in (control.kind, *[k for k in WIDGET_KINDS if k != control.kind]):
        accessor = getattr(at, kind, None)
        if accessor is None:
            continue
        try:
            return accessor(key=control.key)
        except KeyError:
            continue
    return None


def _new_session(tree: Path, spec: PageSpec, tables: dict | None) -> Any:
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    at = AppTest.from_file(str(tree / "app.py"), default_timeout=RUN_TIMEOUT)
    at.session_state["lang"] = "en"
    if tables is not None:
        at.session_state["tables"] = dict(tables)
    # Open the page directly (a browser at /<url_path>), not through the default page:
    # AppTest's switch_page knows st.navigation's pages only after a first run.
    at._page_hash = calc_hash(spec.url)
    return at


def _on_page(at: Any, spec: PageSpec) -> bool:
    from streamlit.util import calc_hash

    return getattr(at, "_finished_page_script_hash", calc_hash(spec.url)) == calc_hash(spec.url)


def _shared_tables_script() -> None:
    """Compute the shared derived tables through ui.common's helpers, as another page would.

    Run by AppTest.from_function (its source is the script): imports stay inside.
    """
    import pandas as pd
    import streamlit as st

    from ui import common, state

    transactions = state.get_table("transactions")
    customers = state.get_table("customers")
    done = []
    if transactions is not None:
        orders = common.orders_of(transactions)
        done.append("orders")
        last_day = pd.Timestamp(orders["order_date"].max()).normalize()
        if hasattr(common, "rfm_of"):
            common.rfm_of(transactions, last_day, "total")
            done.append("RFM")
        if hasattr(common, "lifecycle_found") and hasattr(common, "stages_of"):
            common.stages_of(transactions, common.lifecycle_found(transactions), last_day)
            done.append("lifecycle stages")
        if hasattr(common, "features_of"):
            common.features_of(transactions, customers, last_day)
            done.append("features")
    st.session_state["_bench_shared"] = done


def _warm_demo() -> dict:
    """The demo read (cache_resource), as on a server that has started; untimed."""
    import ui.state as state

    demo = state.demo_tables()
    state.demo_fingerprints()  # every memo call asks whether a key is the demo's
    return demo


def _load_tables(job: dict) -> tuple[dict | None, float]:
    """The session's tables (untimed for the pages): the demo's, or the ingested large set."""
    start = time.perf_counter()
    demo = _warm_demo()
    if job["data"] == "demo":
        tables = demo
    else:
        with open(job["tables"], "rb") as handle:
            tables = pickle.load(handle)
    return tables, time.perf_counter() - start


def _missing(tree: Path, spec: PageSpec, key: str) -> str:
    """Why a widget is not on the page: the key is gone from the code, or not drawn on this data."""
    sources = [tree / spec.file, *sorted((tree / "ui" / "pages").glob(f"{spec.name}*.py"))]
    in_code = any(
        f'"{key}"' in path.read_text(encoding="utf-8") for path in sources if path.exists()
    )
    return f"widget {key} not found" + (" (not drawn on this data)" if in_code else "")


def _series(
    at: Any, control: Control, changes: int, budget: float, missing: Callable[[str], str]
) -> dict[str, Any]:
    """Set the widget to `changes` values in turn, timing each rerun; stop when over budget."""
    widget = _find(at, control)
    if widget is None:
        return {"missing": missing(control.key)}
    values = control.candidates(widget)
    if not values:
        return {"missing": f"widget {control.key}: no value to change to"}
    kind = widget.type if hasattr(widget, "type") else control.kind
    walls: list[float] = []
    cpus: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()
    for i in range(changes):
        widget = _find(at, control)
        if widget is None:
            errors.append(f"widget {control.key} gone after {i} changes")
            break
        widget.set_value(values[i % len(values)])
        timed = _run(at)
        if timed.error:
            errors.append(timed.error)
            break
        walls.append(timed.wall or 0.0)
        cpus.append(timed.cpu or 0.0)
        if time.perf_counter() - start > budget and len(walls) >= 2 and i + 1 < changes:
            errors.append(f"stopped after {len(walls)} changes: over the {budget:.0f} s budget")
            break
    return {"walls": walls, "cpus": cpus, "errors": errors, "kind": kind, "distinct": len(values)}


def _main_change(at: Any, control: Control, missing: Callable[[str], str]) -> dict[str, Any]:
    widget = _find(at, control)
    if widget is None:
        return {"missing": missing(control.key)}
    values = control.candidates(widget)
    if not values:
        return {"missing": f"widget {control.key}: no value to change to"}
    original = widget.value
    widget.set_value(values[0])
    new = _run(at)
    back = Timed(error="not run")
    if not new.error:
        widget = _find(at, control)
        if widget is None:
            back = Timed(error=f"widget {control.key} gone")
        else:
            widget.set_value(original)
            back = _run(at)
    return {"new": new.as_dict(), "back": back.as_dict(), "value": repr(values[0])}


def child_page(job: dict) -> dict[str, Any]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    tree = Path(job["tree"])
    spec = PAGES[job["page"]]
    result: dict[str, Any] = {"page": spec.name, "load_start": os.getloadavg()[0]}
    result["imports"] = _warm_imports(tree, ["app.py", spec.file])
    tables, result["tables_load"] = _load_tables(job)

    # 1. Cold: new session, nothing cached in this process.
    at = _new_session(tree, spec, tables)
    cold = _run(at)
    if not cold.error and not _on_page(at, spec):
        cold.error = f"the run did not reach {spec.file}"
    result["cold"] = cold.as_dict()
    if not cold.error:
        reruns = [_run(at) for _ in range(RERUNS)]
        errors = [r.error for r in reruns if r.error]
        result["rerun"] = {
            "wall": statistics.median(r.wall or 0.0 for r in reruns),
            "cpu": statistics.median(r.cpu or 0.0 for r in reruns),
            "error": errors[0] if errors else None,
        }
        if spec.whatif is not None:
            result["whatif"] = _series(
                at, spec.whatif, job["changes"], job["budget"], lambda k: _missing(tree, spec, k)
            )
        if spec.main is not None:
            result["main"] = _main_change(at, spec.main, lambda k: _missing(tree, spec, k))
    del at

    # 2. Shared tables first: drop every shared result (this process's demo store), compute
    # the shared derived tables in a session, then open the page in a session holding them.
    st.cache_resource.clear()
    _warm_demo()
    warm = AppTest.from_function(_shared_tables_script, default_timeout=RUN_TIMEOUT)
    warm.session_state["lang"] = "en"
    warm.session_state["tables"] = dict(tables)
    shared_tables = _run(warm)
    result["shared_tables"] = shared_tables.as_dict()
    result["shared_tables_done"] = (
        list(warm.session_state["_bench_shared"]) if "_bench_shared" in warm.session_state else []
    )
    at = _new_session(tree, spec, tables)
    if "_cache" in warm.session_state:  # user data: the results live in the session
        at.session_state["_cache"] = warm.session_state["_cache"]
    shared = _run(at)
    if not shared.error and not _on_page(at, spec):
        shared.error = f"the run did not reach {spec.file}"
    result["shared"] = shared.as_dict()
    del at, warm

    # 3. A second session on the demo: what the shared store gives the next visitor.
    if job["data"] == "demo":
        at = _new_session(tree, spec, tables)
        result["second"] = _run(at).as_dict()
        del at
    result["load_end"] = os.getloadavg()[0]
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def child_upload(job: dict) -> dict[str, Any]:
    """Per page, a new session: the Upload page, the file set, "Use this file", the page."""
    from streamlit.testing.v1 import AppTest
    from streamlit.util import calc_hash

    tree = Path(job["tree"])
    csv = Path(job["csv"])
    files = ["app.py", "app_pages/upload.py", *[PAGES[p].file for p in job["pages"]]]
    result: dict[str, Any] = {"imports": _warm_imports(tree, files), "pages": {}}
    _load_tables({"data": "demo"})
    data = csv.read_bytes()
    for name in job["pages"]:
        spec = PAGES[name]
        row: dict[str, Any] = {"load": os.getloadavg()[0]}
        result["pages"][name] = row
        at = AppTest.from_file(str(tree / "app.py"), default_timeout=RUN_TIMEOUT)
        at.session_state["lang"] = "en"
        at._page_hash = calc_hash("upload")
        opened = _run(at)
        if opened.error:
            row["error"] = f"upload page: {opened.error}"
            continue
        try:
            uploader = at.file_uploader(key="upload_transactions")
        except KeyError:
            row["error"] = "widget upload_transactions not found"
            continue
        uploader.set_value((csv.name, data, "text/csv"))
        read = _run(at)
        row["read"] = read.as_dict()
        button = next(
            (
                b
                for b in at.button
                if str(getattr(b, "key", "") or "").startswith("use_transactions")
            ),
            None,
        )
        if read.error or button is None:
            row["error"] = read.error or "no button use_transactions_* after the file was set"
            continue
        button.click()
        use = _run(at)
        row["use"] = use.as_dict()
        if use.error or not at.success:
            row["error"] = use.error or "no 'loaded' message after Use this file"
            continue
        at.switch_page(spec.file)
        page = _run(at)
        row["page"] = page.as_dict()
        if page.error:
            row["error"] = page.error
        del at
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def child_prepare(job: dict) -> dict[str, Any]:
    """Ingest the large files with the measured checkout's ingest, as an upload would."""
    from core.ingest import ingest_file
    from ui.state import LoadedTable

    tables = {}
    seconds = {}
    for kind, path in job["files"].items():
        start = time.perf_counter()
        ingested = ingest_file(Path(path).read_bytes(), Path(path).name, kind)
        seconds[kind] = time.perf_counter() - start
        if ingested.table is None or ingested.report is None:
            raise RuntimeError(f"{path} could not be ingested as {kind}")
        tables[kind] = LoadedTable(
            kind, ingested.table, ingested.report, ingested.fingerprint, Path(path).name
        )
    with open(job["out"], "wb") as handle:
        pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
    rows = {kind: int(t.report.rows_kept) for kind, t in tables.items()}
    customers = int(tables["transactions"].table["customer_id"].nunique())
    return {"seconds": seconds, "rows": rows, "customers": customers}


def child_main(job: dict) -> None:
    _child_setup(Path(job["tree"]))
    try:
        run = {"page": child_page, "upload": child_upload, "prepare": child_prepare}[job["kind"]]
        payload = {"ok": True, **run(job)}
    except Exception as error:
        payload = {
            "ok": False,
            "error": f"{type(error).__name__}: {error}",
            "trace": traceback.format_exc(),
        }
    sys.stdout.write("\n" + RESULT_MARK + json.dumps(payload, default=str) + "\n")
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------
# Parent: data, one child per page, the printout.
# ---------------------------------------------------------------------------------------


@dataclass
class Tree:
    path: Path
    label: str


def _describe_tree(path: Path) -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{path} @ {commit}" + (" + uncommitted changes" if dirty else "")


def _spawn(job: dict, timeout: float) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(job)]
    with tempfile.TemporaryFile(mode="w+") as errors:
        try:
            done = subprocess.run(
                command,
                cwd=job["tree"],
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": f"process stopped after {timeout:.0f} s"}
        lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
        if lines:
            return json.loads(lines[-1][len(RESULT_MARK) :])
        errors.seek(0)
        tail = errors.read()[-600:]
        return {"ok": False, "error": f"process ended with code {done.returncode}: {tail}"}


def _large_files(rows: int) -> dict[str, str]:
    from bench.bench_campaign import make_campaign
    from bench.generate import ensure_csv

    transactions, _ = ensure_csv(OUT, rows)
    campaign = OUT / f"campaign_{CAMPAIGN_ROWS}.csv"
    if not campaign.exists():
        tmp = campaign.with_suffix(".csv.tmp")
        make_campaign(CAMPAIGN_ROWS).to_csv(tmp, index=False)
        tmp.replace(campaign)
    return {"transactions": str(transactions), "campaign": str(campaign)}


# --- formatting -----------------------------------------------------------------------


def _s(value: float | None, target: float | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value:.2f}"
    return text + ("*" if target is not None and value > target else "")


def _cell(figure: dict | None, target: float | None = None, key: str = "wall") -> str:
    if not figure:
        return "-"
    if figure.get("error"):
        return "error"
    return _s(figure.get(key), target)


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _whatif_cell(figure: dict | None, key: str = "walls") -> str:
    if not figure:
        return "-"
    if figure.get("missing"):
        return figure["missing"]
    values = figure.get(key) or []
    if not values:
        return "error"
    return (
        f"{_s(_percentile(values, 0.5))} / {_s(_percentile(values, 0.95), TARGET_WHATIF_P95 if key == 'walls' else None)}"
        f" ({len(values)})"
    )


def _main_cell(figure: dict | None, key: str = "wall") -> str:
    if not figure:
        return "-"
    if figure.get("missing"):
        return figure["missing"]
    target = TARGET_MAIN if key == "wall" else None
    return f"{_cell(figure.get('new'), target, key)} / {_cell(figure.get('back'), target, key)}"


COLUMNS = (
    "page",
    "checkout",
    "load",
    "cold",
    "shared",
    "2nd",
    "rerun",
    "what-if p50 / p95 (n)",
    "main new / back",
)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return lines


def _page_row(name: str, label: str, result: dict, data: str, key: str) -> list[str]:
    if not result.get("ok"):
        return [name, label, "-", "error", "", "", "", "", ""]
    wall = key == "wall"
    return [
        name,
        label,
        f"{result.get('load_start', 0):.1f}",
        _cell(result.get("cold"), None, key),
        _cell(result.get("shared"), TARGET_SHARED_FIRST if wall else None, key),
        _cell(result.get("second"), TARGET_SECOND_SESSION if wall else None, key)
        if data == "demo"
        else "n/a",
        _cell(result.get("rerun"), None, key),
        _whatif_cell(result.get("whatif"), "walls" if wall else "cpus"),
        _main_cell(result.get("main"), key),
    ]


def _notes(name: str, label: str, result: dict) -> list[str]:
    if not result.get("ok"):
        return [f"{name} ({label}): {result.get('error', '?')}"]
    notes = []
    for what in ("cold", "shared", "second", "rerun", "shared_tables"):
        error = (result.get(what) or {}).get("error")
        if error:
            notes.append(f"{name} ({label}) {what}: {error}")
    for error in (result.get("whatif") or {}).get("errors", []):
        notes.append(f"{name} ({label}) what-if: {error}")
    main = result.get("main") or {}
    for what in ("new", "back"):
        error = (main.get(what) or {}).get("error")
        if error:
            notes.append(f"{name} ({label}) main {what}: {error}")
    return notes


def print_widgets(pages: Sequence[str]) -> None:
    print("Widgets changed (page -> What-if; main control), by key:")
    for name in pages:
        spec = PAGES[name]
        whatif = (
            f"{spec.whatif.kind} {spec.whatif.key}: {spec.whatif.describe()}"
            if spec.whatif
            else "- (" + spec.note + ")"
        )
        main = f"{spec.main.kind} {spec.main.key}: {spec.main.describe()}" if spec.main else "-"
        print(f"  {name:13s} what-if {whatif}")
        print(f"  {'':13s} main    {main}")
    print()


def print_targets() -> None:
    print(
        f"Targets (issue 14): what-if p95 <= {TARGET_WHATIF_P95:.1f} s; main control <= {TARGET_MAIN:.0f} s; "
        f"first render with shared tables <= {TARGET_SHARED_FIRST:.0f} s; second demo session "
        f"<= {TARGET_SECOND_SESSION:.0f} s a page; ready <= {TARGET_UPLOAD_READY:.0f} s after a "
        f"1M-line upload. '*' marks a figure over its target."
    )
    print(
        "AppTest reruns the whole script on a widget change (also in an st.fragment): the what-if "
        "and main figures are full reruns, an upper bound of what the browser waits for."
    )
    print()


# --- the run --------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    pages = [p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else list(PAGES)
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        print(f"unknown page(s): {', '.join(unknown)}; choose from {', '.join(PAGES)}")
        return 2
    trees: list[Tree] = []
    if args.compare:
        trees.append(Tree(Path(args.compare).resolve(), "before"))
        trees.append(Tree(ROOT, "after"))
    else:
        tree = Path(args.tree).resolve() if args.tree else ROOT
        trees.append(Tree(tree, "this" if tree == ROOT else "tree"))
    for tree in trees:
        if not (tree.path / "app.py").exists():
            print(f"no app.py in {tree.path}")
            return 2
    modes = ["demo", "large"] if args.data == "both" else [args.data]

    started = time.time()
    print(f"bench_pages  {time.strftime('%Y-%m-%d %H:%M:%S %Z')}  python {sys.version.split()[0]}")
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores; load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min)"
    )
    for tree in trees:
        print(f"checkout {tree.label}: {_describe_tree(tree.path)}")
    print(
        f"changes per What-if: {args.changes} (a series stops after {args.budget:.0f} s with at least 2)"
    )
    print()
    print_widgets(pages)
    print_targets()
    sys.stdout.flush()

    all_results: dict[str, dict[str, dict[str, dict]]] = {}
    for data in modes:
        measured = [p for p in pages if data == "demo" or PAGES[p].large]
        header = "demo data (sample_data/: every table)"
        prepared: dict[str, dict] = {}
        if data == "large":
            files = _large_files(args.large_rows)
            header = f"large data ({args.large_rows:,}-line transactions file, campaign of {CAMPAIGN_ROWS:,} recipients; no customers or feedback table)"
            for tree in trees:
                out = OUT / f"bench_pages_tables_{os.getpid()}_{tree.label}.pkl"
                prepared[tree.label] = _spawn(
                    {"kind": "prepare", "tree": str(tree.path), "files": files, "out": str(out)},
                    args.child_timeout,
                ) | {"pickle": str(out)}
        print(f"== {header} ==")
        for tree in trees:
            ready = prepared.get(tree.label)
            if ready is not None:
                if not ready.get("ok"):
                    print(f"  {tree.label}: could not ingest the large data: {ready.get('error')}")
                else:
                    secs = ", ".join(f"{k} {v:.1f} s" for k, v in ready["seconds"].items())
                    rows = ", ".join(f"{k} {v:,} rows" for k, v in ready["rows"].items())
                    print(
                        f"  {tree.label}: ingested {rows}; {ready['customers']:,} customers ({secs})"
                    )
        sys.stdout.flush()
        results: dict[str, dict[str, dict]] = {}
        for name in measured:
            results[name] = {}
            for tree in trees:
                if data == "large" and not prepared[tree.label].get("ok"):
                    results[name][tree.label] = {"ok": False, "error": "large data not ingested"}
                    continue
                job = {
                    "kind": "page",
                    "tree": str(tree.path),
                    "page": name,
                    "data": data,
                    "tables": prepared.get(tree.label, {}).get("pickle"),
                    "changes": args.changes,
                    "budget": args.budget,
                }
                results[name][tree.label] = _spawn(job, args.child_timeout)
                r = results[name][tree.label]
                done = "ok" if r.get("ok") else "error"
                print(
                    f"  .. {name} ({tree.label}) {done} at +{(time.time() - started) / 60:.1f} min",
                    flush=True,
                )
        all_results[data] = results
        print()
        _print_mode(data, results, trees, measured, pages)
        for ready in prepared.values():
            Path(ready["pickle"]).unlink(missing_ok=True)

        if data == "large" and args.upload_rows:
            _upload(args, trees, measured, started)

    load = os.getloadavg()
    print(
        f"load average at end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}; run took {(time.time() - started) / 60:.1f} min"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(all_results, indent=1, default=str), encoding="utf-8")
    return 0


def _print_mode(
    data: str, results: dict, trees: list[Tree], measured: list[str], pages: list[str]
) -> None:
    print(
        f"Seconds, wall clock ({data} data). cold: new session, nothing cached; shared: first render once"
    )
    print(
        "orders/RFM/lifecycle/features exist; 2nd: a second session on the demo; rerun: nothing changed."
    )
    rows = [
        _page_row(name, tree.label, results[name][tree.label], data, "wall")
        for name in measured
        for tree in trees
    ]
    for line in _table(rows):
        print("  " + line)
    print()
    print("CPU seconds of the page's process for the same runs (less sensitive to the load):")
    rows = [
        _page_row(name, tree.label, results[name][tree.label], data, "cpu")
        for name in measured
        for tree in trees
    ]
    for line in _table(rows):
        print("  " + line)
    details = []
    for name in measured:
        for tree in trees:
            r = results[name][tree.label]
            if r.get("ok"):
                done = ", ".join(r.get("shared_tables_done") or []) or "nothing"
                details.append(
                    f"  {name} ({tree.label}): imports {r['imports']:.1f} s, tables {r['tables_load']:.1f} s "
                    f"(untimed); shared tables ({done}) {_cell(r.get('shared_tables'))} s; "
                    f"peak RSS {r['peak_rss_mb']:,.0f} MB; load {r['load_start']:.1f} -> {r['load_end']:.1f}"
                )
    notes = [
        n
        for name in measured
        for tree in trees
        for n in _notes(name, tree.label, results[name][tree.label])
    ]
    skipped = [f"{p}: {PAGES[p].note}" for p in pages if p not in measured]
    print()
    for line in details:
        print(line)
    for line in [*notes, *skipped]:
        print("  note: " + line)
    print()
    sys.stdout.flush()


def _upload(
    args: argparse.Namespace, trees: list[Tree], measured: list[str], started: float
) -> None:
    from bench.generate import ensure_csv

    csv, _ = ensure_csv(OUT, args.upload_rows)
    print(
        f"== ready after a {args.upload_rows:,}-line upload ({csv.stat().st_size / 1e6:.0f} MB CSV): "
        "Upload page, file set, 'Use this file', then the page; a new session per page =="
    )
    found: dict[str, dict] = {}
    for tree in trees:
        found[tree.label] = _spawn(
            {"kind": "upload", "tree": str(tree.path), "csv": str(csv), "pages": measured},
            args.child_timeout * 2,
        )
        print(f"  .. upload ({tree.label}) at +{(time.time() - started) / 60:.1f} min", flush=True)
    header = (
        "page",
        "checkout",
        "load",
        "file set",
        "use file",
        "page",
        f"ready (<= {TARGET_UPLOAD_READY:.0f} s)",
        "ready, CPU",
    )
    rows = []
    notes = []
    for name in measured:
        for tree in trees:
            result = found[tree.label]
            if not result.get("ok"):
                rows.append([name, tree.label, "-", "error", "", "", "", ""])
                notes.append(f"{tree.label}: {result.get('error')}")
                continue
            row = result["pages"].get(name, {})
            parts = [row.get(k) or {} for k in ("read", "use", "page")]
            total = cpu = None
            if not row.get("error") and all(p.get("wall") is not None for p in parts):
                total = sum(p["wall"] for p in parts)
                cpu = sum(p.get("cpu") or 0.0 for p in parts)
            if row.get("error"):
                notes.append(f"{name} ({tree.label}): {row['error']}")
            rows.append(
                [
                    name,
                    tree.label,
                    f"{row.get('load', 0):.1f}",
                    *[_cell(p) for p in parts],
                    _s(total, TARGET_UPLOAD_READY),
                    _s(cpu),
                ]
            )
    widths = [max(len(r[i]) for r in [list(header), *rows]) for i in range(len(header))]
    for row in [list(header), *rows]:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for tree in trees:
        result = found[tree.label]
        if result.get("ok"):
            print(
                f"  {tree.label}: imports {result['imports']:.1f} s (untimed); peak RSS {result['peak_rss_mb']:,.0f} MB"
            )
    for note in notes:
        print("  note: " + note)
    print()
    sys.stdout.flush()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_pages", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--pages", default="", help=f"comma-separated, of: {', '.join(PAGES)} (default: all)"
    )
    parser.add_argument("--data", choices=("demo", "large", "both"), default="both")
    parser.add_argument(
        "--changes", type=int, default=20, help="What-if changes per page (default 20)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds a What-if series may take before it stops (at least 2 changes; default 60)",
    )
    parser.add_argument(
        "--tree", default="", help="measure the pages of this checkout (default: this one)"
    )
    parser.add_argument(
        "--compare", default="", help="measure the checkout at this path, then this one, row by row"
    )
    parser.add_argument(
        "--large-rows",
        type=int,
        default=LARGE_ROWS,
        help=f"lines of the large transactions file (default {LARGE_ROWS:,}: 100k customers)",
    )
    parser.add_argument(
        "--upload-rows",
        type=int,
        default=UPLOAD_ROWS,
        help=f"lines of the upload file for the ready-after-upload run on large data (0: skip; default {UPLOAD_ROWS:,})",
    )
    parser.add_argument(
        "--child-timeout", type=float, default=900.0, help="seconds per page process (default 900)"
    )
    parser.add_argument("--json", default="", help="also write every figure to this JSON file")
    args = parser.parse_args(argv)
    if args.tree and args.compare:
        parser.error("--tree and --compare: choose one")
    if args.changes < 1:
        parser.error("--changes must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child_main(json.loads(sys.argv[2]))
    else:
        sys.path.insert(0, str(ROOT))  # run as a file: bench.generate, bench.bench_campaign
        sys.exit(main())
