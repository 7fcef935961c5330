"""Small building blocks shared by pages: the demo banner, message display, downloads."""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
import weakref
from collections.abc import Iterable

import pandas as pd
import streamlit as st
from streamlit import runtime

from core.clustering import customer_features
from core.export import ExcelFit, excel_fit, to_safe_csv, to_safe_excel
from core.format import fmt_count
from core.i18n import render, t
from core.ingest import CHOICES, RowPolicy, default_policy, policy_rules, rule_key, with_choice
from core.problems import Problem
from core.schema import TableKind
from core.segmentation import (
    LifecycleThresholds,
    MonetaryKind,
    RfmResult,
    lifecycle_stages,
    lifecycle_thresholds,
    rfm_table,
)
from core.summary import orders_table
from ui.server import release_memory
from ui.state import LoadedTable, get_table, lang, memo, using_demo

UPLOAD_PAGE = "app_pages/upload.py"
QUALITY_PAGE = "app_pages/quality.py"
OVERVIEW_PAGE = "app_pages/overview.py"
SEGMENTATION_PAGE = "app_pages/segmentation.py"
CLV_PAGE = "app_pages/clv.py"
RETENTION_PAGE = "app_pages/retention.py"
VOC_PAGE = "app_pages/voc.py"
CAMPAIGN_PAGE = "app_pages/campaign.py"
CROSSSELL_PAGE = "app_pages/crosssell.py"


def tr(key: str, **params: object) -> str:
    """`core.i18n.t` in the session's language."""
    return t(key, lang(), **params)


_OPTION_TYPES = (str, int, float, dt.date)


def _is_option_value(value: object) -> bool:
    return isinstance(value, _OPTION_TYPES) and not isinstance(value, bool)


def relabel_widgets() -> None:
    """After a language switch, make every choice widget show its labels in the new language.

    A keyed selectbox or radio whose `format_func` changes keeps its old label in the
    browser (and a radio loses its mark): Streamlit only sends the newly formatted value
    when the value is set from Python. Runs as the language switch's on_change callback,
    re-setting each option-like value to itself. Buttons, checkboxes (booleans), uploads
    and editors (other types) are left alone: they cannot or need not be set.
    """
    for key in list(st.session_state):
        if key == "lang":
            continue
        value = st.session_state[key]
        simple = _is_option_value(value) or (
            isinstance(value, list | tuple) and all(_is_option_value(v) for v in value)
        )
        if simple:
            st.session_state[key] = value


def demo_banner() -> None:
    """Say plainly that the numbers are the demo's, with the way to upload one's own."""
    if not using_demo():
        return
    with st.container(border=True):
        text, button = st.columns([3, 1], vertical_alignment="center")
        text.markdown(f"**{tr('demo.title')}** {tr('demo.body')}")
        if button.button(
            tr("demo.upload_button"),
            icon=":material/upload:",
            key="demo_banner_upload",
            width="stretch",
        ):
            st.switch_page(UPLOAD_PAGE)


_MARKDOWN_SPECIAL = "\\`*_{}[]<>()#+-.!|~:$"
# An invisible WORD JOINER (U+2060): no width, no line break, ignored by search and
# screen readers, and not a word character for the patterns below.
_JOINER = "\u2060"
# Escaping is not enough to stop links: Streamlit's Markdown (remark-gfm) also turns
# URLs and e-mail addresses into links *after* parsing, with a regular expression run
# over the unescaped text ("https?://", "www." and "name@domain.tld", case-insensitive).
# A joiner after every ":" and "@" and inside "www." breaks each of those patterns (and
# the ":shortcode:" emoji and icon patterns too), while the text reads the same.
_WWW = re.compile(r"(?i)(www)(?=\\\.)")


def plain(text: object) -> str:
    """User-supplied text made inert for st.markdown: no links, images, HTML or formatting.

    Markdown characters are escaped, and the patterns the browser would still turn into
    links (http://…, www.…, e-mail addresses) or emoji are broken by an invisible joiner.
    """
    escaped = "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
    escaped = escaped.replace(":", ":" + _JOINER).replace("@", "@" + _JOINER)
    return _WWW.sub(r"\1" + _JOINER, escaped)


def message_text(message: Problem | Iterable[Problem]) -> str:
    """A core `Problem` (or several, one after the other) in the session's language, for Markdown.

    Said by `core.i18n.render`: nested phrases translated, figures as written, and
    every other text value (the user's own) made inert by `plain`.
    """
    return render(message, lang(), plain)


