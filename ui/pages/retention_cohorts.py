"""Retention page: the Cohorts tab and the Churn-over-time tab."""

from __future__ import annotations

import streamlit as st

from core.charts.retention import (
    churn_rate_chart,
    cohort_curves_chart,
    cohort_heatmap,
    group_curves_chart,
)
from core.format import fmt_count, fmt_share
from core.retention import (
    CHURN_RATE_HELP,
    PERIODS,
    ChurnView,
    CohortSettings,
    churn_view,
    cohort_export,
    cohort_view,
    group_label,
    monthly_export,
    split_label,
    subscription_churn_view,
)
from ui.charts import show_chart
from ui.common import download_csv, download_excel, message_text, tr
from ui.pages.retention_parts import (
    RetentionData,
    activity_of,
    lifetimes_of,
    show,
    spells_of,
    threshold_of,
)
from ui.state import lang, memo

# The churn threshold a user can choose, in days.
MIN_CHURN_DAYS = 7
MAX_CHURN_DAYS = 3650


def cohorts_tab(data: RetentionData) -> None:
    """Cohort retention: a heatmap and curves per cohort, or curves per group with a split."""
    by_subscription = data.transactions is None
    st.markdown(
        tr("retention.cohorts_intro_subscription" if by_subscription else "retention.cohorts_intro")
    )
    one, two, three = st.columns(3)
    period = one.selectbox(
        tr("retention.period"),
        PERIODS,
        format_func=lambda p: tr(f"retention.period_{p}"),
        key="retention_period",
    )
    split = two.selectbox(
        tr("retention.split_by"),
        [None, *data.attributes.columns],
        format_func=lambda c: tr("retention.no_split") if c is None else split_label(c, lang()),
        key="retention_split",
        help=tr("retention.split_help"),
    )
    settings = CohortSettings(period, split)
    activity = activity_of(data, period)
    view = memo(
        "ret_cohorts",
        (*data.key, settings),
        lambda: cohort_view(activity, data.attributes, settings, by_subscription),
    )
    definitions = ["retention", "retention_later"]
    if view.has_revenue:
        definitions.append("revenue_retention")
    definition = three.radio(
        tr("retention.definition"),
        definitions,
        format_func=lambda d: tr(f"retention.def_{d}"),
        key="retention_definition",
        help=tr("retention.definition_help"),
    )
    st.caption(tr(f"retention.def_{definition}_help"))
    if view.problem is not None:
        show(view.problem)
        return
    chart_key = (*data.key, settings, definition)
    if split is not None:
        show_chart(
            "retention.group_curves",
            chart_key,
            lambda: group_curves_chart(view.average, definition, period, lang()),
        )
        shown_group = st.selectbox(
            tr("retention.heatmap_group", group=split_label(split, lang())),
            view.groups,
            format_func=lambda g: group_label(g, lang()),
            key="retention_heatmap_group",
        )
    else:
        shown_group = view.groups[0]
    note = view.heatmap_note(shown_group)
    if note is not None:
        st.caption(message_text(note))
    show_chart(
        "retention.heatmap",
        (*chart_key, shown_group),
        lambda: cohort_heatmap(view.heatmap_rows(shown_group), definition, period, lang()),
    )
    if split is None:
        show_chart(
            "retention.cohort_curves",
            chart_key,
            lambda: cohort_curves_chart(
                view.group_rows(shown_group), view.average, definition, period, lang()
            ),
        )
    if not by_subscription:
        st.caption(tr("retention.first_cohort_note"))
    if view.partial_start is not None:
        st.caption(tr("retention.partial_left_out", start=view.partial_start.strftime("%Y-%m-%d")))
    for reading in view.readings:
        st.markdown(message_text(reading))
    export = memo(
        "ret_cohorts_export", (*data.key, settings, lang()), lambda: cohort_export(view, lang())
    )
    left, right = st.columns(2)
    with left:
        download_csv(export, "cohorts.csv", tr("retention.download_csv"), "retention_cohorts_csv")
    with right:
        download_excel(
            export, "cohorts.xlsx", tr("retention.download_excel"), "retention_cohorts_xlsx"
        )


def churn_tab(data: RetentionData) -> int | None:
    """Churn rate by month. Returns the churn threshold chosen (None for subscription data)."""
    churn_days = None
    if data.subscription:
        st.markdown(tr("retention.churn_intro_subscription"))
        lifetimes = lifetimes_of(data, None)
        table = data.customers.table
        view = memo(
            "ret_sub_churn", (data.cu_key,), lambda: subscription_churn_view(table, lifetimes)
        )
        a, b = st.columns(2)
        a.metric(tr("retention.metric_customers"), fmt_count(view.customers))
        b.metric(
            tr("retention.metric_churned_share"),
            fmt_share(view.churned_share),
            help=tr("retention.metric_churned_share_help"),
        )
    else:
        st.markdown(tr("retention.churn_intro"))
        found_days, n_gaps, found = threshold_of(data)
        show(found)
        threshold_column, _ = st.columns([1, 2])
        churn_days = int(
            threshold_column.number_input(
                tr("retention.churn_days"),
                min_value=MIN_CHURN_DAYS,
                max_value=MAX_CHURN_DAYS,
                value=int(found_days),
                step=1,
                key="retention_churn_days",
                help=tr("retention.churn_days_help", days=found_days),
            )
        )
        st.caption(tr("retention.threshold_found", days=found_days, gaps=fmt_count(n_gaps)))
        spells = spells_of(data, churn_days)
        view = memo(
            "ret_churn",
            (data.tx_key, churn_days),
            lambda: churn_view(data.orders, spells, churn_days),
        )
        for note in view.notes:
            show(note)
    if view.problem is not None:
        show(view.problem)
    else:
        churn_figures(view, (*data.key, churn_days))
    return churn_days


def churn_figures(view: ChurnView, key: tuple) -> None:
    """The churn tab's figures, chart, reading and download of a `ChurnView` cached under `key`."""
    a, b, c = st.columns(3)
    a.metric(
        tr("retention.metric_monthly_churn", n=view.months),
        fmt_share(view.rate),
        help=message_text(CHURN_RATE_HELP),
    )
    b.metric(
        tr("retention.metric_last_month", month=view.last_month.strftime("%Y-%m")),
        fmt_share(view.last_rate),
        help=tr("retention.metric_last_month_help"),
    )
    c.metric(
        tr("retention.metric_active_now"),
        fmt_count(view.active_now),
        help=tr("retention.metric_active_now_help"),
    )
    show_chart("retention.churn", key, lambda: churn_rate_chart(view.monthly, lang()))
    st.markdown(message_text(view.reading))
    export = memo("ret_churn_export", (*key, lang()), lambda: monthly_export(view.monthly, lang()))
    download_csv(export, "churn_by_month.csv", tr("retention.download_csv"), "retention_churn_csv")
