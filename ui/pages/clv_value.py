"""The Lifetime value page's value tab: the What-if, CLV against acquisition cost, who is worth most.

Every number comes from `core.clv.views` on the cached fitted models: margin, discount
rate and horizon only slice and weigh the cached forecast (`value_result`).
"""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from core.charts.clv import clv_histogram, group_value_chart, histogram_table
from core.clv import (
    MAX_HORIZON_MONTHS,
    CustomerGroups,
    ValueModel,
    ValueView,
    WhatIf,
    attribute_label,
    customer_list,
    distribution_note,
    forecast_block,
    forecast_blocks,
    horizon_forecast,
    uplift_of,
    value_breakdown,
    value_view,
)
from core.format import fmt_count, fmt_money, fmt_share
from ui.common import message_text, tr
from ui.pages.clv_acquisition import acquisition_section
from ui.pages.clv_charts import show_with_data
from ui.pages.clv_customers import all_customers, top_customers
from ui.state import lang, memo

Key = tuple[Hashable, ...]


def what_if_panel() -> WhatIf:
    """The three assumptions every value on the tab depends on."""
    with st.container(border=True):
        st.markdown(f"**{tr('clv.whatif_title')}**")
        a, b, c = st.columns(3)
        margin = a.slider(
            tr("clv.margin"),
            1,
            100,
            30,
            format="%d%%",
            key="clv_margin",
            help=tr("clv.margin_help"),
        )
        discount = b.slider(
            tr("clv.discount"),
            0,
            30,
            10,
            format="%d%%",
            key="clv_discount",
            help=tr("clv.discount_help"),
        )
        horizon = c.slider(
            tr("clv.horizon"),
            1,
            MAX_HORIZON_MONTHS,
            12,
            key="clv_horizon",
            help=tr("clv.horizon_help"),
        )
    return WhatIf(margin / 100, discount / 100, horizon)


def value_result(key: Key, values: ValueModel, whatif: WhatIf) -> ValueView:
    """The value view, each step cached: forecast blocks per model, the horizon's forecast, the view."""
    months = whatif.horizon_months
    blocks = [
        memo("clv_forecast_block", (*key, block), lambda block=block: forecast_block(values, block))
        for block in range(forecast_blocks(months))
    ]
    fc = memo(
        "clv_forecast", (*key, months), lambda: horizon_forecast(values, blocks, months), keep=2
    )
    return memo("clv_value", (*key, whatif), lambda: value_view(values, fc, whatif), keep=3)


def headline(view: ValueView, uncertain: bool) -> None:
    months = view.whatif.horizon_months
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        tr("clv.metric_mean_clv"), fmt_money(view.mean_clv), help=tr("clv.metric_mean_clv_help")
    )
    m2.metric(
        tr("clv.metric_total_clv"),
        fmt_money(view.total_clv),
        help=tr("clv.metric_total_clv_help", months=months),
    )
    m3.metric(
        tr("clv.metric_purchases"),
        fmt_count(view.expected_purchases),
        help=tr("clv.metric_purchases_help", months=months),
    )
    # With drop-out not identified, the average is the model's assumption, not a finding.
    m4.metric(
        tr("clv.metric_alive"),
        tr("clv.alive_unknown") if uncertain else fmt_share(view.mean_p_alive),
        help=tr("clv.alive_unknown_help" if uncertain else "clv.metric_alive_help"),
    )
    if uncertain:
        st.info(tr("clv.dropout_uncertain"), icon=":material/info:")
    st.markdown(message_text(view.reading))


def uplift_section(view: ValueView) -> None:
    """What customers buying more often would be worth."""
    uplift = st.slider(
        tr("clv.uplift"),
        0,
        50,
        10,
        step=5,
        format="+%d%%",
        key="clv_uplift",
        help=tr("clv.uplift_help"),
    )
    gain = uplift_of(view, uplift / 100)
    u1, u2, u3 = st.columns(3)
    u1.metric(tr("clv.uplift_purchases"), f"+{fmt_count(gain.extra_purchases)}")
    u2.metric(tr("clv.uplift_revenue"), f"+{fmt_money(gain.extra_revenue)}")
    u3.metric(tr("clv.uplift_clv"), f"+{fmt_money(gain.extra_clv)}")
    st.caption(
        tr(
            "clv.uplift_reading",
            x=fmt_share(uplift / 100, 0),
            revenue=fmt_money(gain.extra_revenue),
            months=view.whatif.horizon_months,
        )
    )


def groups_section(key: Key, view: ValueView, groups: CustomerGroups, names: dict) -> None:
    """Average CLV by RFM segment, and by an attribute of the user's choice (channel first)."""
    left, right = st.columns(2)
    attribute = None
    if groups.attributes:
        attribute = right.selectbox(
            tr("clv.by_attribute"),
            groups.attributes,
            index=groups.default_attribute,
            format_func=lambda c: attribute_label(c, lang()),
            key="clv_attribute",
        )
    breakdown = memo(
        "clv_breakdown",
        (*key, view.whatif, attribute, lang()),
        lambda: value_breakdown(view, groups, attribute, names),
        keep=3,
    )
    show_with_data(
        "clv.by_segment",
        key,
        lambda: group_value_chart(breakdown.by_segment, tr("clv.chart_by_segment"), lang()),
        breakdown.by_segment,
        (*key, view.whatif),
        where=left,
    )
    if attribute is None:
        right.info(tr("clv.no_channel"), icon=":material/info:")
        return
    title = tr("clv.chart_by_attribute", attribute=attribute_label(attribute, lang()))
    show_with_data(
        "clv.by_attribute",
        (*key, attribute),
        lambda: group_value_chart(breakdown.by_attribute, title, lang()),
        breakdown.by_attribute,
        (*key, view.whatif, attribute),
        where=right,
    )
    if breakdown.reading is not None:
        right.caption(message_text(breakdown.reading))


def value_tab(key: Key, values: ValueModel, groups: CustomerGroups) -> WhatIf:
    """The tab: What-if, headline values, acquisition, uplift, who is worth most, the list.

    `key`: the data's fingerprints and the model settings (the cache key of `values`
    and `groups`). Returns the What-if, which the frequency/recency tab also reads.
    """
    whatif = what_if_panel()
    view = value_result(key, values, whatif)
    headline(view, values.dropout_uncertain)
    acquisition_section(key, view, groups)
    uplift_section(view)

    st.subheader(tr("clv.who_title"))
    names = {s: tr(f"segment.{s}") for s in groups.segment_keys}
    table = memo(
        "clv_customers",
        (*key, whatif, lang()),
        lambda: customer_list(view, groups, names),
        keep=2,
    )
    left, right = st.columns(2)
    show_with_data(
        "clv.distribution",
        key,
        lambda: clv_histogram(view.distribution, lang()),
        histogram_table(view.distribution),
        (*key, whatif),
        where=left,
    )
    left.caption(message_text(distribution_note()))
    with right:
        st.markdown(f"**{tr('clv.top_title')}**")
        top_customers(table, whatif, groups, values.dropout_uncertain)
        st.caption(message_text(view.top_reading))
    groups_section(key, view, groups, names)

    st.subheader(tr("clv.table_title"))
    all_customers(key, table, whatif, groups)
    return whatif