def orders_of(transactions: LoadedTable) -> pd.DataFrame:
    """The orders table (one row per order) of a transactions table, computed once per session."""
    return memo("orders", (transactions.fingerprint,), lambda: orders_table(transactions.table))


def rfm_of(
    transactions: LoadedTable,
    as_of: pd.Timestamp | dt.date | None = None,
    monetary: MonetaryKind = "total",
) -> RfmResult:
    """The session's one RFM table of a data set as of a day (default: the last order's day).

    Every page asks here, so one data set, day and monetary rule is computed once.
    """
    orders = orders_of(transactions)
    day = pd.Timestamp(as_of if as_of is not None else orders["order_date"].max()).normalize()
    key = (transactions.fingerprint, day, monetary)
    return memo("rfm", key, lambda: rfm_table(orders, day, monetary))


def lifecycle_found(transactions: LoadedTable) -> LifecycleThresholds:
    """The lifecycle thresholds learned from a data set's own gaps between orders (once)."""
    orders = orders_of(transactions)
    return memo(
        "life_thresholds", (transactions.fingerprint,), lambda: lifecycle_thresholds(orders)
    )


def stages_of(
    transactions: LoadedTable, thresholds: LifecycleThresholds, as_of: pd.Timestamp
) -> pd.Series:
    """Each customer's lifecycle stage as of a day, under the given thresholds (once per key)."""
    orders = orders_of(transactions)
    key = (transactions.fingerprint, thresholds, pd.Timestamp(as_of).normalize())
    return memo("stages", key, lambda: lifecycle_stages(orders, thresholds, key[2]))


def require_orders() -> tuple[LoadedTable, pd.DataFrame]:
    """The session's transactions and their orders table, or a message and a stop.

    Every analysis page starts here: without transactions there is nothing to show.
    """
    transactions = get_table("transactions")
    if transactions is None:
        st.warning(tr("overview.no_transactions"), icon=":material/warning:")
        st.page_link(UPLOAD_PAGE, label=tr("nav.upload"), icon=":material/upload_file:")
        st.stop()
    orders = orders_of(transactions)
    if orders.empty:
        st.warning(tr("overview.no_orders"), icon=":material/warning:")
        st.stop()
    return transactions, orders


def show_problem(problem: object) -> None:
    st.error(message_text(problem), icon=":material/error:")


# How often exports already fetched are forgotten. Streamlit serves a clicked download
# from memory at /media/<hash> to any client that asks, with no session check, and
# deletes it only at the second clean-up after the click; it cleans up at the end of
# some session's page run, so on a quiet server a file outlived its owner's closed tab
# (measured: still served 135 s after the tab closed, past the 120 s reconnect window,
# until another session ran a page). Sweeping on a clock bounds that to two periods.
DOWNLOAD_SWEEP_SECONDS = 30
_log = logging.getLogger(__name__)


def sweep_downloads() -> None:
    """Forget every download no open page still shows (one clean-up: marks, then deletes)."""
    if runtime.exists():
        runtime.get_instance().media_file_mgr.remove_orphaned_files()


def _sweep_forever() -> None:
    while True:
        time.sleep(DOWNLOAD_SWEEP_SECONDS)
        try:
            sweep_downloads()
            release_memory()
        except Exception:  # noqa: BLE001 - the sweeper must outlive one failed sweep
            _log.exception("download sweep failed")


def start_housekeeping() -> None:
    """Start the server's one housekeeping thread (app.py, every run; cheap after the first)."""
    _download_sweeper()


@st.cache_resource(show_spinner=False)
def _download_sweeper() -> threading.Thread:
    """One thread per server that keeps fetched downloads for at most two sweep periods,
    and returns memory freed by ended sessions to the system (`ui.server.release_memory`)."""
    thread = threading.Thread(target=_sweep_forever, name="download-sweeper", daemon=True)
    thread.start()
    return thread


