"""Retention page: the Survival-curves tab (Kaplan-Meier by group, with the log-rank test)."""

from __future__ import annotations

import streamlit as st

from core.charts.retention import survival_chart
from core.format import fmt_count
from core.retention import (
    acquisition_cohorts,
    named_groups,
    split_label,
    survival_groups,
    survival_view,
)
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.pages.retention_parts import RetentionData, activity_of, lifetimes_of, show
from ui.state import lang, memo


def survival_tab(data: RetentionData, churn_days: int | None) -> None:
    """Survival curves of the customers' lifetimes (threshold `churn_days` for purchase histories)."""
    st.markdown(
        tr(
            "retention.survival_intro_subscription"
            if data.subscription
            else "retention.survival_intro"
        )
    )
    lifetimes = lifetimes_of(data, churn_days)
    if lifetimes.dropped:
        st.caption(tr("retention.lifetimes_dropped", n=fmt_count(lifetimes.dropped)))
    options = [None, *data.attributes.columns, *(["cohort"] if data.has_cohorts else [])]
    by = st.selectbox(
        tr("retention.survival_by"),
        options,
        index=options.index("channel") if "channel" in options else 0,
        format_func=lambda c: tr("retention.no_split") if c is None else split_label(c, lang()),
        key="retention_survival_by",
    )
    key = (*data.key, churn_days, by)

    def compute():
        quarters = acquisition_cohorts(activity_of(data, "quarter")) if by == "cohort" else None
        return survival_view(lifetimes, survival_groups(data.attributes, by, quarters), by)

    view = memo("ret_survival", key, compute)
    if view.curves.empty:
        show(view.problem)
        return
    show(view.problem)
    show_chart("retention.survival", key, lambda: survival_chart(view.curves, view.unit, lang()))
    unit = message_text(view.unit_name)
    st.dataframe(
        named_groups(view.summary, lang()),
        hide_index=True,
        width="stretch",
        column_config={
            "group": st.column_config.TextColumn(
                split_label(by, lang()) if by else tr("retention.col_group")
            ),
            "customers": st.column_config.NumberColumn(tr("chart.customers"), format="localized"),
            "churned": st.column_config.NumberColumn(
                tr("retention.col_churned_customers"), format="localized"
            ),
            "median": st.column_config.NumberColumn(
                tr("retention.col_median", unit=unit),
                format="%.1f",
                help=tr("retention.col_median_help"),
            ),
            "survival_at": st.column_config.NumberColumn(
                tr("retention.col_survival_12"),
                format="%.1f%%",
                help=tr("retention.col_survival_12_help"),
            ),
        },
    )
    for reading in view.readings:
        st.markdown(message_text(reading))
    with st.expander(tr("retention.survival_method_title")):
        st.markdown(
            tr(
                "retention.survival_method"
                if view.unit == "months"
                else "retention.survival_method_subscription"
            )
        )
