"""Campaign evaluation: A/B lift with honest statistics, trust checks, money, segments, power, pre/post impact, channels.

The page picks where the numbers come from and the control group, then draws one tab
per view; every number and sentence comes from `core.campaign` (the tabs live in
`ui.pages.campaign_*`, each a function of its inputs).
"""

from __future__ import annotations

import streamlit as st

from core.campaign.abtest import breakdown_columns, detect_control
from core.campaign.power import plan_defaults
from core.campaign.result import result_view
from core.campaign.segments import SegmentSettings, segments_view
from core.campaign.trust import trust_view
from ui.common import UPLOAD_PAGE, demo_banner, tr
from ui.pages.campaign_common import show, show_notes
from ui.pages.campaign_impact import channels_tab, impact_tab
from ui.pages.campaign_money import money_tab
from ui.pages.campaign_plan import plan_tab
from ui.pages.campaign_result import result_tab
from ui.pages.campaign_segments import segments_tab
from ui.pages.campaign_source import Source, history_link, table_source, typed_source
from ui.pages.campaign_trust import trust_tab
from ui.state import get_table, memo

TABS = ("result", "trust", "money", "segments", "plan", "impact", "channels")


def pick_source() -> tuple[Source, object]:
    """The campaign table or typed totals (radio), and the purchase-history link of the table."""
    campaign = get_table("campaign")
    transactions = get_table("transactions")
    sources = (["table"] if campaign is not None else []) + ["summary"]
    source = st.radio(
        tr("campaign.source"),
        sources,
        format_func=lambda s: tr(f"campaign.source_{s}"),
        horizontal=True,
        key="campaign_source",
        help=tr("campaign.source_help"),
    )
    if campaign is None:
        st.caption(tr("campaign.no_table"))
        st.page_link(UPLOAD_PAGE, label=tr("nav.upload"), icon=":material/upload_file:")
    if source == "table" and campaign is not None:
        link = history_link(campaign, transactions)
        return table_source(campaign, transactions, link), link
    on_demo = campaign is not None and campaign.is_demo
    return typed_source(on_demo), None


def pick_control(source: Source) -> tuple[str | None, str | None]:
    """The control group (preselected when a group is named like one) and the one detected."""
    data = source.data
    if data is None or not data.ok:
        return None, None
    detected = detect_control(data.groups)
    control = st.selectbox(
        tr("campaign.control"),
        data.groups,
        index=data.groups.index(detected) if detected else None,
        placeholder=tr("campaign.control_pick"),
        key="campaign_control",
        help=tr("campaign.control_help"),
    )
    if control is None:
        st.warning(tr("campaign.control_needed"), icon=":material/help:")
    return control, detected


def comparison_tabs(source: Source, control: str, detected: str | None, tabs: dict, link) -> None:
    """The four tabs that compare the variants with the control (data and control known)."""
    data, key = source.data, source.key
    view = memo("campaign_result", (key, control), lambda: result_view(data, control))
    columns = memo("campaign_breakdowns", key, lambda: breakdown_columns(data))
    uneven = ()
    if columns and "conversion" in view.lifts:
        first = SegmentSettings(columns[0], "conversion")
        by = memo("campaign_by", (key, control, first), lambda: segments_view(data, control, first))
        uneven = by.uneven
    with tabs["result"]:
        show_notes(data.notes)
        result_tab(data, key, control, detected, view, uneven, source.outcome)
    trust = memo("campaign_trust", (key, control), lambda: trust_view(data, control, view.lifts))
    with tabs["trust"]:
        trust_tab(data, trust, link, source.history_days)
    with tabs["money"]:
        money_tab(data, key, control, view.lifts)
    with tabs["segments"]:
        segments_tab(data, key, control, columns, tuple(view.lifts), link)


def main() -> None:
    st.title(tr("campaign.title"))
    st.markdown(tr("campaign.intro"))
    demo_banner()
    source, link = pick_source()
    control, detected = pick_control(source)
    tabs = dict(zip(TABS, st.tabs([tr(f"campaign.tab_{name}") for name in TABS]), strict=True))
    data = source.data
    if data is not None and not data.ok:
        for name in ("result", "trust", "money", "segments"):
            with tabs[name]:
                show_notes(data.notes)
                show(data.problem, "warning")
    elif data is not None and control is not None:
        comparison_tabs(source, control, detected, tabs, link)
    with tabs["plan"]:
        plan_tab(plan_defaults(data, control))
    campaign = get_table("campaign")
    on_demo = campaign is not None and campaign.is_demo
    with tabs["impact"]:
        impact_tab(get_table("transactions"), on_demo)
    with tabs["channels"]:
        channels_tab(on_demo)


main()
