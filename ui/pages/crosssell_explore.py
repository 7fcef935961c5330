"""Cross-sell's "Explore" tab: the co-occurrence heatmap and what second orders hold."""

from __future__ import annotations

import streamlit as st

from core.charts.crosssell import (
    cooccurrence_heatmap,
    second_order_flows_chart,
    second_order_items_chart,
)
from core.crosssell import (
    BasketData,
    BasketSettings,
    Level,
    RuleSettings,
    RulesView,
    baskets_for,
    heatmap,
    second_order_view,
)
from core.format import fmt_count
from ui.charts import show_chart
from ui.common import message_text, tr
from ui.pages.crosssell_common import KEEP
from ui.state import LoadedTable, lang, memo


def explore_tab(
    transactions: LoadedTable,
    levels: list[Level],
    settings: BasketSettings,
    baskets: BasketData,
    found: RulesView,
    rule_settings: RuleSettings,
) -> None:
    heatmap_part(transactions, settings, baskets, found, rule_settings)
    second_orders_part(transactions, levels, settings, baskets)


@st.fragment
def heatmap_part(
    transactions: LoadedTable,
    settings: BasketSettings,
    baskets: BasketData,
    found: RulesView,
    rule_settings: RuleSettings,
) -> None:
    """Which items are bought together (its two controls rerun only this)."""
    st.subheader(tr("crosssell.heatmap_title"))
    one, two = st.columns([2, 1])
    which = (
        one.segmented_control(
            tr("crosssell.heatmap_which"),
            ["rules", "popular"],
            default=found.heatmap_default,
            format_func=lambda v: tr(f"crosssell.heatmap_{v}"),
            help=tr("crosssell.heatmap_which_help"),
            key="crosssell_heatmap_which",
        )
        or "popular"
    )
    top = two.slider(
        tr("crosssell.heatmap_top"),
        5,
        30,
        15,
        key="crosssell_heatmap_top",
        help=tr("crosssell.heatmap_help"),
    )
    # The rules' items depend on the thresholds; the most bought items do not.
    key = (
        transactions.fingerprint,
        settings,
        rule_settings if which == "rules" else None,
        which,
        top,
    )
    shown = memo(
        "crosssell_heatmap", key, lambda: heatmap(baskets, found.rules, which, top), keep=KEEP
    )
    if shown.problem:
        st.info(message_text(shown.problem), icon=":material/info:")
        return
    show_chart("crosssell.heatmap", key, lambda: cooccurrence_heatmap(shown.pairs, lang()))
    st.caption(tr("crosssell.heatmap_caption"))


@st.fragment
def second_orders_part(
    transactions: LoadedTable,
    levels: list[Level],
    settings: BasketSettings,
    baskets: BasketData,
) -> None:
    """What customers buy in their second order, by what their first held."""
    st.subheader(tr("crosssell.second_title"))
    st.markdown(tr("crosssell.second_intro"))
    first_level = st.selectbox(
        tr("crosssell.first_level"),
        levels,
        index=levels.index("category") if "category" in levels else 0,
        format_func=lambda v: tr(f"crosssell.level_{v}"),
        help=tr("crosssell.first_level_help"),
        key="crosssell_first_level",
    )
    # First orders at the analysed level keep its items left out; at the other level
    # nothing is left out (the names left out are the analysed level's).
    first_settings = settings if first_level == settings.level else BasketSettings(first_level)
    key = (transactions.fingerprint, settings, first_settings)
    view = memo(
        "crosssell_second",
        key,
        lambda: second_order_view(
            baskets
            if first_settings == settings
            else memo(
                "crosssell_baskets",
                (transactions.fingerprint, first_settings),
                lambda: baskets_for(transactions.table, first_settings),
            ),
            baskets,
        ),
        keep=KEEP,
    )
    if view.problem:
        st.info(message_text(view.problem), icon=":material/info:")
        return
    st.caption(tr("crosssell.second_caption", n=fmt_count(view.n_customers)))
    show_chart("crosssell.second_items", key, lambda: second_order_items_chart(view.items, lang()))
    if view.flows_problem:
        st.info(message_text(view.flows_problem), icon=":material/info:")
        return
    show_chart("crosssell.flows", key, lambda: second_order_flows_chart(view.flows, lang()))
    for reading in view.readings:
        st.markdown(f"- {message_text(reading)}")
    st.caption(tr("crosssell.flow_caption"))
