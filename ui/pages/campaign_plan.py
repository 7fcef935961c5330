"""The Campaign page's planner: recipients the next test needs, or what a given size detects.

A fragment: each input reruns only the planner (closed-form power solves in core).
"""

from __future__ import annotations

import streamlit as st

from core.campaign.power import PlanDefaults, PlanSettings, detectable_view, plan_view
from core.charts.campaign import power_chart
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.state import lang, memo


def percent(widget, name: str, low, high, value, step, fmt: str = "%.2f") -> float:
    """A percentage input of the plan (label, help and key named after `name`), as a share."""
    label, help_text = tr(f"campaign.{name}"), tr(f"campaign.{name}_help")
    return widget(label, low, high, value, step, fmt, key=f"campaign_{name}", help=help_text) / 100


def plan_settings(defaults: PlanDefaults) -> PlanSettings:
    a, b, c = st.columns(3)
    baseline = percent(a.number_input, "plan_baseline", 0.01, 99.0, defaults.baseline_percent, 0.1)
    mde = percent(b.number_input, "plan_mde", 0.01, 50.0, 0.5, 0.05)
    alpha = c.selectbox(
        tr("campaign.plan_alpha"),
        [0.01, 0.05, 0.10],
        index=1,
        format_func=lambda v: f"{v:.0%}",
        key="campaign_plan_alpha",
        help=tr("campaign.plan_alpha_help"),
    )
    d, e, f = st.columns(3)
    power = percent(d.slider, "plan_power", 50, 99, 80, 1, "%d%%")
    share = percent(e.slider, "plan_split", 10, 90, 50, 5, "%d%%")
    daily = f.number_input(
        tr("campaign.plan_daily"),
        min_value=0,
        value=2000,
        step=100,
        key="campaign_plan_daily",
        help=tr("campaign.plan_daily_help"),
    )
    return PlanSettings(baseline, mde, alpha, power, share, daily or None)


@st.fragment
def plan_tab(defaults: PlanDefaults) -> None:
    """Sample size for the change worth detecting, its power curve, and the reverse question."""
    st.markdown(tr("campaign.plan_intro"))
    settings = plan_settings(defaults)
    view = memo("campaign_plan", (settings,), lambda: plan_view(settings), keep=8)
    if view.problem:
        st.warning(message_text(view.problem), icon=":material/warning:")
        return
    x, y, z, w = st.columns(4)
    x.metric(tr("campaign.plan_control_n"), view.control)
    y.metric(tr("campaign.plan_variant_n"), view.variant)
    z.metric(tr("campaign.plan_total_n"), view.total)
    w.metric(tr("campaign.plan_days"), view.days, help=tr("campaign.plan_days_help"))
    st.markdown(message_text(view.reading))
    # The picture depends on every setting but the daily volume.
    s = settings
    show_chart(
        "campaign.power",
        (s.baseline, s.lift_points, s.alpha, s.power, s.variant_share),
        lambda: power_chart(view.curve, view.need.total, lang()),
    )

    st.markdown(f"**{tr('campaign.plan_reverse_title')}**")
    one, two = st.columns(2)
    total = one.number_input(
        tr("campaign.plan_reverse_total"),
        min_value=10,
        value=defaults.total,
        step=1000,
        key="campaign_plan_total",
    )
    reverse = detectable_view(settings, int(total))
    two.metric(
        tr("campaign.plan_reverse_mde"),
        f"{reverse.shown} {tr('campaign.points')}",
        help=tr("campaign.plan_reverse_help"),
    )
    if reverse.reading is not None:
        st.caption(message_text(reverse.reading))
