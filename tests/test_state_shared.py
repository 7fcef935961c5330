"""ui.state's shared store of demo results: which keys may be shared, computed once, bounded.

The sessions themselves (two AppTest sessions, one with a user's table) are in
tests/app/test_shared_demo.py.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

import ui.state as state
from ui.state import SharedStore, shareable

DEMO_A = "a" * 32
DEMO_B = "0123456789abcdef" * 2
USER = "f" * 32


@pytest.fixture(autouse=True)
def _demo_fingerprints(monkeypatch):
    monkeypatch.setattr(state, "demo_fingerprints", lambda: frozenset({DEMO_A, DEMO_B}))


@dataclass(frozen=True)
class _Setting:
    table: str
    days: int


@pytest.mark.parametrize(
    ("key", "shared"),
    [
        ((DEMO_A,), True),
        ((DEMO_A, "month", 90), True),
        ((DEMO_A, DEMO_B), True),
        ((DEMO_A, None), True),  # "no customers table" is not a user's data
        (((DEMO_A, True), 3), True),  # nested, as crosssell's (fingerprint, leave_out)
        ((DEMO_A, USER), False),  # any other table's fingerprint keeps it in the session
        (((DEMO_A,), [USER]), False),
        ((DEMO_A, _Setting(USER, 30)), False),  # a fingerprint inside a dataclass is seen
        ((DEMO_A, {"table": USER}), False),
        ((USER,), False),
        (("3f2a6c1e-7b1d-4c55-9a0e-2d1f0c9b8e77",), False),  # an upload's file id
        (("month", 90), False),  # settings alone
        ((), False),
        ((DEMO_A.upper(),), False),  # not a fingerprint: fingerprints are lowercase hex
    ],
)
def test_shared_only_when_every_fingerprint_is_the_demo(key, shared):
    assert shareable(key) is shared


def test_concurrent_askers_compute_once_and_get_the_same_object():
    store = SharedStore(size=8)
    calls = []
    start = threading.Barrier(8)

    def compute():
        calls.append(1)
        time.sleep(0.3)  # long enough for every other thread to arrive and wait
        return {"value": len(calls)}

    results = [None] * 8

    def ask(i):
        start.wait()
        results[i] = store.get(("kpis", (DEMO_A,)), compute)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1
    assert store.computed == 1
    assert all(r is results[0] for r in results) and results[0] == {"value": 1}


def test_different_keys_compute_at_the_same_time():
    """No global lock is held while computing: two keys, each waiting for the other to start."""
    store = SharedStore(size=8)
    started = {name: threading.Event() for name in ("a", "b")}
    other = {"a": "b", "b": "a"}
    waited = {}

    def compute(name):
        started[name].set()
        waited[name] = started[other[name]].wait(5)
        return name

    threads = [
        threading.Thread(target=store.get, args=((name, (DEMO_A,)), lambda n=name: compute(n)))
        for name in ("a", "b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert waited == {"a": True, "b": True}


def test_a_failed_computation_stores_nothing_and_the_next_caller_computes():
    store = SharedStore(size=8)

    def fail():
        raise ValueError("boom")

    with pytest.raises(ValueError):
        store.get(("x", (DEMO_A,)), fail)
    assert ("x", (DEMO_A,)) not in store
    assert store.get(("x", (DEMO_A,)), lambda: 42) == 42
    assert store.get(("x", (DEMO_A,)), fail) == 42  # now stored: not computed again


def test_waiters_recompute_after_the_first_computation_fails():
    store = SharedStore(size=8)
    first_in = threading.Event()
    outcomes = []

    def fail_slowly():
        first_in.set()
        time.sleep(0.2)
        raise ValueError("boom")

    def first():
        try:
            store.get(("y", (DEMO_A,)), fail_slowly)
        except ValueError:
            outcomes.append("failed")

    def second():
        first_in.wait(5)
        outcomes.append(store.get(("y", (DEMO_A,)), lambda: "computed by the waiter"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["computed by the waiter", "failed"]


def test_the_store_is_bounded_and_drops_the_least_recently_used():
    store = SharedStore(size=3)
    for i in range(3):
        store.get(("n", (DEMO_A, i)), lambda i=i: i)
    store.get(("n", (DEMO_A, 0)), lambda: "not recomputed")  # 0 is now the most recent
    store.get(("n", (DEMO_A, 3)), lambda: 3)
    assert store.cached_keys() == [("n", (DEMO_A, 2)), ("n", (DEMO_A, 0)), ("n", (DEMO_A, 3))]
    assert len(store.cached_keys()) == 3


def test_keep_bounds_the_results_of_one_name():
    store = SharedStore(size=10)
    for days in (30, 60, 90):
        store.get(("history", (DEMO_A, days)), lambda d=days: d, keep=2)
    store.get(("other", (DEMO_A,)), lambda: 0)
    assert [k for k in store.cached_keys() if k[0] == "history"] == [
        ("history", (DEMO_A, 60)),
        ("history", (DEMO_A, 90)),
    ]
