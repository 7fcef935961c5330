"""The page benchmark (bench/bench_pages.py) runs: its smallest mode prints a row of figures.

Not a timing test: the figures depend on the machine and its load; this checks that each
kind of figure was measured (a number in every column), on one page of the demo with two
What-if changes. It takes about a minute: every page runs in its own Python process.
"""

from __future__ import annotations

import re

from bench.bench_pages import PAGES, main

SECONDS = r"\d+\.\d\d\*?"  # "*" marks a figure over its target
PAIR = rf"{SECONDS} / {SECONDS}"


def test_smallest_mode_prints_every_figure_of_the_page(capsys):
    assert main(["--pages", "retention", "--data", "demo", "--changes", "2"]) == 0
    out = capsys.readouterr().out

    assert "Targets (issue 14): what-if p95 <= 0.2 s" in out
    assert re.search(r"load average at start \d+\.\d\d", out)
    assert re.search(r"load average at end \d+\.\d\d", out)
    whatif = PAGES["retention"].whatif
    assert whatif is not None and f"{whatif.kind} {whatif.key}" in out  # the widget table
    assert "not found" not in out and "error" not in out

    # One row in the wall-clock table, one in the CPU table: load, then cold, shared,
    # second session and rerun, then What-if p50 / p95 over the 2 changes, then the main
    # control's new value / back.
    row = re.compile(
        rf"^\s+retention\s+this\s+\d+\.\d\s+(?:{SECONDS}\s+){{4}}{PAIR} \(2\)\s+{PAIR}$",
        re.MULTILINE,
    )
    assert len(row.findall(out)) == 2, out
