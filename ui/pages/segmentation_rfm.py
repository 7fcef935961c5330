"""Segmentation page, RFM tab: segment bars and grid, the segments table, customers, breakdown, what-if."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts import SEGMENT_SELECTION, rf_grid_chart, segment_bar_chart
from core.format import fmt_count, fmt_money, fmt_share
from core.segmentation import (
    LIST_ROWS,
    SEGMENTS,
    ListChoice,
    move_customers,
    rules_grid,
    segment_bars,
    segment_cells,
    segment_names,
    segment_table,
    segment_view,
)
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.pages.segmentation_parts import (
    SegmentationData,
    breakdown,
    customers_of,
    export_buttons,
    selectable_chart,
)
from ui.state import lang, memo


def rfm_tab(data: SegmentationData) -> None:
    """The RFM segments of `data`: what each is worth and what to do, its customers, and a what-if."""
    view = memo("seg.view", data.rfm_key, lambda: segment_view(data.rfm))
    chart_col, grid_col = st.columns([2, 3])
    event = selectable_chart(
        "seg.bars",
        data.rfm_key,
        lambda: segment_bar_chart(segment_bars(view, lang()), lang()),
        "seg_bar",
        chart_col,
    )
    chart_col.caption(tr("seg.click_hint"))
    show_chart(
        "seg.grid",
        data.rfm_key,
        lambda: rf_grid_chart(segment_cells(view, lang()), lang()),
        grid_col,
    )

    st.subheader(tr("seg.segments_title"))
    table = memo("seg.table", (*data.rfm_key, lang()), lambda: segment_table(view, lang()))
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=36 * (len(table) + 1) + 2,
        column_config={
            "segment": st.column_config.TextColumn(tr("seg.col_segment"), width="small"),
            "what": st.column_config.TextColumn(tr("seg.col_what"), width="medium"),
            "customers": st.column_config.NumberColumn(tr("chart.customers"), format="localized"),
            "share": st.column_config.NumberColumn(tr("chart.share_customers"), format="%.1f%%"),
            "revenue_share": st.column_config.NumberColumn(
                tr("chart.share_revenue"), format="%.1f%%"
            ),
            "recency": st.column_config.NumberColumn(tr("seg.col_avg_recency"), format="%.0f"),
            "frequency": st.column_config.NumberColumn(tr("seg.col_avg_frequency"), format="%.1f"),
            "monetary": st.column_config.NumberColumn(
                tr(f"seg.col_avg_monetary_{data.monetary}"), format="%.2f"
            ),
            "action": st.column_config.TextColumn(tr("seg.col_action"), width="large"),
        },
    )
    with st.expander(tr("seg.rules_title")):
        st.markdown(tr("seg.rules_text"))
        st.dataframe(rules_grid(lang()), width="stretch")
        st.markdown(tr("seg.tie_rule"))

    picked = [p["segment"] for p in event.selection.get(SEGMENT_SELECTION, [])] if event else []
    st.subheader(tr("seg.customers_title"))
    names = segment_names(lang())
    chosen = st.multiselect(
        tr("seg.show_segments"),
        SEGMENTS,
        default=picked,
        format_func=names.get,
        # A click on a bar makes a new widget, so the bar's segment becomes its choice.
        key=f"seg_filter_{'_'.join(picked)}",
        placeholder=tr("seg.all_segments"),
    )
    listed = customers_of(data, ListChoice(segments=tuple(chosen)))
    st.caption(tr("seg.list_caption", n=fmt_count(listed.customers), shown=fmt_count(LIST_ROWS)))
    st.dataframe(listed.top, hide_index=True, width="stretch")
    export_buttons(listed, "segments_" + ("_".join(chosen) if chosen else "all"), "seg_export")

    st.subheader(tr("seg.breakdown_title"))
    breakdown(data, data.rfm.table["rfm_segment"], names, "seg_breakdown", data.rfm_key)
    whatif_panel(view.profile)


@st.fragment
def whatif_panel(profile: pd.DataFrame) -> None:
    """Move a share of one segment's customers to another and see the yearly revenue (reruns alone)."""
    st.subheader(tr("seg.whatif_title"))
    st.caption(tr("seg.whatif_intro"))
    names = segment_names(lang())
    one, two, three = st.columns(3)
    from_segment = one.selectbox(
        tr("seg.whatif_from"),
        SEGMENTS,
        index=SEGMENTS.index("at_risk"),
        format_func=names.get,
        key="seg_whatif_from",
    )
    to_segment = two.selectbox(
        tr("seg.whatif_to"),
        SEGMENTS,
        index=SEGMENTS.index("loyal"),
        format_func=names.get,
        key="seg_whatif_to",
    )
    percent = three.slider(
        tr("seg.whatif_share"), 0, 100, 10, step=5, format="%d%%", key="seg_whatif_share"
    )
    move = move_customers(profile, from_segment, to_segment, percent / 100)
    if move.problem:
        st.info(message_text(move.problem), icon=":material/info:")
        return
    a, b, c = st.columns(3)
    a.metric(tr("seg.whatif_moved"), fmt_count(move.customers_moved))
    b.metric(
        tr("seg.whatif_change"),
        fmt_money(move.revenue_change),
        delta=None if move.change_share is None else fmt_share(move.change_share),
    )
    c.metric(tr("seg.whatif_after"), fmt_money(move.revenue_after))
    st.caption(
        tr(
            "seg.whatif_reading",
            n=fmt_count(move.customers_moved),
            source=names[from_segment],
            target=names[to_segment],
            per_from=fmt_money(move.revenue_per_customer_from),
            per_to=fmt_money(move.revenue_per_customer_to),
            change=fmt_money(move.revenue_change),
        )
    )
