"""Demo results computed once per server and shared; a user's results never leave their session.

Two (or three) AppTest sessions run in this one process, the way browser sessions run in
one server: `ui.state.shared_store()` is the process's store (st.cache_resource).
The rule itself and the store's locking are tested in tests/test_state_shared.py.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from core.format import fmt_count
from core.i18n import t
from core.ingest import ingest_file
from tests.app.apptest import open_page
from ui.state import SAMPLE_DIR, LoadedTable, demo_fingerprints, shared_store

OVERVIEW = "app_pages/overview.py"
# The pages of the load benchmark first, then every other analysis page that caches.
PAGES = [
    "app_pages/overview.py",
    "app_pages/segmentation.py",
    "app_pages/retention.py",
    "app_pages/clv.py",
    "app_pages/voc.py",
    "app_pages/campaign.py",
    "app_pages/crosssell.py",
]


def _session_keys(at) -> list:
    return list(at.session_state["_cache"]) if "_cache" in at.session_state else []


def _fingerprints(key) -> set[str]:
    found: set[str] = set()

    def walk(value):
        if isinstance(value, str) and len(value) == 32:
            found.add(value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)

    walk(key)
    return found


def _user_transactions() -> dict[str, LoadedTable]:
    """A user's own file: the demo's first 3,000 lines, uploaded under another name."""
    lines = (Path(SAMPLE_DIR) / "transactions.csv").read_text(encoding="utf-8").splitlines()
    data = "\n".join(lines[:3001]).encode()
    result = ingest_file(data, "mine.csv", "transactions")
    assert result.table is not None
    table = LoadedTable("transactions", result.table, result.report, result.fingerprint, "mine.csv")
    return {"transactions": table}


def _customers_shown(at) -> str:
    label = t("kpi.customers", "en")
    return next(m.value for m in at.metric if m.label == label)


def test_a_second_demo_session_computes_nothing_and_gets_the_same_objects():
    store = shared_store()
    first = open_page(OVERVIEW)
    demo = demo_fingerprints()
    shared = [k for k in store.cached_keys() if k[0] in ("orders", "overview_periods", "kpis")]
    assert {k[0] for k in shared} == {"orders", "overview_periods", "kpis"}
    assert all(_fingerprints(k[1]) <= demo for k in shared)
    assert not any(k[0] in ("orders", "kpis") for k in _session_keys(first))
    objects = {k: store.peek(k) for k in shared}

    computed = store.computed
    second = open_page(OVERVIEW)
    assert store.computed == computed  # nothing computed again for the second session
    assert _session_keys(second) == []
    assert all(store.peek(k) is objects[k] for k in shared)
    assert _customers_shown(second) == _customers_shown(first)


def test_a_users_results_stay_in_their_session_and_never_reach_a_demo_session():
    mine = _user_transactions()
    user_fp = mine["transactions"].fingerprint
    assert user_fp not in demo_fingerprints()

    demo_before = open_page(OVERVIEW)
    user = open_page(OVERVIEW, tables=mine)
    demo_after = open_page(OVERVIEW)

    # The user's results are in the user's session only.
    user_keys = _session_keys(user)
    assert {k[0] for k in user_keys} >= {"orders", "overview_periods", "kpis", "monthly"}
    assert all(user_fp in _fingerprints(k[1]) for k in user_keys)
    assert not any(user_fp in _fingerprints(k) for k in shared_store().cached_keys())
    for demo_session in (demo_before, demo_after):
        assert not any(user_fp in _fingerprints(k) for k in _session_keys(demo_session))

    # And each session shows its own numbers.
    expected_user = fmt_count(mine["transactions"].table["customer_id"].nunique())
    assert _customers_shown(user) == expected_user
    assert _customers_shown(demo_after) == _customers_shown(demo_before) != expected_user


def _digest(value) -> str | None:
    try:
        return hashlib.blake2b(pickle.dumps(value), digest_size=16).hexdigest()
    except Exception:  # a value pickle cannot take is not compared
        return None


def test_pages_do_not_change_shared_results_in_place():
    """Every analysis page on the demo, twice: the shared results are byte-identical after."""
    for page in PAGES:
        open_page(page)
    store = shared_store()
    before = {k: _digest(store.peek(k)) for k in store.cached_keys()}
    compared = [k for k, d in before.items() if d is not None]
    assert len(compared) >= 20, before  # most results pickle; the rest are not compared

    for page in PAGES:
        open_page(page)
    after = {k: _digest(store.peek(k)) for k in compared if k in store}
    changed = [k for k in after if after[k] != before[k]]
    assert not changed, changed
