"""The Campaign page's tabs that need no A/B table: impact without a control group, and channels.

Both are fragments: their inputs rerun only their own tab.
"""

from __future__ import annotations

import streamlit as st

from core.campaign.impact import (
    DEFAULT_POST_PERIODS,
    DEFAULT_PRE_PERIODS,
    EXAMPLE_SERIES,
    MIN_PRE_PERIODS,
    estimate_impact,
    kpi_series,
    series_from_table,
    span,
)
from core.campaign.money import EXAMPLE_CHANNELS, channels_view
from core.campaign.typed import content_key
from core.charts.campaign import channel_chart, impact_panels
from ui.charts import show_chart
from ui.common import message_text, orders_of, tr
from ui.pages.campaign_common import (
    export,
    interval_metric,
    margin_slider,
    num,
    show_notes,
    text,
)
from ui.state import LoadedTable, lang, memo


def transactions_series(transactions: LoadedTable):
    """Daily or weekly revenue or orders from the transactions: (series, key, frequency) or None."""
    a, b = st.columns(2)
    frequency = a.radio(
        tr("campaign.impact_frequency"),
        ["D", "W"],
        format_func=lambda f: tr(f"campaign.impact_freq_{f}"),
        horizontal=True,
        key="campaign_impact_freq",
    )
    kpi = b.radio(
        tr("campaign.impact_kpi"),
        ["revenue", "orders"],
        format_func=lambda k: tr(f"campaign.impact_kpi_{k}"),
        horizontal=True,
        key="campaign_impact_kpi",
    )
    orders = orders_of(transactions)
    if orders.empty:
        st.warning(tr("overview.no_orders"), icon=":material/warning:")
        return None
    key = (transactions.fingerprint, kpi, frequency)
    return memo("campaign_series", key, lambda: kpi_series(orders, kpi, frequency)), key, frequency


def pasted_series(on_demo: bool):
    """A series typed or pasted (date, value): (series, key, frequency) or None."""
    pasted = st.data_editor(
        EXAMPLE_SERIES if on_demo else EXAMPLE_SERIES.iloc[:0],
        num_rows="dynamic",
        hide_index=True,
        key=f"campaign_impact_editor_{'demo' if on_demo else 'own'}",
        column_config={
            "date": text("campaign.impact_col_date"),
            "value": st.column_config.NumberColumn(tr("campaign.impact_col_value")),
        },
    )
    key = ("pasted", content_key(pasted))
    read = memo("campaign_pasted", key, lambda: series_from_table(pasted), keep=4)
    if read.problem:
        st.info(message_text(read.problem), icon=":material/info:")
        return None
    show_notes(read.notes)
    return read.series, key, read.frequency


@st.fragment
def impact_tab(transactions: LoadedTable | None, on_demo: bool) -> None:
    """Observed against a forecast without the campaign, from a start date the user picks."""
    st.markdown(tr("campaign.impact_intro"))
    options = (["transactions"] if transactions is not None else []) + ["paste"]
    where = st.radio(
        tr("campaign.impact_source"),
        options,
        format_func=lambda s: tr(f"campaign.impact_source_{s}"),
        horizontal=True,
        key="campaign_impact_source",
    )
    if where == "transactions" and transactions is not None:
        found = transactions_series(transactions)
    else:
        found = pasted_series(on_demo)
    if found is None:
        return
    series, series_key, frequency = found
    first, last = span(series)
    unit = tr(f"campaign.impact_unit_{frequency}")
    c, d, e = st.columns(3)
    start = c.date_input(
        tr("campaign.impact_start"),
        value=None,
        min_value=first,
        max_value=last,
        key="campaign_impact_start",
        help=tr("campaign.impact_start_help"),
    )
    pre = d.number_input(
        tr("campaign.impact_pre", unit=unit),
        min_value=MIN_PRE_PERIODS[frequency],
        max_value=2000,
        value=DEFAULT_PRE_PERIODS[frequency],
        step=1,
        key=f"campaign_impact_pre_{frequency}",
        help=tr("campaign.impact_pre_help"),
    )
    post = e.number_input(
        tr("campaign.impact_post", unit=unit),
        min_value=1,
        max_value=400,
        value=DEFAULT_POST_PERIODS[frequency],
        step=1,
        key=f"campaign_impact_post_{frequency}",
        help=tr("campaign.impact_post_help"),
    )
    if start is None:
        st.info(tr("campaign.impact_pick_start"), icon=":material/event:")
        return
    key = (series_key, str(start), int(pre), int(post))
    result = memo(
        "campaign_impact", key, lambda: estimate_impact(series, start, int(pre), int(post))
    )
    if not result.ok:
        st.warning(message_text(result.problem), icon=":material/warning:")
        return
    show_notes(result.notes)
    x, y, z = st.columns(3)
    interval_metric(x, tr("campaign.impact_average", unit=unit), result.average_shown)
    interval_metric(y, tr("campaign.impact_cumulative"), result.cumulative_shown)
    interval_metric(z, tr("campaign.impact_relative"), result.relative_shown)
    st.markdown(message_text(result.reading))
    for i, name in enumerate(("observed", "pointwise", "cumulative")):
        show_chart(
            f"campaign.impact_{name}",
            key,
            lambda i=i: impact_panels(result.frame, start, lang())[i],
        )
    st.caption(tr("campaign.impact_method"))
    export(result.frame, "campaign_impact", "campaign_impact_export")