def download_csv(frame: pd.DataFrame, filename: str, label: str, key: str) -> None:
    """A download button whose CSV is safe to open in Excel (formulas neutralised).

    The file is only built when the button is clicked, not on every rerun of the page,
    and the server forgets it within two sweeps (`DOWNLOAD_SWEEP_SECONDS`).
    """
    _download_sweeper()
    st.download_button(
        label,
        lambda: to_safe_csv(frame),
        file_name=filename,
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


# What Excel cannot hold of each frame shown with an Excel button, by the frame object:
# pages pass frames from their cache, so a rerun finds the answer instead of scanning
# every cell again (20–45 ms a 40k-row list). Entries go with their frame (weakref).
_EXCEL_FITS: dict[int, tuple[weakref.ref, ExcelFit]] = {}
_EXCEL_FITS_LOCK = threading.RLock()  # the weakref callback may run inside the lock (GC)


def _excel_fit_of(frame: pd.DataFrame) -> ExcelFit:
    with _EXCEL_FITS_LOCK:
        held = _EXCEL_FITS.get(id(frame))
        if held is not None and held[0]() is frame:
            return held[1]
    fit = excel_fit(frame)
    ident = id(frame)

    def forget(_ref: weakref.ref) -> None:
        with _EXCEL_FITS_LOCK:
            if _EXCEL_FITS.get(ident, (None,))[0] is _ref:
                del _EXCEL_FITS[ident]

    with _EXCEL_FITS_LOCK:
        _EXCEL_FITS[ident] = (weakref.ref(frame, forget), fit)
    return fit


def download_excel(frame: pd.DataFrame, filename: str, label: str, key: str) -> None:
    """An .xlsx download with formulas neutralised, built only when clicked.

    Says under the button how many cells Excel cannot hold whole (too long, or with
    control characters) and how many rows it cannot hold, and that the CSV keeps them:
    the pages offer both.
    """
    _download_sweeper()
    st.download_button(
        label,
        lambda: to_safe_excel(frame),
        file_name=filename,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )
    fit = _excel_fit_of(frame)
    if fit.cut:
        st.caption(tr("export.excel_cut", n=fmt_count(fit.cut)))
    if fit.cleaned:
        st.caption(tr("export.excel_cleaned", n=fmt_count(fit.cleaned)))
    if fit.rows_left_out:
        st.caption(tr("export.excel_rows", n=fmt_count(fit.rows_left_out)))


def row_policy_widgets(
    kind: TableKind, mapping: dict[str, str | None], counts: dict[str, int], key: str
) -> RowPolicy:
    """The row rules of this table with the rows each concerns, one choice each (Upload page).

    Starts from the kind's default for the mapping; rules that concern no row are not
    asked, and a table with no rule to choose shows nothing. Returns the policy chosen.
    """
    default = default_policy(kind, mapping)
    policy = default
    changeable = policy_rules(kind, mapping)
    if not changeable:  # customers with IDs: one row per customer, nothing to choose
        return policy
    rules = [rule for rule in changeable if counts.get(rule)]
    st.subheader(tr("upload.rules_title"))
    if not rules:
        st.caption(tr("upload.rules_none"))
        return policy
    st.caption(tr("upload.rules_help"))
    for rule in rules:
        name = rule_key(kind, rule)
        preset = default.choice(rule)
        choice = st.radio(
            tr(name, count=fmt_count(counts[rule])),
            CHOICES,
            index=CHOICES.index(preset),
            format_func=lambda c, name=name, preset=preset: (
                tr(f"{name}.{c}") + (f" · {tr('upload.rule_default')}" if c == preset else "")
            ),
            # The default is part of the key: mapping an order ID resets the choice to it.
            key=f"rule_{kind}_{rule}_{key}_{preset}",
            help=tr(f"{name}.help"),
            horizontal=True,
        )
        policy = with_choice(policy, rule, choice)
    return policy


def rules_used(report) -> list[str]:
    """Sentences stating each row rule a table was read with and the rows it concerns."""
    return [
        tr(
            "quality.rule_used",
            rule=tr(rule_key(report.kind, rule), count=fmt_count(count)),
            choice=tr(f"{rule_key(report.kind, rule)}.{report.policy.choice(rule)}"),
        )
        for rule, count in report.rule_counts.items()
    ]


def features_of(
    transactions: LoadedTable,
    customers: LoadedTable | None = None,
    as_of: pd.Timestamp | dt.date | None = None,
) -> pd.DataFrame:
    """The per-customer features (`core.clustering.customer_features`) of a data set, once per key.

    Segmentation's clusters and Lifetime value's breakdowns ask here for the same table.
    """
    orders = orders_of(transactions)
    day = None if as_of is None else pd.Timestamp(as_of).normalize()
    key = (transactions.fingerprint, customers.fingerprint if customers else None, day)
    return memo(
        "features",
        key,
        lambda: customer_features(
            orders, transactions.table, customers.table if customers else None, day
        ),
    )
