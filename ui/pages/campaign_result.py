"""The Campaign page's Result tab: what changed, by how much, and whether chance could explain it."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from core.campaign.abtest import METRICS, CampaignData
from core.campaign.result import P_COLUMNS, ResultView, chances, with_chances
from core.charts.campaign import forest_chart, rates_chart
from core.problems import Problem
from ui.charts import show_chart
from ui.common import message_text, plain, tr
from ui.pages.campaign_common import export, labelled, num, text
from ui.state import lang, memo


def reading_box(view: ResultView, uneven: tuple[Problem, ...]) -> None:
    with st.container(border=True):
        st.markdown(f"**{tr('campaign.reading_title')}**")
        lines = [f"- {message_text(parts)}" for parts in view.readings]
        lines += [f"- {message_text(line)}" for line in uneven]
        st.markdown("\n".join(lines))
        if view.variants_tested:
            st.caption(tr("campaign.holm_note", n=view.variants_tested))


def rate_metrics(view: ResultView, detected: str | None) -> None:
    """Each group's conversion rate, with its difference from the control in points."""
    if not view.rates:
        return
    for col, arm in zip(st.columns(len(view.rates)), view.rates, strict=True):
        mark = f" · {tr('campaign.control_short')}" if arm.is_control and not detected else ""
        col.metric(
            plain(arm.group) + mark,
            arm.rate,
            delta=None if arm.difference is None else f"{arm.difference} {tr('campaign.points')}",
            help=tr("campaign.metric_rate_help", n=arm.recipients, x=arm.conversions),
        )


def table_config() -> dict:
    """The lift table's columns: numbers with their units; p-values shown as text, kept as numbers."""
    return {
        "variant": text("campaign.col_variant"),
        "metric": text("campaign.col_metric", "campaign.col_metric_help"),
        "control": num("campaign.col_control_value", "%.3f"),
        "value": num("campaign.col_variant_value", "%.3f"),
        "abs_lift": num("campaign.col_abs_lift", "%+.3f", "campaign.col_abs_lift_help"),
        "abs_low": num("campaign.col_low", "%+.3f", "campaign.col_ci_help"),
        "abs_high": num("campaign.col_high", "%+.3f", "campaign.col_ci_help"),
        "rel_lift": num("campaign.col_rel_lift", "%+.1f%%", "campaign.col_rel_lift_help"),
        "rel_low": num("campaign.col_rel_low", "%+.1f%%", "campaign.col_rel_ci_help"),
        "rel_high": num("campaign.col_rel_high", "%+.1f%%", "campaign.col_rel_ci_help"),
        "p_value": num("campaign.col_p", "%.3f", "campaign.col_p_help"),
        "p_adjusted": num("campaign.col_p_holm", "%.3f", "campaign.col_p_holm_help"),
        "chance_to_beat": num("campaign.col_bayes", "%.1f%%", "campaign.bayes_help"),
    }


def lift_table(
    data: CampaignData, key: tuple[Hashable, ...], control: str, view: ResultView, outcome
) -> None:
    """Each variant against the control, as a table and downloads (p-values by `fmt_p`)."""
    bayes = st.toggle(
        tr("campaign.bayes"), value=False, key="campaign_bayes", help=tr("campaign.bayes_help")
    )
    table = view.table
    if bayes and "conversion" in view.lifts:
        variants = list(view.lifts["conversion"]["variant"])
        chance = memo("campaign_bayes", (key, control), lambda: chances(data, control, variants))
        table = with_chances(table, chance)
    # An outcome other than the mapped "converted" column is named (visit, retention_7, ...).
    names = {m: tr(f"campaign.metric_{m}") for m in METRICS}
    if outcome:
        names["conversion"] += f" · {outcome}"
    table = labelled(table, "metric", names)
    config = table_config()
    shown = {
        **config,
        "p_value": None,
        "p_adjusted": None,
        "p_text": text("campaign.col_p", "campaign.col_p_help"),
        "p_adjusted_text": text("campaign.col_p_holm", "campaign.col_p_holm_help"),
    }
    st.subheader(tr("campaign.table_title"))
    st.caption(tr("campaign.table_units"))
    st.dataframe(table, hide_index=True, width="stretch", column_config=shown)
    labels = {k: v.get("label", k) for k, v in config.items() if k in table}
    export(
        table.drop(columns=list(P_COLUMNS.values())).rename(columns=labels),
        "campaign_result",
        "campaign_result_export",
    )


def charts(key: tuple[Hashable, ...], control: str, view: ResultView) -> None:
    left, right = st.columns(2)
    for where, metric, title, fmt in (
        (left, "conversion", "campaign.chart_conversion_rate", ".2%"),
        (right, "revenue", "campaign.chart_revenue_per_recipient", ",.2f"),
    ):
        if metric in view.intervals:
            show_chart(
                f"campaign.rates_{metric}",
                (key, control),
                lambda m=metric, title=title, fmt=fmt: rates_chart(
                    view.intervals[m], tr(title), fmt, lang()
                ),
                where=where,
            )
    for where, metric in zip(st.columns(2), METRICS, strict=True):
        if metric in view.forests:
            show_chart(
                f"campaign.forest_{metric}",
                (key, control),
                lambda m=metric: forest_chart(
                    view.forests[m], tr(f"campaign.chart_lift_{m}"), ".2f", lang()
                ),
                where=where,
            )
    st.caption(tr("campaign.forest_help"))


def result_tab(
    data: CampaignData,
    key: tuple[Hashable, ...],
    control: str,
    detected: str | None,
    view: ResultView,
    uneven: tuple[Problem, ...],
    outcome: str | None,
) -> None:
    """The verdicts, each group's rate, the lift table and the charts of a campaign and control."""
    reading_box(view, uneven)
    rate_metrics(view, detected)
    lift_table(data, key, control, view, outcome)
    charts(key, control, view)
