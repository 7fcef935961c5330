"""The Lifetime value page's acquisition section: what a new customer is worth against what it costs.

The cost is entered overall or per channel (an editor that starts empty: no verdict on
a cost nobody entered); `core.clv.acquisition_view` does the rest, cached per What-if
and cost.
"""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from core.charts.clv import payback_chart
from core.clv import GOOD_RATIO, CustomerGroups, ValueView, acquisition_view, channel_costs
from core.format import fmt_money
from ui.common import message_text, tr
from ui.pages.clv_charts import show_with_data
from ui.pages.clv_customers import channel_label
from ui.state import lang, memo

Key = tuple[Hashable, ...]


def cost_input(groups: CustomerGroups) -> tuple[bool, object]:
    """Overall or per channel (when the data has channels), and the cost(s) entered."""
    by_channel = False
    if groups.channels is not None:
        mode = st.radio(
            tr("clv.cac_mode"),
            ["overall", "channel"],
            format_func=lambda m: tr(f"clv.cac_mode_{m}"),
            horizontal=True,
            key="clv_cac_mode",
        )
        by_channel = mode == "channel"
    if by_channel:
        entered = st.data_editor(
            groups.cac_template,
            hide_index=True,
            disabled=["channel"],
            key="clv_cac_table",
            column_config={
                "channel": st.column_config.TextColumn(channel_label(groups)),
                "cac": st.column_config.NumberColumn(
                    tr("clv.cac"), min_value=0.0, format="%.2f", help=tr("clv.cac_help")
                ),
            },
        )
        return True, channel_costs(entered)
    # No cost until the user enters one: no verdict on an assumption they never made.
    cost = st.number_input(
        tr("clv.cac"),
        min_value=0.0,
        value=None,
        step=5.0,
        key="clv_cac",
        help=tr("clv.cac_help"),
        placeholder=tr("clv.cac_placeholder"),
    )
    return False, cost


def acquisition_section(key: Key, view: ValueView, groups: CustomerGroups) -> None:
    """CLV against acquisition cost: a new customer's value, CLV : CAC, payback, per channel."""
    st.subheader(tr("clv.acquisition_title"))
    st.caption(tr("clv.acquisition_intro"))
    by_channel, cac = cost_input(groups)
    settings = (*key, view.whatif, by_channel, cac)
    everyone = tr("clv.all_customers")
    result = memo(
        "clv_acquisition",
        (*settings, everyone),
        lambda: acquisition_view(view, groups, cac, by_channel, everyone),
        keep=3,
    )
    months = view.whatif.horizon_months
    e1, e2, e3 = st.columns(3)
    e1.metric(
        tr("clv.metric_new_value"),
        fmt_money(result.new_value),
        help=tr(
            "clv.metric_new_value_help",
            first=fmt_money(view.new.first_order_spend),
            repeat=fmt_money(view.new.repeat_spend),
            months=months,
        ),
    )
    if result.verdict is None:
        st.info(message_text(result.missing))
    else:
        e2.metric(
            tr("clv.metric_ratio"),
            f"{result.ratio:.1f} : 1",
            help=tr("clv.metric_ratio_help", good=f"{GOOD_RATIO:g}"),
        )
        e3.metric(
            tr("clv.metric_payback"),
            tr("clv.payback_never", months=months)
            if result.payback_months is None
            else tr("clv.payback_months", months=result.payback_months),
            help=tr("clv.metric_payback_help"),
        )
        st.markdown(message_text(result.verdict))
    show_with_data(
        "clv.payback",
        (*key, by_channel, result.has_cost),
        lambda: payback_chart(result.curves, lang()),
        result.curves,
        settings,
    )
    if by_channel:
        st.dataframe(
            result.table,
            hide_index=True,
            width="stretch",
            column_config={
                "group": st.column_config.TextColumn(channel_label(groups)),
                "customers": st.column_config.NumberColumn(
                    tr("chart.customers"), format="localized"
                ),
                "mean_clv": st.column_config.NumberColumn(tr("clv.col_mean_clv"), format="%.2f"),
                "new_value": st.column_config.NumberColumn(
                    tr("clv.metric_new_value"), format="%.2f"
                ),
                "cac": st.column_config.NumberColumn(tr("clv.cac_short"), format="%.2f"),
                "ratio": st.column_config.NumberColumn(tr("clv.metric_ratio"), format="%.1f"),
                "payback_months": st.column_config.NumberColumn(tr("clv.col_payback"), format="%d"),
            },
        )
