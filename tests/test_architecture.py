"""House rules that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

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
