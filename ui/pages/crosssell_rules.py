"""Cross-sell's "Bought together" tab: thresholds, readings, the rules table and map, two-item rules."""

from __future__ import annotations

import streamlit as st

from core.charts.crosssell import rules_map_chart
from core.crosssell import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_MIN_SUPPORT,
    MAX_TABLE_RULES,
    MIN_PAIR_GAIN,
    MIN_RULE_BASKETS,
    SUPPORT_STEPS,
    BasketData,
    BasketSettings,
    RuleSettings,
    RulesView,
    item_pairs,
    pair_rules_view,
    rule_table,
    rules_view,
)
from core.format import fmt_count, fmt_share
from ui.charts import show_chart
from ui.common import download_csv, message_text, tr
from ui.pages.crosssell_common import KEEP
from ui.state import LoadedTable, lang, memo


def rules_tab(
    transactions: LoadedTable, settings: BasketSettings, baskets: BasketData
) -> tuple[RulesView, RuleSettings]:
    """The thresholds and the rules they give (returned: the Explore and What-if tabs use them)."""
    st.markdown(tr("crosssell.rules_intro"))
    one, two = st.columns(2)
    min_support = one.select_slider(
        tr("crosssell.min_support"),
        SUPPORT_STEPS,
        value=DEFAULT_MIN_SUPPORT,
        format_func=lambda v: fmt_share(v, 2),
        help=tr("crosssell.min_support_help"),
        key="crosssell_min_support",
    )
    min_confidence = two.slider(
        tr("crosssell.min_confidence"),
        0,
        90,
        round(DEFAULT_MIN_CONFIDENCE * 100),
        step=5,
        format="%d%%",
        help=tr("crosssell.min_confidence_help"),
        key="crosssell_min_confidence",
    )
    rule_settings = RuleSettings(min_support, min_confidence / 100)
    # Pair counts once per baskets; each threshold only filters them again.
    found = memo(
        "crosssell_rules",
        (transactions.fingerprint, settings, rule_settings),
        lambda: rules_view(
            baskets,
            rule_settings,
            memo(
                "crosssell_item_pairs",
                (transactions.fingerprint, settings),
                lambda: item_pairs(baskets, MIN_RULE_BASKETS),
                keep=KEEP,
            ),
        ),
        keep=KEEP,
    )
    a, b, c = st.columns(3)
    a.metric(
        tr("crosssell.rules_found"),
        fmt_count(len(found.rules)),
        help=tr("crosssell.rules_help", min_baskets=MIN_RULE_BASKETS),
    )
    b.metric(tr("crosssell.baskets"), fmt_count(found.n_baskets), help=tr("crosssell.baskets_help"))
    c.metric(
        tr("crosssell.multi_baskets"),
        fmt_count(found.n_multi_item_baskets),
        help=tr("crosssell.multi_baskets_help"),
    )
    if found.problem:
        st.warning(message_text(found.problem), icon=":material/info:")
    else:
        st.subheader(tr("crosssell.reading_title"))
        for reading in found.readings:
            st.markdown(f"- {message_text(reading)}")
        st.caption(tr("crosssell.reading_caption"))
        rules_table(transactions, settings, rule_settings, found)
    pair_rules_part(transactions, settings, rule_settings, baskets)
    return found, rule_settings


