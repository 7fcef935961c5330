"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit_in_source():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "core").rglob("*.py")
        if "streamlit" in _imports(p)
    ]
    assert offenders == []


def test_importing_all_of_core_does_not_load_streamlit():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "core").rglob("*.py")
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('streamlit' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_usage_statistics_are_off_and_upload_limit_is_set():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] > 0
    assert config["client"]["showErrorDetails"] == "none"


def test_pages_are_thin_and_do_not_compute_statistics():
    # Pages call core; they never import the statistics libraries themselves.
    for page in (ROOT / "app_pages").glob("*.py"):
        imported = _imports(page)
        assert not imported & {"sklearn", "statsmodels", "lifetimes", "scipy", "numpy"}, page.name


def test_nothing_writes_uploaded_data_to_disk():
    # The app side must not write files: no open(..., "w"), to_csv(path) or tempfile use.
    for path in [ROOT / "app.py", *(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]:
        source = path.read_text(encoding="utf-8")
        for needle in (
            "tempfile",
            "NamedTemporaryFile",
            '.to_csv("',
            "open(",
            "to_parquet(",
            "to_excel(",
        ):
            assert needle not in source, f"{path.name} contains {needle}"


# --- Pages only draw -------------------------------------------------------------------
# A page (app_pages/*.py, and any drawing module of a page in ui/pages/) reads widgets,
# calls core and draws. These rules catch the ways statistics and data wrangling crept
# into pages before: they are read off the syntax tree, not the imports alone.
PAGE_MAX_LINES = 300
STATISTICS_LIBRARIES = {"sklearn", "statsmodels", "lifetimes", "scipy", "numpy"}
# DataFrame/Series methods that compute or reshape data: core's work.
COMPUTING_METHODS = {
    "groupby",
    "agg",
    "aggregate",
    "mean",
    "median",
    "std",
    "var",
    "quantile",
    "cumsum",
    "cumprod",
    "pct_change",
    "diff",
    "rank",
    "corr",
    "cov",
    "value_counts",
    "pivot",
    "pivot_table",
    "merge",
    "melt",
    "stack",
    "unstack",
    "resample",
    "rolling",
    "iterrows",
    "itertuples",
    "apply",
    "applymap",
    "nlargest",
    "nsmallest",
    "sort_values",
    "crosstab",
    "dropna",
    "fillna",
    "drop_duplicates",
    "explode",
    "cut",
    "qcut",
    "concat",
    "to_datetime",
    "to_numeric",
    "interpolate",
    "clip",
    "idxmax",
    "idxmin",
    "nunique",
}
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_MASK = (ast.Compare, ast.BoolOp)


def _page_files() -> list[Path]:
    return sorted([*(ROOT / "app_pages").glob("*.py"), *(ROOT / "ui" / "pages").rglob("*.py")])


def _is_column(node: ast.AST) -> bool:
    """`frame["col"]`, `frame[["a", "b"]]`, `frame.loc[...]`, `frame.iloc[...]`."""
    if not isinstance(node, ast.Subscript):
        return False
    index = node.slice
    if isinstance(node.value, ast.Attribute) and node.value.attr in {"loc", "iloc", "at", "iat"}:
        return True
    return (isinstance(index, ast.Constant) and isinstance(index.value, str)) or isinstance(
        index, ast.List
    )


def _is_computing_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in COMPUTING_METHODS
    )


def page_offences(source: str) -> list[str]:
    """What in a page's source computes or wrangles data, as "line: what" strings."""
    offences = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if _is_computing_call(node):
            offences.append(f"{line}: .{node.func.attr}()")  # type: ignore[attr-defined]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, _ARITHMETIC):
            if any(
                _is_column(side) or _is_computing_call(side) for side in (node.left, node.right)
            ):
                offences.append(f"{line}: arithmetic on a column")
        elif isinstance(node, ast.Subscript) and (
            isinstance(node.slice, _MASK)
            or (
                isinstance(node.slice, ast.BinOp)
                and isinstance(node.slice.op, ast.BitAnd | ast.BitOr)
            )
            or (isinstance(node.slice, ast.UnaryOp) and isinstance(node.slice.op, ast.Invert))
        ):
            offences.append(f"{line}: rows filtered by a condition")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            for name in names:
                if name.split(".")[0] in STATISTICS_LIBRARIES:
                    offences.append(f"{line}: imports {name}")
    return sorted(offences, key=lambda o: int(o.split(":")[0]))


def test_page_rules_catch_what_they_should():
    # The checker itself: each way a page used to compute is caught, drawing is not.
    bad = (
        "import numpy as np\n"
        "rate = frame['churned'].mean()\n"
        "share = frame['a'] / frame['b']\n"
        "top = frame[frame['x'] > 0]\n"
        "by = frame.groupby('segment').size()\n"
        "for _, row in frame.iterrows():\n    pass\n"
        "pct = 100 * frame.loc[:, 'a']\n"
    )
    found = page_offences(bad)
    assert [o.split(": ", 1)[1] for o in found] == [
        "imports numpy",
        ".mean()",
        "arithmetic on a column",
        "rows filtered by a condition",
        ".groupby()",
        ".iterrows()",
        "arithmetic on a column",
    ]
    fine = (
        "st.metric(tr('kpi'), fmt_money(result.total))\n"
        "left, right = st.columns([3, 1])\n"
        "st.dataframe(result.table[['a', 'b']], hide_index=True)\n"
        "n = len(result.rows) + 1\n"
        "label = ', '.join(names)\n"
    )
    assert page_offences(fine) == []


@pytest.mark.parametrize("page", _page_files(), ids=lambda p: p.name)
def test_pages_only_draw(page):
    source = page.read_text(encoding="utf-8")
    assert page_offences(source) == [], page.name
    lines = source.count("\n")
    assert lines <= PAGE_MAX_LINES, f"{page.name} has {lines} lines (at most {PAGE_MAX_LINES})"
