"""Segmentation: RFM segments, k-means clusters and lifecycle stages, with actions, breakdowns and exports.

The tabs are drawn by `ui.pages.segmentation_*`; each takes the page's inputs
(`SegmentationData`) and calls core for tables that are cached per data set,
setting and language.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.segmentation import analysis_days
from ui.common import demo_banner, lifecycle_found, require_orders, rfm_of, tr
from ui.pages.segmentation_clusters import clusters_tab
from ui.pages.segmentation_lifecycle import lifecycle_controls, lifecycle_tab
from ui.pages.segmentation_parts import segmentation_data, show_problems
from ui.pages.segmentation_rfm import rfm_tab
from ui.state import get_table, memo


def main() -> None:
    st.title(tr("seg.title"))
    st.markdown(tr("seg.intro"))
    demo_banner()

    transactions, orders = require_orders()
    customers = get_table("customers")
    first_day, last_day = memo(
        "seg.days", (transactions.fingerprint,), lambda: analysis_days(orders)
    )
    left, right = st.columns(2)
    as_of = left.date_input(
        tr("seg.as_of"),
        value=last_day.date(),
        min_value=first_day.date(),
        max_value=last_day.date(),
        help=tr("seg.as_of_help"),
        key="seg_as_of",
    )
    monetary = right.radio(
        tr("seg.monetary"),
        ["total", "average"],
        format_func=lambda m: tr(f"seg.monetary_{m}"),
        horizontal=True,
        key="seg_monetary",
    )
    as_of = pd.Timestamp(as_of)
    rfm = rfm_of(transactions, as_of, monetary)
    show_problems(rfm.problems)
    if rfm.table.empty:
        st.stop()

    tab_rfm, tab_clusters, tab_life = st.tabs(
        [tr("seg.tab_rfm"), tr("seg.tab_clusters"), tr("seg.tab_lifecycle")]
    )
    # The thresholds come first: the customer lists of every tab carry each customer's stage.
    with tab_life:
        thresholds = lifecycle_controls(lifecycle_found(transactions))
    data = segmentation_data(transactions, customers, as_of, monetary, thresholds)
    with tab_rfm:
        rfm_tab(data)
    with tab_clusters:
        clusters_tab(data)
    with tab_life:
        lifecycle_tab(data)


main()