@st.fragment
def rules_table(
    transactions: LoadedTable,
    settings: BasketSettings,
    rule_settings: RuleSettings,
    found: RulesView,
) -> None:
    """All rules, or those with one item: table, download and map (the filter reruns only this)."""
    st.subheader(tr("crosssell.table_title"))
    item_word = tr(f"crosssell.item_{settings.level}")
    pick = st.selectbox(
        tr("crosssell.filter_item", item=item_word),
        [None, *found.items],
        format_func=lambda v: tr("crosssell.all_items") if v is None else v,
        key="crosssell_filter",
    )
    key = (transactions.fingerprint, settings, rule_settings, pick)
    table = memo("crosssell_rule_table", key, lambda: rule_table(found.rules, pick), keep=KEEP)
    if table.capped:
        st.caption(tr("crosssell.table_capped", n=fmt_count(MAX_TABLE_RULES)))
    st.dataframe(
        table.shown,
        hide_index=True,
        width="stretch",
        column_config={
            "antecedent": st.column_config.TextColumn(
                tr("crosssell.col_antecedent"), help=tr("crosssell.col_antecedent_help")
            ),
            "consequent": st.column_config.TextColumn(
                tr("crosssell.col_consequent"), help=tr("crosssell.col_consequent_help")
            ),
            "baskets": st.column_config.NumberColumn(
                tr("crosssell.col_baskets"),
                help=tr("crosssell.col_baskets_help"),
                format="localized",
            ),
            "support": st.column_config.NumberColumn(
                tr("crosssell.col_support"),
                help=tr("crosssell.min_support_help"),
                format="%.2f%%",
            ),
            "confidence": st.column_config.NumberColumn(
                tr("crosssell.col_confidence"),
                help=tr("crosssell.min_confidence_help"),
                format="%.1f%%",
            ),
            "lift": st.column_config.NumberColumn(
                tr("crosssell.col_lift"), help=tr("crosssell.col_lift_help"), format="%.2f"
            ),
            "conviction": st.column_config.NumberColumn(
                tr("crosssell.col_conviction"),
                help=tr("crosssell.col_conviction_help"),
                format="%.2f",
            ),
            "consequent_support": st.column_config.NumberColumn(
                tr("crosssell.col_consequent_support"),
                help=tr("crosssell.col_consequent_support_help"),
                format="%.2f%%",
            ),
        },
    )
    download_csv(
        table.download,
        f"cross_sell_rules_{settings.level}.csv",
        tr("crosssell.download_rules", n=fmt_count(len(table.download))),
        key="crosssell_rules_csv",
    )
    show_chart("crosssell.rules_map", key, lambda: rules_map_chart(table.chart, lang()))
    st.caption(tr("crosssell.rules_map_help"))


@st.fragment
def pair_rules_part(
    transactions: LoadedTable,
    settings: BasketSettings,
    rule_settings: RuleSettings,
    baskets: BasketData,
) -> None:
    """Rules {X1, X2} → Y, counted only when asked for (the toggle reruns only this)."""
    gain = f"{MIN_PAIR_GAIN * 100:.0f}"
    if not st.toggle(
        tr("crosssell.pairs_toggle"),
        help=tr("crosssell.pairs_help", gain=gain),
        key="crosssell_pairs",
    ):
        return
    with st.spinner(tr("crosssell.pairs_running")):
        pairs = memo(
            "crosssell_pair_rules",
            (transactions.fingerprint, settings, rule_settings),
            lambda: pair_rules_view(baskets, rule_settings),
            keep=KEEP,
        )
    if pairs.problem:
        st.info(message_text(pairs.problem), icon=":material/info:")
        return
    for reading in pairs.readings:
        st.markdown(f"- {message_text(reading)}")
    st.dataframe(
        pairs.table,
        hide_index=True,
        width="stretch",
        column_config={
            "antecedent": st.column_config.TextColumn(tr("crosssell.col_pair")),
            "consequent": st.column_config.TextColumn(tr("crosssell.col_consequent")),
            "baskets": st.column_config.NumberColumn(
                tr("crosssell.col_baskets"), format="localized"
            ),
            "support": st.column_config.NumberColumn(tr("crosssell.col_support"), format="%.2f%%"),
            "confidence": st.column_config.NumberColumn(
                tr("crosssell.col_confidence"), format="%.1f%%"
            ),
            "lift": st.column_config.NumberColumn(tr("crosssell.col_lift"), format="%.2f"),
            "gain": st.column_config.NumberColumn(
                tr("crosssell.col_gain"), help=tr("crosssell.col_gain_help"), format="%+.1f"
            ),
        },
    )