@st.fragment
def channels_tab(on_demo: bool) -> None:
    """Channels compared on cost per conversion and ROI, from rows typed per campaign and channel."""
    st.markdown(tr("campaign.channels_intro"))
    if on_demo:
        st.caption(tr("campaign.channels_example"))
    typed = st.data_editor(
        EXAMPLE_CHANNELS if on_demo else EXAMPLE_CHANNELS.iloc[:0],
        num_rows="dynamic",
        hide_index=True,
        key=f"campaign_channels_editor_{'demo' if on_demo else 'own'}",
        width="stretch",
        column_config={
            "campaign": text("campaign.col_campaign"),
            "channel": text("field.channel"),
            "spend": num("campaign.col_spend", "%.2f", min_value=0.0),
            "recipients": num("campaign.col_recipients", "%d", min_value=0),
            "conversions": num("campaign.col_conversions", "%d", min_value=0),
            "revenue": num("campaign.col_revenue", "%.2f", min_value=0.0),
        },
    )
    margin = margin_slider(st, "campaign_channel_margin")
    key = (content_key(typed), margin)
    view = memo("campaign_channels", key, lambda: channels_view(typed, margin), keep=4)
    if view.empty:
        st.info(tr("campaign.channels_empty"), icon=":material/edit_note:")
        return
    if view.problem:
        box = st.warning if view.table.empty else st.info
        box(message_text(view.problem), icon=":material/info:")
    if view.table.empty:
        return
    left, right = st.columns(2)
    # Both depend on the margin: bars are in ROI order and tooltips show the ROI.
    for where, measure in ((left, "cpa"), (right, "roi")):
        show_chart(
            f"campaign.channels_{measure}",
            key,
            lambda m=measure: channel_chart(view.table, m, lang()),
            where=where,
        )
    st.markdown(message_text(view.reading))
    st.dataframe(
        view.shown,
        hide_index=True,
        width="stretch",
        column_config={
            "channel": text("field.channel"),
            "campaigns": num("campaign.col_campaigns", "%d"),
            "spend": num("campaign.col_spend", "localized"),
            "recipients": num("campaign.col_recipients", "localized"),
            "conversions": num("campaign.col_conversions", "localized"),
            "revenue": num("campaign.col_revenue", "localized"),
            "conversion_rate": num("campaign.metric_conversion", "%.2f%%"),
            "cpa": num("campaign.chart_cpa", "%.2f", "campaign.cpa_help"),
            "roas": num("campaign.col_roas", "%.2f", "campaign.roas_help"),
            "roi": num("campaign.chart_roi", "%.0f%%", "campaign.roi_help"),
        },
    )
    export(view.table, "campaign_channels", "campaign_channels_export")
