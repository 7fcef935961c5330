"""Cross-sell's "What if" tab: a campaign offering Y to the buyers of X, priced at a response."""

from __future__ import annotations

import streamlit as st

from core.crosssell import (
    DEFAULT_RESPONSE,
    RANKED_CAMPAIGNS,
    BasketData,
    BasketSettings,
    CampaignChoices,
    Recommender,
    RuleSettings,
    RulesView,
    campaign_audience,
    campaign_choices,
    campaign_estimate,
    campaign_ranking,
    campaign_reading,
    labelled,
)
from core.format import fmt_count, fmt_money, fmt_share
from core.segmentation import SEGMENTS
from ui.common import download_csv, message_text, tr
from ui.pages.crosssell_common import KEEP
from ui.pages.crosssell_next import segment_of
from ui.state import LoadedTable, lang, memo


@st.fragment
def whatif_tab(
    transactions: LoadedTable,
    settings: BasketSettings,
    baskets: BasketData,
    model: Recommender,
    found: RulesView,
    rule_settings: RuleSettings,
) -> None:
    """Pick a rule and a response: the estimate is arithmetic on the cached campaigns."""
    st.markdown(tr("crosssell.whatif_intro"))
    key = (transactions.fingerprint, settings, rule_settings)
    choices: CampaignChoices = memo(
        "crosssell_candidates",
        key,
        lambda: campaign_choices(baskets, model, found.rules),
        keep=KEEP,
    )
    if choices.problem:
        st.info(message_text(choices.problem), icon=":material/info:")
        return
    candidates = choices.candidates
    labels = memo(
        "crosssell_campaign_labels",
        (*key, lang()),
        lambda: [tr(option.key, **option.params) for option in choices.options],
        keep=KEEP,
    )
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
            round(DEFAULT_RESPONSE * 100),
            step=5,
            format="%d%%",
            help=tr("crosssell.whatif_response_help", default=fmt_share(DEFAULT_RESPONSE, 0)),
            key="crosssell_whatif_response",
        )
        / 100
    )
    estimate = campaign_estimate(candidates, picked, response)
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
    st.markdown(message_text(campaign_reading(estimate)))
    with st.expander(tr("crosssell.whatif_ranking", n=RANKED_CAMPAIGNS)):
        st.dataframe(
            campaign_ranking(candidates, response),
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
                "price": st.column_config.NumberColumn(tr("crosssell.whatif_price"), format="%.2f"),
                "revenue": st.column_config.NumberColumn(
                    tr("crosssell.whatif_revenue"), format="%.2f"
                ),
            },
        )
    audience = memo(
        "crosssell_audience",
        (*key, estimate.antecedent, estimate.consequent, lang()),
        lambda: labelled(
            campaign_audience(
                model, estimate.antecedent, estimate.consequent, segment_of(transactions)
            ),
            {
                "customer_id": tr("field.customer_id"),
                "segment": tr("crosssell.col_segment"),
                "offer": tr("crosssell.col_offer"),
                "because": tr("crosssell.col_because"),
            },
            {s: tr(f"segment.{s}") for s in SEGMENTS},
        ),
        keep=KEEP,
    )
    download_csv(
        audience,
        "cross_sell_audience.csv",
        tr("crosssell.download_audience", n=fmt_count(len(audience))),
        key="crosssell_audience_csv",
    )
