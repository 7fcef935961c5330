"""Segmentation page, Lifecycle tab: the thresholds, stage counts and months, exports, breakdown."""

from __future__ import annotations

import streamlit as st

from core.charts import lifecycle_chart, stage_colors
from core.format import fmt_count, fmt_share
from core.segmentation import (
    ACTIVE_PERCENTILE,
    CHURN_PERCENTILE,
    MAX_THRESHOLD_DAYS,
    STAGES,
    LifecycleThresholds,
    ListChoice,
    lifecycle_by_month,
    lifecycle_months,
    stage_counts,
    stage_names,
    stage_table,
)
from ui.charts import show_chart
from ui.common import tr
from ui.pages.segmentation_parts import (
    SegmentationData,
    breakdown,
    customers_of,
    export_buttons,
    show_problems,
)
from ui.state import lang, memo


def lifecycle_controls(found: LifecycleThresholds) -> LifecycleThresholds:
    """The thresholds found in the data, for the user to keep or change; returns those in use.

    Drawn at the top of the Lifecycle tab before the other tabs: their customer lists
    carry each customer's stage under these thresholds.
    """
    st.markdown(tr("seg.lifecycle_intro"))
    if found.problem:
        show_problems([found.problem])
    one, two = st.columns(2)
    active_days = one.number_input(
        tr("seg.active_days"),
        min_value=1,
        max_value=MAX_THRESHOLD_DAYS,
        value=found.active_days,
        step=1,
        key="seg_active_days",
        help=tr(
            "seg.active_days_help", days=found.active_days, share=fmt_share(ACTIVE_PERCENTILE, 0)
        ),
    )
    churn_days = two.number_input(
        tr("seg.churn_days"),
        min_value=int(active_days),
        max_value=MAX_THRESHOLD_DAYS,
        value=max(found.churn_days, int(active_days)),
        step=1,
        key="seg_churn_days",
        help=tr("seg.churn_days_help", days=found.churn_days, share=fmt_share(CHURN_PERCENTILE, 0)),
    )
    st.caption(
        tr(
            "seg.thresholds_found",
            active=found.active_days,
            churn=found.churn_days,
            gaps=fmt_count(found.n_gaps),
        )
    )
    return LifecycleThresholds(int(active_days), int(churn_days), found.n_gaps)


def lifecycle_tab(data: SegmentationData) -> None:
    """Customers per lifecycle stage under `data.thresholds`: counts, months, actions, exports."""
    counts = memo("seg.stage_counts", data.stage_key, lambda: stage_counts(data.stages))
    columns = st.columns(len(STAGES))
    for column, stage, customers in zip(columns, STAGES, counts["customers"].tolist(), strict=True):
        column.metric(tr(f"stage.{stage}"), fmt_count(customers), help=tr(f"stage_help.{stage}"))
    months_key = (data.stage_key[0], data.thresholds)
    show_chart(
        "seg.lifecycle",
        months_key,
        lambda: lifecycle_chart(
            lifecycle_months(
                memo(
                    "lifecycle_months",
                    months_key,
                    lambda: lifecycle_by_month(data.orders, data.thresholds),
                ),
                lang(),
            ),
            lang(),
        ),
    )
    st.dataframe(
        memo("seg.stage_table", (*data.stage_key, lang()), lambda: stage_table(counts, lang())),
        hide_index=True,
        width="stretch",
        column_config={
            "stage": st.column_config.TextColumn(tr("seg.col_stage")),
            "what": st.column_config.TextColumn(tr("seg.col_what"), width="medium"),
            "customers": st.column_config.NumberColumn(tr("chart.customers"), format="localized"),
            "share": st.column_config.NumberColumn(tr("chart.share_customers"), format="%.1f%%"),
            "action": st.column_config.TextColumn(tr("seg.col_action"), width="large"),
        },
    )
    names = stage_names(lang())
    stage_pick = st.multiselect(
        tr("seg.show_stages"),
        list(STAGES),
        format_func=names.get,
        key="stage_filter",
        placeholder=tr("seg.all_stages"),
    )
    listed = customers_of(data, ListChoice(stages=tuple(stage_pick)))
    export_buttons(
        listed, "lifecycle_" + ("_".join(stage_pick) if stage_pick else "all"), "stage_export"
    )
    st.subheader(tr("seg.breakdown_title"))
    breakdown(data, data.stages, names, "stage_breakdown", data.stage_key, stage_colors(lang()))
