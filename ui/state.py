"""The session's data: the one accessor every page uses, and the cache every page computes through.

Uploaded tables live only in `st.session_state` (memory, this browser session);
nothing derived from them is shared with another session. The demo data set is
public: it is read once per server process, and results computed from it only
are computed once per server and shared by every session (see `memo`).
"""

from __future__ import annotations

import dataclasses
import os
import re
import threading
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
_CACHE_SIZE = 64
# Chart specs (ui.charts) are kept apart from results, so that drawing many charts
# never pushes a data table out of the cache.
_CHART_CACHE_SIZE = 96
# Results of the demo shared by all sessions: a few per page and setting, all small
# (the demo has 5,000 customers); the least recently used go first.
_SHARED_SIZE = 640
# How ui.state recognises a table fingerprint inside a cache key (core.ingest's
# blake2b digest of 16 bytes, as hex).
_FINGERPRINT = re.compile(r"[0-9a-f]{32}")
# Benchmark switch (bench/bench_load.py): "0" computes every demo result per session,
# as before sharing existed, so one run can compare both.
SHARE_DEMO_ENV = "CUSTOMER_LENS_SHARE_DEMO"

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
    clear_cache()
    return replaced_demo


def remove_table(kind: TableKind) -> None:
    _tables().pop(kind, None)
    clear_cache()


def reset_to_demo() -> None:
    st.session_state["tables"] = demo_tables()
    clear_cache()


def clear_cache() -> None:
    """Forget this session's results and charts (its tables changed)."""
    st.session_state.pop("_cache", None)
    st.session_state.pop("_chart_cache", None)


def using_demo() -> bool:
    return any(table.is_demo for table in _tables().values())


def lang() -> str:
    return st.session_state.get("lang", "en")


def demo_fingerprints() -> frozenset[str]:
    """The fingerprints of the demo tables (the only data whose results may be shared)."""
    return _demo_fingerprints()


@st.cache_resource(show_spinner=False)
def _demo_fingerprints() -> frozenset[str]:
    return frozenset(table.fingerprint for table in demo_tables().values())


def _fingerprints_in(value: object, found: list[str]) -> None:
    """Collect every fingerprint-looking string in a cache key, however deeply nested."""
    if isinstance(value, str):
        if _FINGERPRINT.fullmatch(value):
            found.append(value)
    elif isinstance(value, tuple | list | set | frozenset):
        for item in value:
            _fingerprints_in(item, found)
    elif isinstance(value, dict):
        for item in value.items():
            _fingerprints_in(item, found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _fingerprints_in(getattr(value, field.name), found)


def shareable(key: Hashable) -> bool:
    """Whether a cache key names a result of the demo only, which every session may share.

    The rule: at least one fingerprint-looking element (32 lowercase hex characters, in
    the key's tuples, lists, sets, dicts or dataclasses) and every such element a
    demo table's fingerprint. A key with no fingerprint (an upload's file id, a
    setting alone) or with any other fingerprint (a user's table) stays in the session.
    The other elements of a shared key are settings (a period, a slider's value); they
    select a result, and a session only gets a result by asking for the same key.
    """
    found: list[str] = []
    _fingerprints_in(key, found)
    return bool(found) and set(found) <= demo_fingerprints()


class SharedStore:
    """A bounded, thread-safe store that computes each key once, however many ask at once.

    Sessions run their scripts in separate threads: the first to ask for a key computes
    it while the others wait on that key's lock, then take the same value. A failed
    computation stores nothing (the next caller computes again). Values are shared
    objects: callers must treat them as read-only (pages copy a frame before changing it).
    """

    def __init__(self, size: int = _SHARED_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._values: OrderedDict = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.computed = 0  # how many values were computed (tests and the load benchmark)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._values

    def cached_keys(self) -> list[Hashable]:
        """The keys held now, least recently used first."""
        with self._lock:
            return list(self._values)

    def peek(self, key: Hashable) -> object:
        """The value held for a key (KeyError if none), without computing or reordering."""
        with self._lock:
            return self._values[key]

    def get(self, key: Hashable, compute: Callable[[], T], keep: int | None = None) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:  # computed by another session while this one waited
                    self._values.move_to_end(key)
                    return self._values[key]
            try:
                value = compute()
                with self._lock:
                    self.computed += 1
                    if keep is not None and isinstance(key, tuple) and key:
                        same = [k for k in self._values if k[0] == key[0]]
                        for old in same[: max(len(same) - keep + 1, 0)]:
                            del self._values[old]
                    self._values[key] = value
                    while len(self._values) > self.size:
                        self._values.popitem(last=False)
            finally:
                with self._lock:
                    if self._computing.get(key) is key_lock:
                        del self._computing[key]
        return value


@st.cache_resource(show_spinner=False)
def shared_store() -> SharedStore:
    """The one store of demo results of this server process."""
    return SharedStore()


def memo(
    name: str, key: tuple[Hashable, ...], compute: Callable[[], T], keep: int | None = None
) -> T:
    """Compute once for a key (data fingerprints and settings), keeping the newest results.

    Where the key names demo tables only (`shareable`), the result is computed once per
    server and shared by every session (`shared_store`): the demo is public, and twenty
    people opening it at once should not compute it twenty times. Anything else lives in
    the session and dies with it (`st.cache_data` would share results between sessions
    that upload the same file). `keep` bounds how many results of this `name` stay
    (large raw tables: keep=1). Results are shared objects: never change one in place.
    """
    full_key = (name, key)
    if os.environ.get(SHARE_DEMO_ENV, "1") != "0" and shareable(key):
        return shared_store().get(full_key, compute, keep)
    store: OrderedDict = st.session_state.setdefault(
        "_chart_cache" if name.startswith("chart.") else "_cache", OrderedDict()
    )
    size = _CHART_CACHE_SIZE if name.startswith("chart.") else _CACHE_SIZE
    if full_key in store:
        store.move_to_end(full_key)
        return store[full_key]
    value = compute()
    if keep is not None:
        same = [k for k in store if k[0] == name]
        for old in same[: max(len(same) - keep + 1, 0)]:
            del store[old]
    store[full_key] = value
    while len(store) > size:
        store.popitem(last=False)
    return value
