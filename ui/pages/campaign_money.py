"""The Campaign page's Money tab: what each variant earned, and the roll-out What-if.

The whole tab is a fragment: a margin, a cost or a roll-out setting reruns only this
tab, from the cached lifts (`core.campaign.money`'s views are arithmetic on them).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pandas as pd
import streamlit as st

from core.campaign.abtest import CampaignData
from core.campaign.money import (
    MoneySettings,
    MoneyView,
    RolloutSettings,
    VariantMoney,
    money_view,
    rollout_view,
)
from ui.common import message_text, plain, tr
from ui.pages.campaign_common import export, interval_metric, margin_slider
from ui.state import memo


def variant_figures(figures: VariantMoney) -> None:
    """One variant's extra conversions, revenue, cost, net profit and ROI, intervals in the help."""
    st.markdown(f"##### {plain(figures.variant)}")
    a, b, c, d, e = st.columns(5)
    conversions, low, high = figures.inc_conversions
    a.metric(
        tr("campaign.inc_conversions"),
        conversions,
        help=tr("campaign.inc_conversions_help", low=low, high=high),
    )
    c.metric(tr("campaign.cost"), figures.cost, help=tr("campaign.cost_help"))
    if not figures.has_revenue:
        st.caption(tr("campaign.money_no_revenue"))
        return
    revenue, low, high = figures.inc_revenue
    b.metric(
        tr("campaign.inc_revenue"),
        revenue,
        help=tr("campaign.inc_revenue_help", low=low, high=high),
    )
    profit, low, high = figures.net_profit
    d.metric(
        tr("campaign.net_profit"), profit, help=tr("campaign.net_profit_help", low=low, high=high)
    )
    roi, low, high = figures.roi
    interval = tr("campaign.interval_help", low=low, high=high)
    e.metric(tr("campaign.roi"), roi, help=f"{tr('campaign.roi_help')} {interval}")
    st.caption(message_text(figures.reading))


def rollout_panel(
    data: CampaignData, lifts: Mapping[str, pd.DataFrame], view: MoneyView, money: MoneySettings
) -> None:
    """What if the chosen variant went to a whole base (with a share of its lift holding)."""
    st.subheader(tr("campaign.whatif_title"))
    st.caption(tr("campaign.whatif_intro"))
    names = list(view.names)
    a, b, c = st.columns(3)
    pick = a.selectbox(
        tr("campaign.whatif_variant"),
        names,
        index=names.index(view.winner) if view.winner in names else 0,
        key="campaign_whatif_variant",
        help=tr("campaign.whatif_variant_help"),
    )
    base = b.number_input(
        tr("campaign.whatif_base"),
        min_value=1,
        value=view.default_base,
        step=1000,
        key="campaign_whatif_base",
        help=tr("campaign.whatif_base_help"),
    )
    keep = c.slider(
        tr("campaign.whatif_keep"),
        0,
        100,
        100,
        step=10,
        format="%d%%",
        key="campaign_whatif_keep",
        help=tr("campaign.whatif_keep_help"),
    )
    plan = rollout_view(data, lifts, money, RolloutSettings(pick, int(base), keep / 100))
    x, y, z, w = st.columns(4)
    interval_metric(x, tr("campaign.whatif_conversions"), plan.conversions)
    if plan.revenue is None:
        return
    interval_metric(y, tr("campaign.whatif_revenue"), plan.revenue)
    interval_metric(z, tr("campaign.whatif_profit"), plan.profit)
    w.metric(tr("campaign.whatif_chance"), plan.chance, help=tr("campaign.whatif_chance_help"))
    st.markdown(message_text(plan.reading))


@st.fragment
def money_tab(
    data: CampaignData,
    key: tuple[Hashable, ...],
    control: str,
    lifts: Mapping[str, pd.DataFrame],
) -> None:
    """Each variant's lift in money over its own recipients, then the roll-out What-if."""
    if "conversion" not in lifts:
        st.info(tr("campaign.money_needs_conversions"), icon=":material/info:")
        return
    st.markdown(tr("campaign.money_intro"))
    one, two, three = st.columns(3)
    margin = margin_slider(one, "campaign_margin")
    use_column = data.has_cost and two.toggle(
        tr("campaign.use_cost_column"),
        value=True,
        key="campaign_use_cost",
        help=tr("campaign.use_cost_column_help"),
    )
    cost_per = None
    if not use_column:
        cost_per = three.number_input(
            tr("campaign.cost_per_recipient"),
            min_value=0.0,
            value=0.02,
            step=0.01,
            format="%.3f",
            key="campaign_cost_per",
            help=tr("campaign.cost_per_recipient_help"),
        )
    settings = MoneySettings(margin, cost_per)
    view = memo(
        "campaign_money",
        (key, control, settings),
        lambda: money_view(data, lifts, settings),
        keep=8,
    )
    for figures in view.variants:
        variant_figures(figures)
    export(view.table, "campaign_money", "campaign_money_export")
    rollout_panel(data, lifts, view, settings)
