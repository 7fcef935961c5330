"""The Campaign page's "For whom" tab: each variant's lift within each level of an attribute."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from core.campaign import customers
from core.campaign.abtest import CampaignData
from core.campaign.segments import SEGMENT_COLUMNS, SegmentSettings, SegmentsView, segments_view
from core.charts.campaign import segment_forest_chart
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.pages.campaign_common import export, labelled, num, text
from ui.state import lang, memo


def attribute_name(column: str) -> str:
    return tr(customers.attribute_key(column))


def named_levels(view: SegmentsView, key: tuple[Hashable, ...]):
    """The breakdown table with its levels named in the session's language (once per key)."""
    names = {level: tr(name) if name else level for level, name in view.levels}
    return memo("campaign_by_named", (*key, lang()), lambda: labelled(view.table, "level", names))


def level_table(table, column: str, metric: str) -> None:
    fmt = "%.2f"
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_order=[*SEGMENT_COLUMNS[:-1], "p_text"],
        column_config={
            "level": st.column_config.TextColumn(attribute_name(column)),
            "variant": text("campaign.col_variant"),
            "n_control": num("campaign.chart_n_control", "localized"),
            "n_variant": num("campaign.chart_n_variant", "localized"),
            "control": num("campaign.col_control_value", fmt),
            "value": num("campaign.col_variant_value", fmt),
            "abs_lift": num("campaign.col_abs_lift", "%+.2f"),
            "abs_low": num("campaign.col_low", "%+.2f"),
            "abs_high": num("campaign.col_high", "%+.2f"),
            "p_text": text("campaign.col_p", "campaign.col_p_segment_help"),
        },
    )
    units = "campaign.units_points" if metric == "conversion" else "campaign.units_money"
    st.caption(tr(units))


@st.fragment
def segments_tab(
    data: CampaignData,
    key: tuple[Hashable, ...],
    control: str,
    columns: list[str],
    metrics: tuple[str, ...],
    link: customers.HistoryLink | None,
) -> None:
    """The lift by the attribute picked here (`columns`: those with 2 to 30 levels)."""
    if link is not None:
        st.caption(message_text(customers.history_note(link, data.recipients)))
    if not columns:
        st.info(tr("campaign.segments_none"), icon=":material/info:")
        return
    st.markdown(tr("campaign.segments_intro"))
    one, two = st.columns(2)
    column = one.selectbox(
        tr("campaign.segments_by"),
        columns,
        format_func=attribute_name,
        key="campaign_seg_by",
    )
    metric = two.radio(
        tr("campaign.segments_metric"),
        list(metrics),
        format_func=lambda m: tr(f"campaign.metric_{m}"),
        horizontal=True,
        key="campaign_seg_metric",
    )
    settings = SegmentSettings(column, metric)
    view = memo(
        "campaign_by", (key, control, settings), lambda: segments_view(data, control, settings)
    )
    if view.table.empty:
        st.info(tr("campaign.segments_none"), icon=":material/info:")
        return
    for line in view.uneven:
        st.markdown(message_text(line))
    st.warning(message_text(view.warning), icon=":material/warning:")
    table = named_levels(view, (key, control, settings))
    title = f"{tr(f'campaign.chart_lift_{metric}')} · {attribute_name(column)}"
    show_chart(
        "campaign.segments",
        (key, control, settings),
        lambda: segment_forest_chart(table, title, lang()),
    )
    if view.best is not None:
        st.markdown(message_text(view.best))
    level_table(table, column, metric)
    export(table.drop(columns=["p_text"]), f"campaign_by_{column}", "campaign_seg_export")
