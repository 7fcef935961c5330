"""Cross-sell: products bought together, second orders, next best product per customer, what if."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.charts.crosssell import (
    cooccurrence_heatmap,
    holdout_chart,
    recommended_items_chart,
    rules_map_chart,
    second_order_flows_chart,
    second_order_items_chart,
)
from core.crosssell import (
    PAIR_JOIN,
    association_rules,
    build_baskets,
    campaign_candidates,
    campaign_targets,
    cooccurrence_top,
    cross_sell_campaign,
    default_cutoff,
    fit_recommender,
    holdout_evaluation,
    item_levels,
    item_names,
    pair_rules,
    recommend,
    recommendation_table,
    rule_items,
    rules_with_item,
    second_orders,
    strongest_flows,
    strongest_pairs,
)
from core.format import fmt_count, fmt_money, fmt_share
from core.segmentation import SEGMENTS
from ui.common import demo_banner, download_csv, download_excel, plain, require_orders, rfm_of, tr
from ui.state import lang, memo

SUPPORT_STEPS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05)
MIN_RULE_BASKETS = 3  # a "rule" seen in one or two baskets is noise, whatever its lift
MAX_TABLE_RULES = 1000
MIN_PAIR_GAIN = 0.05  # a two-item rule must add 5 confidence points to be worth reading
MAX_MAP_RULES = 300

st.title(tr("crosssell.title"))
st.markdown(tr("crosssell.intro"))
demo_banner()

transactions, orders = require_orders()
levels = item_levels(transactions.table)
if not levels:
    st.warning(tr("crosssell.no_items"), icon=":material/warning:")
    st.stop()

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
leave_out = tuple(
    right.multiselect(
        tr("crosssell.leave_out"),
        names,
        placeholder=tr("crosssell.leave_out_none"),
        help=tr("crosssell.leave_out_help"),
        key=f"crosssell_leave_out_{level}",
    )
)
# Everything below depends on the data and the items left out (and the level).
fp = (transactions.fingerprint, leave_out)
baskets = memo(
    "crosssell_baskets", (fp, level), lambda: build_baskets(transactions.table, level, leave_out)
)
item_word = tr(f"crosssell.item_{level}")
sizes = baskets.basket_sizes()
multi = int((sizes >= 2).sum())
st.caption(
    tr(
        "crosssell.data_caption",
        baskets=fmt_count(baskets.n_baskets),
        items=fmt_count(baskets.n_items),
        multi=fmt_share(multi / max(baskets.n_baskets, 1)),
        source=tr(f"crosssell.source_{baskets.source}"),
    )
)

tab_rules, tab_explore, tab_next, tab_check, tab_whatif = st.tabs(
    [
        tr("crosssell.tab_rules"),
        tr("crosssell.tab_explore"),
        tr("crosssell.tab_next"),
        tr("crosssell.tab_check"),
        tr("crosssell.tab_whatif"),
    ]
)


def rule_sentence(rule: pd.Series) -> str:
    return tr(
        "crosssell.rule_sentence",
        x=plain(rule["antecedent"]),
        y=plain(rule["consequent"]),
        lift=f"{rule['lift']:.1f}",
        confidence=fmt_share(rule["confidence"]),
    )


# --- Bought together -----------------------------------------------------------------------
with tab_rules:
    st.markdown(tr("crosssell.rules_intro"))
    one, two = st.columns(2)
    min_support = one.select_slider(
        tr("crosssell.min_support"),
        SUPPORT_STEPS,
        value=0.002,
        format_func=lambda v: fmt_share(v, 2),
        help=tr("crosssell.min_support_help"),
        key="crosssell_min_support",
    )
    min_confidence = (
        two.slider(
            tr("crosssell.min_confidence"),
            0,
            90,
            20,
            step=5,
            format="%d%%",
            help=tr("crosssell.min_confidence_help"),
            key="crosssell_min_confidence",
        )
        / 100
    )
    found = memo(
        "crosssell_rules",
        (fp, level, min_support, min_confidence),
        lambda: association_rules(
            baskets, min_support, min_confidence, MIN_RULE_BASKETS, min_lift=1.0
        ),
    )
    rules = found.rules
    a, b, c = st.columns(3)
    a.metric(tr("crosssell.rules_found"), fmt_count(len(rules)), help=tr("crosssell.rules_help"))
    b.metric(tr("crosssell.baskets"), fmt_count(found.n_baskets), help=tr("crosssell.baskets_help"))
    c.metric(
        tr("crosssell.multi_baskets"),
        fmt_count(found.n_multi_item_baskets),
        help=tr("crosssell.multi_baskets_help"),
    )
    if found.message:
        st.warning(tr(found.message), icon=":material/info:")
    else:
        st.subheader(tr("crosssell.reading_title"))
        for _, rule in strongest_pairs(rules, 5).iterrows():
            st.markdown(f"- {rule_sentence(rule)}")
        st.caption(tr("crosssell.reading_caption"))

        st.subheader(tr("crosssell.table_title"))
        shown_items = sorted(set(rules["antecedent"]) | set(rules["consequent"]))
        pick = st.selectbox(
            tr("crosssell.filter_item", item=item_word),
            [None, *shown_items],
            format_func=lambda v: tr("crosssell.all_items") if v is None else v,
            key="crosssell_filter",
        )
        table = rules_with_item(rules, pick).head(MAX_TABLE_RULES)
        if len(rules) > MAX_TABLE_RULES and pick is None:
            st.caption(tr("crosssell.table_capped", n=fmt_count(MAX_TABLE_RULES)))
        st.dataframe(
            table.assign(
                support=table["support"] * 100,
                confidence=table["confidence"] * 100,
                consequent_support=table["consequent_support"] * 100,
            ).drop(columns=["antecedent_support"]),
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
            rules_with_item(rules, pick),
            f"cross_sell_rules_{level}.csv",
            tr("crosssell.download_rules", n=fmt_count(len(rules_with_item(rules, pick)))),
            key="crosssell_rules_csv",
        )
        st.altair_chart(rules_map_chart(table.head(MAX_MAP_RULES), lang()), width="stretch")
        st.caption(tr("crosssell.rules_map_help"))

    if st.toggle(
        tr("crosssell.pairs_toggle"), help=tr("crosssell.pairs_help"), key="crosssell_pairs"
    ):
        with st.spinner(tr("crosssell.pairs_running")):
            two_items = memo(
                "crosssell_pair_rules",
                (fp, level, min_support, min_confidence),
                lambda: pair_rules(baskets, min_support, min_confidence, MIN_RULE_BASKETS),
            )
        helpful = two_items[two_items["gain"] >= MIN_PAIR_GAIN]
        if helpful.empty:
            st.info(tr("crosssell.no_pair_rules"), icon=":material/info:")
        else:
            for _, rule in helpful.head(3).iterrows():
                first, second = rule["antecedent"].split(PAIR_JOIN, 1)
                st.markdown(
                    "- "
                    + tr(
                        "crosssell.pair_sentence",
                        x=plain(first),
                        z=plain(second),
                        y=plain(rule["consequent"]),
                        confidence=fmt_share(rule["confidence"]),
                        gain=f"{rule['gain'] * 100:+.0f}",
                    )
                )
            st.dataframe(
                helpful.head(MAX_TABLE_RULES).assign(
                    support=helpful["support"] * 100,
                    confidence=helpful["confidence"] * 100,
                    gain=helpful["gain"] * 100,
                )[["antecedent", "consequent", "baskets", "support", "confidence", "lift", "gain"]],
                hide_index=True,
                width="stretch",
                column_config={
                    "antecedent": st.column_config.TextColumn(tr("crosssell.col_pair")),
                    "consequent": st.column_config.TextColumn(tr("crosssell.col_consequent")),
                    "baskets": st.column_config.NumberColumn(
                        tr("crosssell.col_baskets"), format="localized"
                    ),
                    "support": st.column_config.NumberColumn(
                        tr("crosssell.col_support"), format="%.2f%%"
                    ),
                    "confidence": st.column_config.NumberColumn(
                        tr("crosssell.col_confidence"), format="%.1f%%"
                    ),
                    "lift": st.column_config.NumberColumn(tr("crosssell.col_lift"), format="%.2f"),
                    "gain": st.column_config.NumberColumn(
                        tr("crosssell.col_gain"), help=tr("crosssell.col_gain_help"), format="%+.1f"
                    ),
                },
            )

# --- Explore -------------------------------------------------------------------------------
with tab_explore:
    st.subheader(tr("crosssell.heatmap_title"))
    one, two = st.columns([2, 1])
    which = (
        one.segmented_control(
            tr("crosssell.heatmap_which"),
            ["rules", "popular"],
            default="rules" if not found.rules.empty else "popular",
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
    # Without rules the heatmap falls back to the most bought items.
    chosen_items = (rule_items(found.rules, top) if which == "rules" else None) or None
    pairs = memo(
        "crosssell_pairs",
        (fp, level, top, tuple(chosen_items) if chosen_items else None),
        lambda: cooccurrence_top(baskets, top, chosen_items),
    )
    if pairs.empty:
        st.info(tr("crosssell.no_multi_item_baskets"), icon=":material/info:")
    else:
        st.altair_chart(cooccurrence_heatmap(pairs, lang()), width="stretch")
        st.caption(tr("crosssell.heatmap_caption"))

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
    first_baskets = memo(
        "crosssell_baskets",
        (fp, first_level),
        lambda: build_baskets(transactions.table, first_level),
    )
    seconds = memo(
        "crosssell_second", (fp, first_level, level), lambda: second_orders(first_baskets, baskets)
    )
    if seconds.message:
        st.info(tr(seconds.message), icon=":material/info:")
    else:
        st.caption(tr("crosssell.second_caption", n=fmt_count(seconds.n_customers)))
        strongest = strongest_flows(seconds.flows).head(12)
        st.altair_chart(second_order_items_chart(seconds.items.head(12), lang()), width="stretch")
        if strongest.empty:
            st.info(tr("crosssell.no_flows"), icon=":material/info:")
        else:
            st.altair_chart(second_order_flows_chart(strongest, lang()), width="stretch")
            for _, flow in strongest.head(6).iterrows():
                st.markdown(
                    "- "
                    + tr(
                        "crosssell.flow_sentence",
                        first=plain(flow["first_item"]),
                        second=plain(flow["second_item"]),
                        share=fmt_share(flow["share"]),
                        others=fmt_share(flow["share_others"]),
                    )
                )
            st.caption(tr("crosssell.flow_caption"))

# --- Next best product ---------------------------------------------------------------------
model = memo("crosssell_model", (fp, level), lambda: fit_recommender(baskets))
with tab_next:
    st.markdown(tr("crosssell.next_intro"))
    top_n = st.slider(
        tr("crosssell.top_n"), 1, 10, 5, key="crosssell_top_n", help=tr("crosssell.top_n_help")
    )
    recommendations = memo("crosssell_recs", (fp, level, top_n), lambda: recommend(model, top_n))
    if recommendations.empty:
        st.info(tr("crosssell.no_recommendations"), icon=":material/info:")
    else:
        rfm = rfm_of(transactions)
        wide = memo(
            "crosssell_recs_table",
            (fp, level, top_n),
            lambda: recommendation_table(recommendations, model),
        )
        segment_of = rfm.table["rfm_segment"].astype(str)
        wide = wide.copy()  # the memo keeps the original
        wide.insert(1, "segment", wide["customer_id"].map(segment_of))
        chosen = st.multiselect(
            tr("crosssell.segments"),
            [s for s in SEGMENTS if s in set(wide["segment"].dropna())],
            format_func=lambda s: tr(f"segment.{s}"),
            placeholder=tr("crosssell.all_segments"),
            key="crosssell_segments",
            help=tr("crosssell.segments_help"),
        )
        rows = wide[wide["segment"].isin(chosen)] if chosen else wide
        export = rows.assign(segment=rows["segment"].map(lambda s: tr(f"segment.{s}"))).rename(
            columns={
                "customer_id": tr("field.customer_id"),
                "segment": tr("crosssell.col_segment"),
                "reason_1": tr("crosssell.col_reason"),
                **{
                    f"item_{r}": tr(
                        "crosssell.col_rank", rank=r, item=tr(f"crosssell.level_{level}")
                    )
                    for r in range(1, top_n + 1)
                },
            }
        )
        st.caption(tr("crosssell.next_caption", n=fmt_count(len(rows))))
        st.dataframe(export.head(1000), hide_index=True, width="stretch")
        name = "next_best_" + ("_".join(chosen) if chosen else "all")
        one, two = st.columns(2)
        with one:
            download_csv(
                export,
                f"{name}.csv",
                tr("crosssell.download_csv", n=fmt_count(len(export))),
                key="crosssell_recs_csv",
            )
        with two:
            download_excel(
                export,
                f"{name}.xlsx",
                tr("crosssell.download_excel", n=fmt_count(len(export))),
                key="crosssell_recs_xlsx",
            )
        first_choice = (
            rows["item_1"].value_counts().rename_axis("item").reset_index(name="customers")
        )
        st.altair_chart(recommended_items_chart(first_choice.head(12), lang()), width="stretch")
        st.caption(tr("crosssell.recommended_caption"))
        with st.expander(tr("crosssell.method_title")):
            st.markdown(tr("crosssell.method_text"))

# --- Holdout check -------------------------------------------------------------------------
with tab_check:
    st.markdown(tr("crosssell.check_intro"))
    first_day = pd.Timestamp(baskets.basket_date.min()).date() if baskets.n_baskets else None
    last_day = pd.Timestamp(baskets.basket_date.max()).date() if baskets.n_baskets else None
    if first_day is None or first_day == last_day:
        st.info(tr("crosssell.no_holdout_customers"), icon=":material/info:")
    else:
        cutoff = st.date_input(
            tr("crosssell.cutoff"),
            value=default_cutoff(baskets).date(),
            min_value=first_day,
            max_value=last_day,
            help=tr("crosssell.cutoff_help"),
            key="crosssell_cutoff",
        )
        check = memo(
            "crosssell_holdout",
            (fp, level, cutoff),
            lambda: holdout_evaluation(baskets, pd.Timestamp(cutoff), 5),
        )
        if check.message:
            st.info(tr(check.message), icon=":material/info:")
        else:
            if baskets.n_items <= 2 * check.top_n:
                st.info(
                    tr("crosssell.check_few_items", n=baskets.n_items, top=check.top_n),
                    icon=":material/info:",
                )
            a, b, c = st.columns(3)
            a.metric(
                tr("crosssell.hit_rate"),
                fmt_share(check.hit_rate),
                delta=f"{(check.hit_rate - check.baseline_hit_rate) * 100:+.1f} pp",
                help=tr("crosssell.hit_rate_help"),
            )
            b.metric(
                tr("crosssell.baseline_hit_rate"),
                fmt_share(check.baseline_hit_rate),
                help=tr("crosssell.baseline_help"),
            )
            c.metric(
                tr("crosssell.check_customers"),
                fmt_count(check.customers),
                help=tr("crosssell.check_customers_help"),
            )
            rates = pd.DataFrame(
                {
                    "method": [tr("crosssell.method_model"), tr("crosssell.method_popular")],
                    "hit_rate": [check.hit_rate, check.baseline_hit_rate],
                    "hits": [check.hits, check.baseline_hits],
                }
            )
            st.altair_chart(holdout_chart(rates, lang()), width="stretch")
            better = check.hit_rate > check.baseline_hit_rate
            st.markdown(
                tr(
                    "crosssell.check_reading_better" if better else "crosssell.check_reading_worse",
                    rate=fmt_share(check.hit_rate),
                    baseline=fmt_share(check.baseline_hit_rate),
                    n=fmt_count(check.customers),
                    cutoff=pd.Timestamp(cutoff).strftime("%Y-%m-%d"),
                    times=f"{check.hit_rate / check.baseline_hit_rate:.1f}"
                    if check.baseline_hit_rate
                    else "–",
                )
            )

# --- What if -------------------------------------------------------------------------------
with tab_whatif:
    st.markdown(tr("crosssell.whatif_intro"))
    candidates = memo(
        "crosssell_candidates",
        (fp, level, min_support, min_confidence),
        lambda: campaign_candidates(baskets, model, found.rules),
    )
    if candidates.empty:
        st.info(tr("crosssell.whatif_no_rules"), icon=":material/info:")
    else:
        labels = [
            tr(
                "crosssell.whatif_option",
                x=r.antecedent,
                y=r.consequent,
                confidence=fmt_share(r.confidence),
                n=fmt_count(r.target_customers),
            )
            for r in candidates.itertuples()
        ]
        one, two = st.columns([2, 1])
        picked = one.selectbox(
            tr("crosssell.whatif_rule"),
            range(len(candidates)),
            format_func=lambda i: labels[i],
            key="crosssell_whatif_rule",
            help=tr("crosssell.whatif_rule_help"),
        )
        response = (
            two.slider(
                tr("crosssell.whatif_response"),
                5,
                100,
                25,
                step=5,
                format="%d%%",
                help=tr("crosssell.whatif_response_help"),
                key="crosssell_whatif_response",
            )
            / 100
        )
        rule = candidates.iloc[picked]
        estimate = cross_sell_campaign(
            baskets,
            model,
            rule["antecedent"],
            rule["consequent"],
            response,
            float(rule["confidence"]),
        )
        a, b, c, d = st.columns(4)
        a.metric(
            tr("crosssell.whatif_target"),
            fmt_count(estimate.target_customers),
            help=tr("crosssell.whatif_target_help"),
        )
        b.metric(
            tr("crosssell.whatif_orders"),
            f"{estimate.expected_orders:,.1f}",
            help=tr("crosssell.whatif_orders_help"),
        )
        c.metric(
            tr("crosssell.whatif_price"),
            fmt_money(estimate.average_price),
            help=tr("crosssell.whatif_price_help"),
        )
        d.metric(
            tr("crosssell.whatif_revenue"),
            fmt_money(estimate.expected_revenue),
            help=tr("crosssell.whatif_revenue_help"),
        )
        st.markdown(
            tr(
                "crosssell.whatif_reading",
                n=fmt_count(estimate.target_customers),
                x=plain(estimate.antecedent),
                y=plain(estimate.consequent),
                confidence=fmt_share(estimate.confidence),
                response=fmt_share(estimate.response_share, 0),
                orders=f"{estimate.expected_orders:,.1f}",
                price=fmt_money(estimate.average_price),
                revenue=fmt_money(estimate.expected_revenue),
            )
        )
        with st.expander(tr("crosssell.whatif_ranking")):
            ranking = candidates.head(10)
            st.dataframe(
                pd.DataFrame(
                    {
                        "antecedent": ranking["antecedent"],
                        "consequent": ranking["consequent"],
                        "customers": ranking["target_customers"],
                        "confidence": ranking["confidence"] * 100,
                        "price": ranking["average_price"],
                        "revenue": ranking["potential_revenue"] * response,
                    }
                ),
                hide_index=True,
                width="stretch",
                column_config={
                    "antecedent": st.column_config.TextColumn(tr("crosssell.col_antecedent")),
                    "consequent": st.column_config.TextColumn(tr("crosssell.col_offer")),
                    "customers": st.column_config.NumberColumn(
                        tr("crosssell.whatif_target"), format="localized"
                    ),
                    "confidence": st.column_config.NumberColumn(
                        tr("crosssell.col_confidence"), format="%.1f%%"
                    ),
                    "price": st.column_config.NumberColumn(
                        tr("crosssell.whatif_price"), format="%.2f"
                    ),
                    "revenue": st.column_config.NumberColumn(
                        tr("crosssell.whatif_revenue"), format="%.2f"
                    ),
                },
            )
        audience = campaign_targets(model, estimate.antecedent, estimate.consequent)
        segments = rfm_of(transactions)
        audience_table = pd.DataFrame(
            {
                tr("field.customer_id"): audience,
                tr("crosssell.col_segment"): audience.map(
                    segments.table["rfm_segment"].astype(str)
                ).map(lambda s: tr(f"segment.{s}") if isinstance(s, str) else ""),
                tr("crosssell.col_offer"): estimate.consequent,
                tr("crosssell.col_because"): estimate.antecedent,
            }
        )
        download_csv(
            audience_table,
            "cross_sell_audience.csv",
            tr("crosssell.download_audience", n=fmt_count(len(audience_table))),
            key="crosssell_audience_csv",
        )
