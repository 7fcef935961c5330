"""Cross-sell: products bought together, second orders, next best product per customer, what if."""

from __future__ import annotations

import streamlit as st

from core.crosssell import (
    BasketData,
    BasketSettings,
    Level,
    basket_summary,
    baskets_for,
    fit_recommender,
    item_levels,
    item_names,
)
from core.format import fmt_count, fmt_share
from ui.common import demo_banner, require_orders, tr
from ui.pages.crosssell_explore import explore_tab
from ui.pages.crosssell_next import check_tab, next_tab
from ui.pages.crosssell_rules import rules_tab
from ui.pages.crosssell_whatif import whatif_tab
from ui.state import LoadedTable, memo


def basket_controls(transactions: LoadedTable, levels: list[Level]) -> BasketSettings:
    """The level to analyse and the items to leave out (everything below depends on them)."""
    left, right = st.columns([1, 2])
    level = left.selectbox(
        tr("crosssell.level"),
        levels,
        format_func=lambda v: tr(f"crosssell.level_{v}"),
        help=tr("crosssell.level_help"),
        key="crosssell_level",
    )
    names = memo(
        "crosssell_names",
        (transactions.fingerprint, level),
        lambda: item_names(transactions.table, level),
    )
    leave_out = right.multiselect(
        tr("crosssell.leave_out"),
        names,
        placeholder=tr("crosssell.leave_out_none"),
        help=tr("crosssell.leave_out_help"),
        key=f"crosssell_leave_out_{level}",
    )
    return BasketSettings(level, tuple(leave_out))


@st.fragment
def analysis(
    transactions: LoadedTable,
    levels: list[Level],
    settings: BasketSettings,
    baskets: BasketData,
) -> None:
    """The five tabs. The rule thresholds (first tab) feed the Explore and What-if tabs, so
    changing them reruns this fragment; each tab's own controls rerun only their part."""
    tab_rules, tab_explore, tab_next, tab_check, tab_whatif = st.tabs(
        [
            tr("crosssell.tab_rules"),
            tr("crosssell.tab_explore"),
            tr("crosssell.tab_next"),
            tr("crosssell.tab_check"),
            tr("crosssell.tab_whatif"),
        ]
    )
    with tab_rules:
        found, rule_settings = rules_tab(transactions, settings, baskets)
    with tab_explore:
        explore_tab(transactions, levels, settings, baskets, found, rule_settings)
    model = memo(
        "crosssell_model", (transactions.fingerprint, settings), lambda: fit_recommender(baskets)
    )
    with tab_next:
        next_tab(transactions, settings, model)
    with tab_check:
        check_tab(transactions, settings, baskets)
    with tab_whatif:
        whatif_tab(transactions, settings, baskets, model, found, rule_settings)


def main() -> None:
    st.title(tr("crosssell.title"))
    st.markdown(tr("crosssell.intro"))
    demo_banner()
    transactions, _ = require_orders()
    levels = memo(
        "crosssell_levels", (transactions.fingerprint,), lambda: item_levels(transactions.table)
    )
    if not levels:
        st.warning(tr("crosssell.no_items"), icon=":material/warning:")
        st.stop()
    settings = basket_controls(transactions, levels)
    key = (transactions.fingerprint, settings)
    baskets = memo("crosssell_baskets", key, lambda: baskets_for(transactions.table, settings))
    summary = memo("crosssell_summary", key, lambda: basket_summary(baskets))
    st.caption(
        tr(
            "crosssell.data_caption",
            baskets=fmt_count(summary.n_baskets),
            items=fmt_count(summary.n_items),
            multi=fmt_share(summary.multi_item_share),
            source=tr(f"crosssell.source_{summary.source}"),
        )
    )
    analysis(transactions, levels, settings, baskets)


main()
