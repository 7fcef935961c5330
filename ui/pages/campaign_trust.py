"""The Campaign page's "Can I trust it?" tab: the split, group sizes, big orders and CUPED."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.campaign import customers
from core.campaign.abtest import CampaignData
from core.campaign.trust import TrustView, intended_split, srm_help_params, srm_view
from ui.common import message_text, tr
from ui.pages.campaign_common import num, text


@st.fragment
def split_check(data: CampaignData) -> None:
    """Group sizes against the intended split (edited here: only this part reruns)."""
    st.subheader(tr("campaign.srm_title"))
    st.markdown(tr("campaign.srm_intro"))
    groups = data.groups
    intended = st.data_editor(
        intended_split(groups),
        hide_index=True,
        disabled=["group"],
        key=f"campaign_split_{'|'.join(groups)}",
        column_config={
            "group": text("campaign.col_group"),
            "share": num(
                "campaign.col_intended",
                "%.1f",
                "campaign.col_intended_help",
                min_value=0.0,
                max_value=100.0,
            ),
        },
    )
    view = srm_view(data, intended)
    a, b = st.columns(2)
    a.metric(tr("campaign.srm_chi2"), view.chi2, help=tr("campaign.srm_chi2_help"))
    b.metric(tr("campaign.srm_p"), view.p, help=tr("campaign.srm_p_help", **srm_help_params()))
    if view.srm.flagged:
        st.error(message_text(view.reading), icon=":material/error:")
    else:
        st.success(message_text(view.reading), icon=":material/check_circle:")
    st.dataframe(
        view.table,
        hide_index=True,
        column_config={
            "group": text("campaign.col_group"),
            "recipients": num("campaign.col_recipients", "localized"),
            "expected": num("campaign.col_expected", "%.0f"),
            "share": num("campaign.col_share", "%.2f%%"),
            "intended": num("campaign.col_intended", "%.2f%%"),
        },
    )


def side_table(side: pd.DataFrame, adjusted_label: str, money: bool, key: str) -> None:
    """Raw and adjusted lifts side by side (`core.campaign.trust.side_by_side`)."""
    fmt = "%+.2f"
    st.dataframe(
        side,
        hide_index=True,
        width="stretch",
        key=f"campaign_side_{key}",
        column_order=[
            "variant",
            "raw_lift",
            "raw_low",
            "raw_high",
            "raw_p_text",
            "adj_lift",
            "adj_low",
            "adj_high",
            "adj_p_text",
            "narrower",
        ],
        column_config={
            "variant": text("campaign.col_variant"),
            "raw_lift": num("campaign.col_raw_lift", fmt),
            "raw_low": num("campaign.col_low", fmt),
            "raw_high": num("campaign.col_high", fmt),
            "raw_p_text": text("campaign.col_p_holm"),
            "adj_lift": st.column_config.NumberColumn(tr(adjusted_label), format=fmt),
            "adj_low": num("campaign.col_low", fmt),
            "adj_high": num("campaign.col_high", fmt),
            "adj_p_text": text("campaign.col_p_holm"),
            "narrower": num("campaign.col_narrower", "%.1f%%", "campaign.col_narrower_help"),
        },
    )
    st.caption(tr("campaign.units_money") if money else tr("campaign.units_points"))


def history_caption(link: customers.HistoryLink, recipients: int, days: int | None = None) -> str:
    return message_text(customers.history_note(link, recipients, days))


def trust_tab(
    data: CampaignData,
    view: TrustView,
    link: customers.HistoryLink | None,
    history_days: int | None,
) -> None:
    """The checks of a campaign's result; `history_days`: days of spend before the send when
    that is the CUPED covariate."""
    split_check(data)

    st.subheader(tr("campaign.size_title"))
    for note in view.small:
        st.warning(message_text(note), icon=":material/warning:")
    if not view.small:
        st.success(tr("campaign.size_ok"), icon=":material/check_circle:")

    st.subheader(tr("campaign.outliers_title"))
    capped = view.capped
    if capped is None:
        st.caption(tr("campaign.outliers_need_rows"))
    else:
        if capped.note:
            st.warning(message_text(capped.note), icon=":material/warning:")
        st.markdown(message_text(capped.intro))
        side_table(capped.side, "campaign.col_capped", money=True, key="capped")
        for shift in capped.shifts:
            st.warning(message_text(shift), icon=":material/warning:")

    st.subheader(tr("campaign.cuped_title"))
    if not view.cuped_available:
        st.caption(tr("campaign.cuped_missing"))
        if link is not None and link.spend:
            st.caption(message_text(link.spend))
        return
    st.markdown(tr("campaign.cuped_intro"))
    if link is not None and history_days is not None:
        st.caption(history_caption(link, data.recipients, history_days))
    for cuped in view.cuped:
        st.markdown(
            f"**{tr(f'campaign.metric_{cuped.metric}')}** · {message_text(cuped.reduction)}"
        )
        side_table(
            cuped.side,
            "campaign.col_cuped",
            money=cuped.metric == "revenue",
            key=f"cuped_{cuped.metric}",
        )
