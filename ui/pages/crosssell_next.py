"""Cross-sell's "Next best product" and "How good are the recommendations?" tabs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.crosssell import holdout_chart, recommended_items_chart
from core.crosssell import (
    HOLDOUT_SHARE_AFTER,
    HOLDOUT_TOP_N,
    MAX_TOP_N,
    TABLE_ROWS,
    BasketData,
    BasketSettings,
    NextBest,
    Recommender,
    holdout_check,
    holdout_span,
    next_best,
    next_best_list,
)
from core.format import fmt_change, fmt_count, fmt_share
from core.segmentation import SEGMENTS
from ui.charts import show_chart
from ui.common import download_csv, download_excel, message_text, rfm_of, tr
from ui.pages.crosssell_common import KEEP
from ui.state import LoadedTable, lang, memo


def segment_of(transactions: LoadedTable) -> pd.Series:
    """Each customer's RFM segment code (the session's one RFM table, ui.common.rfm_of)."""
    return rfm_of(transactions).table["rfm_segment"]


@st.fragment
def next_tab(transactions: LoadedTable, settings: BasketSettings, model: Recommender) -> None:
    """Every customer's next best items (its controls rerun only this tab, from cached lists)."""
    st.markdown(tr("crosssell.next_intro"))
    top_n = st.slider(
        tr("crosssell.top_n"),
        1,
        MAX_TOP_N,
        5,
        key="crosssell_top_n",
        help=tr("crosssell.top_n_help"),
    )
    # Ranked once for the longest list: any shorter one is its start.
    best: NextBest = memo(
        "crosssell_next_best",
        (transactions.fingerprint, settings),
        lambda: next_best(model, segment_of(transactions)),
    )
    if best.problem:
        st.info(message_text(best.problem), icon=":material/info:")
        return
    chosen = tuple(
        st.multiselect(
            tr("crosssell.segments"),
            best.segments,
            format_func=lambda s: tr(f"segment.{s}"),
            placeholder=tr("crosssell.all_segments"),
            key="crosssell_segments",
            help=tr("crosssell.segments_help"),
        )
    )
    item = tr(f"crosssell.level_{settings.level}")
    columns = {
        "customer_id": tr("field.customer_id"),
        "segment": tr("crosssell.col_segment"),
        "reason_1": tr("crosssell.col_reason"),
        **{
            f"item_{rank}": tr("crosssell.col_rank", rank=rank, item=item)
            for rank in range(1, top_n + 1)
        },
    }
    key = (transactions.fingerprint, settings, top_n, chosen, lang())
    shown = memo(
        "crosssell_next_list",
        key,
        lambda: next_best_list(
            best, top_n, chosen, columns, {s: tr(f"segment.{s}") for s in SEGMENTS}
        ),
        keep=KEEP,
    )
    export = shown.export
    st.caption(tr("crosssell.next_caption", n=fmt_count(len(export)), shown=fmt_count(TABLE_ROWS)))
    st.dataframe(export.head(TABLE_ROWS), hide_index=True, width="stretch")
    name = "next_best_" + ("_".join(chosen) if chosen else "all")
    one, two = st.columns(2)
    with one:
        download_csv(
            export,
            f"{name}.csv",
            tr("crosssell.download_csv", n=fmt_count(len(export))),
            key="crosssell_recs_csv",
        )
    with two:
        download_excel(
            export,
            f"{name}.xlsx",
            tr("crosssell.download_excel", n=fmt_count(len(export))),
            key="crosssell_recs_xlsx",
        )
    # The items suggested first depend on the segments chosen, not on the list's length.
    show_chart(
        "crosssell.recommended",
        (transactions.fingerprint, settings, chosen),
        lambda: recommended_items_chart(shown.first_choice, lang()),
    )
    st.caption(tr("crosssell.recommended_caption"))
    with st.expander(tr("crosssell.method_title")):
        st.markdown(tr("crosssell.method_text"))


@st.fragment
def check_tab(transactions: LoadedTable, settings: BasketSettings, baskets: BasketData) -> None:
    """The holdout check: suggestions from orders before a cut-off against the next order."""
    st.markdown(tr("crosssell.check_intro"))
    span = memo(
        "crosssell_holdout_span",
        (transactions.fingerprint, settings),
        lambda: holdout_span(baskets),
    )
    if span.problem:
        st.info(message_text(span.problem), icon=":material/info:")
        return
    cutoff = st.date_input(
        tr("crosssell.cutoff"),
        value=span.default_cutoff,
        min_value=span.first_day,
        max_value=span.last_day,
        help=tr("crosssell.cutoff_help", share=fmt_share(1 - HOLDOUT_SHARE_AFTER, 0)),
        key="crosssell_cutoff",
    )
    key = (transactions.fingerprint, settings, cutoff)
    check = memo(
        "crosssell_holdout", key, lambda: holdout_check(baskets, cutoff, HOLDOUT_TOP_N), keep=KEEP
    )
    if check.problem:
        st.info(message_text(check.problem), icon=":material/info:")
        return
    if check.few_items:
        st.info(message_text(check.few_items), icon=":material/info:")
    result = check.result
    a, b, c = st.columns(3)
    a.metric(
        tr("crosssell.hit_rate", top=result.top_n),
        fmt_share(result.hit_rate),
        delta=fmt_change(check.difference, "share"),
        help=tr("crosssell.hit_rate_help", top=result.top_n),
    )
    b.metric(
        tr("crosssell.baseline_hit_rate", top=result.top_n),
        fmt_share(result.baseline_hit_rate),
        help=tr("crosssell.baseline_help", top=result.top_n),
    )
    c.metric(
        tr("crosssell.check_customers"),
        fmt_count(result.customers),
        help=tr("crosssell.check_customers_help"),
    )
    show_chart("crosssell.holdout", key, lambda: holdout_chart(check.rates, lang(), result.top_n))
    if check.reading:
        st.markdown(message_text(check.reading))
