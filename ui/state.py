"""The session's data: the one accessor every page uses, and a per-session cache.

Uploaded tables live only in `st.session_state` (memory, this browser session);
nothing is written to disk and nothing is shared with another session. The demo
data set is public and read once per server process.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from core.ingest import IngestResult, QualityReport, ingest_file
from core.schema import TABLE_KINDS, TableKind

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
DEMO = "demo"
_CACHE_SIZE = 48

T = TypeVar("T")


@dataclass(frozen=True)
class LoadedTable:
    kind: TableKind
    table: pd.DataFrame
    report: QualityReport
    fingerprint: str
    source: str  # DEMO or the uploaded file's name

    @property
    def is_demo(self) -> bool:
        return self.source == DEMO


@st.cache_resource(show_spinner=False)
def _demo_results() -> dict[str, IngestResult]:
    """The demo tables, read through the same ingest as any upload (and shared: they are public)."""
    results = {}
    for kind in TABLE_KINDS:
        path = SAMPLE_DIR / f"{kind}.csv"
        if path.exists():
            results[kind] = ingest_file(path.read_bytes(), path.name, kind)
    return results


def _tables() -> dict[TableKind, LoadedTable]:
    if "tables" not in st.session_state:
        st.session_state["tables"] = demo_tables()
    return st.session_state["tables"]


def demo_tables() -> dict[TableKind, LoadedTable]:
    loaded = {}
    for kind, result in _demo_results().items():
        if result.table is not None and result.report is not None:
            loaded[kind] = LoadedTable(kind, result.table, result.report, result.fingerprint, DEMO)
    return loaded


def loaded_tables() -> dict[TableKind, LoadedTable]:
    """All tables of this session, starting with the demo set on first use."""
    return dict(_tables())


def get_table(kind: TableKind) -> LoadedTable | None:
    return _tables().get(kind)


def put_table(loaded: LoadedTable) -> bool:
    """Store a table; the first upload of one's own removes the demo tables (returns True then).

    Demo customers, feedback or campaigns must never mix with a user's own transactions.
    """
    tables = _tables()
    replaced_demo = not loaded.is_demo and any(t.is_demo for t in tables.values())
    if replaced_demo:
        for kind in [k for k, t in tables.items() if t.is_demo]:
            del tables[kind]
    tables[loaded.kind] = loaded
    st.session_state.pop("_cache", None)
    return replaced_demo


def remove_table(kind: TableKind) -> None:
    _tables().pop(kind, None)
    st.session_state.pop("_cache", None)


def reset_to_demo() -> None:
    st.session_state["tables"] = demo_tables()
    st.session_state.pop("_cache", None)


def using_demo() -> bool:
    return any(table.is_demo for table in _tables().values())


def lang() -> str:
    return st.session_state.get("lang", "en")


def memo(
    name: str, key: tuple[Hashable, ...], compute: Callable[[], T], keep: int | None = None
) -> T:
    """Compute once per session for a key (data fingerprints and settings), keeping the newest results.

    `st.cache_data` would share results between sessions that upload the same file;
    this cache lives in the session and dies with it. `keep` bounds how many results
    of this `name` stay (large raw tables: keep=1).
    """
    store: OrderedDict = st.session_state.setdefault("_cache", OrderedDict())
    full_key = (name, key)
    if full_key in store:
        store.move_to_end(full_key)
        return store[full_key]
    value = compute()
    if keep is not None:
        same = [k for k in store if k[0] == name]
        for old in same[: max(len(same) - keep + 1, 0)]:
            del store[old]
    store[full_key] = value
    while len(store) > _CACHE_SIZE:
        store.popitem(last=False)
    return value
