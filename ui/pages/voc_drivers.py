"""Voice of the customer: the Key drivers tab and its What-if panel."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from core.charts.voc import driver_chart
from core.format import fmt_count
from core.voc.drivers import Target, driver_key, resolve_topic
from core.voc.topics import TopicResult
from core.voc.views import DriverView, FeedbackBase
from ui.charts import show_chart
from ui.common import message_text, plain, tr
from ui.pages.voc_parts import INFO
from ui.state import lang

WHATIF_FORMATS = {"nps": "{:+.1f}", "rating": "{:.2f}"}  # else a share in percent


def driver_controls(base: FeedbackBase, topics: TopicResult | None) -> Target | None:
    """The tab's opening and what to explain (drawn before the drivers are computed).

    None when there is nothing to explain: no topics, or no score or label.
    """
    if topics is None or not topics.k or not base.targets:
        st.info(tr("voc.drivers_need"), icon=INFO)
        return None
    intro = st.container()  # its wording depends on the choice below
    target = st.radio(
        tr("voc.driver_target"),
        base.targets,
        format_func=lambda s: tr(f"voc.target_{s}"),
        horizontal=True,
        key="voc_target",
        help=tr("voc.driver_target_help"),
    )
    intro.markdown(tr(driver_key("drivers_intro", target)))
    return target


def drivers_tab(fp: str, topics: TopicResult, drivers: DriverView, names: Sequence[str]) -> None:
    """The priority chart and table of topics by impact, then the What-if panel."""
    result, target = drivers.result, drivers.target
    if result.problem is not None:
        st.info(message_text(result.problem), icon=INFO)
        return
    table = drivers.table
    axis = tr(f"voc.impact_{target}")
    show_chart(
        "voc.drivers",
        (fp, topics.k, target, tuple(names)),
        lambda: driver_chart(
            table.assign(name=[names[t] for t in table["topic"]]), axis, lang(), result.worse_up
        ),
    )
    help_key = driver_key("drivers_chart_help", target)
    st.caption(tr(help_key, r2=f"{result.r_squared:.2f}", n=fmt_count(result.n)))
    st.dataframe(
        pd.DataFrame(
            {
                "name": [names[t] for t in table["topic"]],
                "frequency": table["frequency_pct"],
                "impact": table["impact"],
                "ci": [
                    f"{low:+.2f} … {high:+.2f}"
                    for low, high in zip(table["ci_low"], table["ci_high"], strict=True)
                ],
                "p": table["p_value"],
                "reading": [tr(driver_key(f"driver_row_{d}", target)) for d in table["direction"]],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn(tr("voc.col_name")),
            "frequency": st.column_config.NumberColumn(tr("voc.col_frequency"), format="%.1f%%"),
            "impact": st.column_config.NumberColumn(
                axis, format="%+.2f", help=tr(driver_key("impact_help", target))
            ),
            "ci": st.column_config.TextColumn(tr("voc.col_ci"), help=tr("voc.col_ci_help")),
            "p": st.column_config.NumberColumn(
                tr("voc.col_p"), format="%.3f", help=tr("voc.col_p_help")
            ),
            "reading": st.column_config.TextColumn(tr("voc.col_reading"), width="medium"),
        },
    )
    what_if_panel(drivers, topics.presence, names)


@st.fragment
def what_if_panel(drivers: DriverView, presence: pd.DataFrame, names: Sequence[str]) -> None:
    """What resolving a topic's complaints for a share of its comments would do to the score."""
    target = drivers.target
    st.subheader(tr("voc.whatif_title"))
    st.caption(tr(driver_key("whatif_intro", target)))
    if not drivers.pulling:
        st.info(tr(driver_key("whatif_none", target)), icon=INFO)
        return
    one, two = st.columns(2)
    fix = one.selectbox(
        tr("voc.whatif_topic"),
        drivers.pulling,
        format_func=lambda i: names[i],
        key="voc_whatif_topic",
    )
    share = two.slider(
        tr("voc.whatif_share"), 0, 100, 100, step=5, format="%d%%", key="voc_whatif_share"
    )
    result = resolve_topic(drivers.outcome, presence, drivers.result, fix, share / 100)
    if result is None:
        return
    fmt = WHATIF_FORMATS.get(target, "{:.1f}%").format
    a, b, c = st.columns(3)
    a.metric(tr(f"voc.whatif_metric_{target}"), fmt(result.before))
    b.metric(
        tr("voc.whatif_after"),
        fmt(result.after),
        delta=f"{result.change:+.1f}" if target != "rating" else f"{result.change:+.2f}",
        delta_color="inverse" if drivers.result.worse_up else "normal",
        help=tr("voc.whatif_after_help", low=fmt(result.after_low), high=fmt(result.after_high)),
    )
    c.metric(tr(driver_key("whatif_affected", target)), fmt_count(result.affected))
    st.caption(
        tr(
            f"voc.whatif_reading_{target}",
            topic=plain(names[fix]),
            n=fmt_count(result.affected),
            before=fmt(result.before),
            after=fmt(result.after),
            low=fmt(result.after_low),
            high=fmt(result.after_high),
        )
    )
