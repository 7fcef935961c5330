"""Retention page: the at-risk tab; its list and its what-if are fragments that rerun alone."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st

from core.charts.retention import risk_value_chart
from core.churn_model import (
    ChurnModelResult,
    OfferBasis,
    OfferSettings,
    at_risk_headers,
    at_risk_selection,
    at_risk_table,
    offer_basis,
    risk_bands,
    whatif,
)
from core.format import fmt_count, fmt_money, fmt_share
from ui.charts import show_chart
from ui.common import download_csv, download_excel, message_text, tr
from ui.pages.retention_parts import show
from ui.state import lang, memo

KEEP_LISTS = 4  # at-risk lists kept per session (recent minimum risks)


def at_risk_tab(model: ChurnModelResult, key: tuple[Hashable, ...]) -> None:
    """The customers to act on, their risk and what is at stake, and the what-if of an offer."""
    if model.problem is not None:
        st.info(tr("retention.at_risk_needs_model"), icon=":material/info:")
        return
    money = model.has_value
    st.markdown(tr(model.key("at_risk_intro")))
    a, b, c = st.columns(3)
    a.metric(
        tr(model.key("metric_current")),
        fmt_count(len(model.scores)),
        help=tr(model.key("metric_current_help")),
    )
    b.metric(
        tr("retention.metric_expected_churners"),
        fmt_count(model.expected_churners),
        help=tr(model.key("metric_expected_churners_help"), days=model.horizon_days),
    )
    if money:
        c.metric(
            tr(model.key("metric_at_stake")),
            fmt_money(model.at_stake),
            help=tr(model.key("metric_at_stake_help")),
        )
    show_chart(
        "retention.risk",
        key,
        lambda: risk_value_chart(
            risk_bands(model.scores), lang(), model.mode == "subscription", money
        ),
    )
    at_risk_panel(model, key)
    st.subheader(tr("retention.whatif_title"))
    st.caption(tr(model.key("whatif_intro")))
    whatif_panel(model, memo("ret_offer_basis", key, lambda: offer_basis(model), keep=2))


def _columns(model: ChurnModelResult) -> dict[str, object]:
    """The at-risk list's column settings, headed as `at_risk_headers` says."""
    number = st.column_config.NumberColumn
    days = model.horizon_days
    settings = {
        "customer_id": st.column_config.TextColumn,
        "risk": lambda label: number(
            label, format="%.0f%%", help=tr(model.key("col_risk_help"), days=days)
        ),
        "value": lambda label: number(label, format="%.2f", help=tr(model.key("col_value_help"))),
        "at_stake": lambda label: number(
            label, format="%.2f", help=tr(model.key("col_at_stake_help"))
        ),
        "reason": lambda label: st.column_config.TextColumn(label, width="large"),
        "recency_days": lambda label: number(label, format="%d"),
        "frequency": lambda label: number(label, format="%d"),
        "tenure": lambda label: number(label, format="%d"),
    }
    return {c: settings[c](tr(k)) for c, k in at_risk_headers(model).items()}


@st.fragment
def at_risk_panel(model: ChurnModelResult, key: tuple[Hashable, ...]) -> None:
    """The at-risk list at a minimum risk (reruns alone when the slider moves)."""
    min_risk = st.slider(
        tr("retention.min_risk"), 0, 100, 50, step=5, format="%d%%", key="retention_min_risk"
    )
    everyone = memo("ret_at_risk_all", (*key, lang()), lambda: at_risk_table(model, lang()), keep=2)
    listed = memo(
        "ret_at_risk",
        (*key, min_risk, lang()),
        lambda: at_risk_selection(model, everyone, min_risk, lang()),
        keep=KEEP_LISTS,
    )
    st.caption(message_text(listed.caption))
    columns = _columns(model)
    st.dataframe(listed.shown, hide_index=True, width="stretch", column_config=columns)
    left, right = st.columns(2)
    n = fmt_count(listed.count)
    with left:
        download_csv(
            listed.download,
            "at_risk_customers.csv",
            tr("retention.download_list_csv", n=n),
            "retention_list_csv",
        )
    with right:
        download_excel(
            listed.download,
            "at_risk_customers.xlsx",
            tr("retention.download_list_excel", n=n),
            "retention_list_xlsx",
        )


@st.fragment
def whatif_panel(model: ChurnModelResult, basis: OfferBasis) -> None:
    """What a retention offer to the riskiest customers keeps and costs (reruns alone)."""
    money = basis.money
    one, two, three, four = st.columns(4)
    share = one.slider(
        tr("retention.whatif_share"),
        1,
        100,
        10,
        format="%d%%",
        key="retention_whatif_share",
        help=tr(model.key("whatif_share_help")),
    )
    points = two.slider(
        tr("retention.whatif_points"),
        0,
        50,
        10,
        format="%d",
        key="retention_whatif_points",
        help=tr("retention.whatif_points_help"),
    )
    cost = three.number_input(
        tr("retention.whatif_cost"),
        min_value=0.0,
        value=5.0,
        step=0.5,
        key="retention_whatif_cost",
        help=tr("retention.whatif_cost_help"),
    )
    margin = four.slider(
        tr("retention.whatif_margin"),
        5,
        100,
        40,
        format="%d%%",
        key="retention_whatif_margin",
        help=tr("retention.whatif_margin_help"),
        disabled=not money,
    )
    answer = whatif(basis, OfferSettings(share, points, cost, margin))
    offer = answer.offer
    a, b, c, d = st.columns(4)
    a.metric(tr(model.key("whatif_contacted")), fmt_count(offer.contacted))
    b.metric(
        tr(model.key("whatif_kept")),
        fmt_count(offer.kept),
        help=tr("retention.whatif_kept_help"),
    )
    if money:
        c.metric(
            tr(model.key("whatif_revenue_kept")),
            fmt_money(offer.revenue_kept),
            help=tr(model.key("whatif_revenue_kept_help")),
        )
        d.metric(
            tr("retention.whatif_roi"),
            fmt_share(offer.roi, 0),
            help=tr("retention.whatif_roi_help"),
        )
    st.markdown(message_text(answer.reading))
    show(answer.problem)
