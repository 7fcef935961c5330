"""Where the Campaign page's numbers come from: the campaign table (with the columns picked
here and the purchase history by customer ID) or totals typed per group."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.campaign import customers
from core.campaign.abtest import EXAMPLE_SUMMARY, CampaignData, is_aggregate
from core.campaign.outcomes import MAPPED, campaign_from_table, outcome_columns
from core.campaign.typed import content_key, totals_table, typed_summary
from core.format import fmt_count
from core.segmentation import LifecycleThresholds
from ui.common import lifecycle_found, message_text, orders_of, plain, rfm_of, stages_of, tr
from ui.pages.campaign_common import num, text
from ui.state import LoadedTable, memo


@dataclass(frozen=True)
class Source:
    """The campaign to analyse, its cache key, and what the tabs need to know of its origin.

    outcome: the 0/1 column picked when it is not the mapped `converted` (named in the
    result table); history_days: the days of spend before the send when that is the
    CUPED covariate, else None.
    """

    data: CampaignData | None
    key: tuple[Hashable, ...]
    outcome: str | None = None
    history_days: int | None = None


def history_link(
    campaign: LoadedTable, transactions: LoadedTable | None
) -> customers.HistoryLink | None:
    """Whether the recipients can be found in the purchase history (None for a table of totals)."""
    if is_aggregate(campaign.table):
        return None
    key = (campaign.fingerprint, transactions and transactions.fingerprint)
    orders = orders_of(transactions) if transactions else None
    return memo("campaign_link", key, lambda: customers.history_link(campaign.table, orders))


def column_name(campaign: LoadedTable, column: str) -> str:
    """A column as the user knows it: the file's header, with the field it was mapped to.

    Option labels are shown as plain text (never Markdown), so headers need no escaping.
    """
    if column == customers.HISTORY_SPEND:
        return tr("campaign.history_spend")
    if column not in MAPPED:
        return column
    header = campaign.report.source_columns.get(column)
    label = tr(f"field.{column}")
    return f"{header} · {label}" if header and not campaign.is_demo else label


def column_choice(
    campaign: LoadedTable, label: str, options: tuple[str, ...], default: str | None, key: str
) -> str | None:
    """A column picked from `options`, or none ("" stands for none: a selectbox cannot go back to None)."""
    choices = ["", *options]
    picked = st.selectbox(
        tr(f"campaign.{label}"),
        choices,
        index=choices.index(default or ""),
        format_func=lambda c: column_name(campaign, c) if c else tr("campaign.column_none"),
        key=f"{key}_{campaign.fingerprint[:12]}",
        help=tr(f"campaign.{label}_help"),
    )
    return picked or None


def recipient_history(
    campaign: LoadedTable,
    transactions: LoadedTable,
    link: customers.HistoryLink,
    days: int | None,
) -> tuple[pd.DataFrame | None, tuple]:
    """The columns the purchase history adds to the campaign table (segments; spend over `days`).

    Segments are the Segmentation page's RFM table and lifecycle stages as of the day
    before the send (its cache keys, its thresholds).
    """
    if link.segments and days is None:
        return None, ()
    key = (transactions.fingerprint, link.as_of, days)
    segments: tuple = (None, None)
    if not link.segments:
        found = lifecycle_found(transactions)
        thresholds = LifecycleThresholds(found.active_days, found.churn_days, found.n_gaps)
        rfm = rfm_of(transactions, link.as_of).table
        segments = (rfm, stages_of(transactions, thresholds, link.as_of))
    args = (campaign.table, link, orders_of(transactions), *segments, days)
    history = memo(
        "campaign_history",
        (campaign.fingerprint, *key),
        lambda: customers.recipient_history(*args),
        keep=2,
    )
    return history, key


def table_source(
    campaign: LoadedTable,
    transactions: LoadedTable | None,
    link: customers.HistoryLink | None,
) -> Source:
    """The campaign table with the outcome, revenue and covariate columns picked here."""
    table = campaign.table
    name = plain(tr("campaign.demo_name") if campaign.is_demo else campaign.source)
    if link is None:  # group totals
        st.caption(tr("campaign.source_aggregate", rows=fmt_count(len(table))))
        key = (campaign.fingerprint, "totals")
        return Source(memo("campaign_data", key, lambda: totals_table(table)), key)
    choices = memo("campaign_columns", (campaign.fingerprint,), lambda: outcome_columns(table))
    one, two, three = st.columns(3)
    with one:
        outcome = column_choice(
            campaign, "outcome", choices.flags, choices.outcome, "campaign_outcome"
        )
    with two:
        revenue = column_choice(
            campaign, "revenue_column", choices.numbers, choices.revenue, "campaign_revenue"
        )
    spend = () if link.spend else (customers.HISTORY_SPEND,)
    with three:
        default = choices.covariate or next(iter(spend), None)
        # A new widget when the options change.
        key = "campaign_cuped" + ("_history" if spend else "")
        covariate = column_choice(campaign, "covariate", choices.numbers + spend, default, key)
        days = None
        if covariate == customers.HISTORY_SPEND:
            days = st.number_input(
                tr("campaign.history_days"),
                1,
                3650,
                customers.DEFAULT_HISTORY_DAYS,
                key="campaign_history_days",
                help=tr("campaign.history_days_help"),
            )
        elif link.spend:
            st.caption(message_text(link.spend))
    history, history_key = (None, ())
    if transactions is not None:
        history, history_key = recipient_history(campaign, transactions, link, days)
    key = (campaign.fingerprint, "rows", outcome, revenue, covariate, *history_key)
    data = memo(
        "campaign_data",
        key,
        lambda: campaign_from_table(table, outcome, revenue, covariate, history),
        keep=2,
    )
    st.caption(tr("campaign.source_rows", rows=fmt_count(data.recipients), name=name))
    named = outcome if outcome not in (None, "converted") else None
    return Source(data, key, named, int(days) if days is not None else None)


def summary_columns() -> dict:
    count = {"min_value": 0, "step": 1}
    return {
        "group": text("campaign.col_group", "campaign.col_group_help"),
        "recipients": num("campaign.col_recipients", "%d", "campaign.col_recipients_help", **count),
        "conversions": num(
            "campaign.col_conversions", "%d", "campaign.col_conversions_help", **count
        ),
        "revenue": num("campaign.col_revenue", "%.2f", "campaign.col_revenue_help"),
        "revenue_sd": num(
            "campaign.col_revenue_sd", "%.2f", "campaign.col_revenue_sd_help", min_value=0.0
        ),
    }


def typed_source(on_demo: bool) -> Source:
    """Totals typed per group: prefilled with the demo's totals only while the demo is loaded."""
    st.caption(tr("campaign.summary_intro"))
    typed = st.data_editor(
        EXAMPLE_SUMMARY if on_demo else EXAMPLE_SUMMARY.iloc[:0],
        num_rows="dynamic",
        hide_index=True,
        key=f"campaign_summary_editor_{'demo' if on_demo else 'own'}",
        width="stretch",
        column_config=summary_columns(),
    )
    summary = memo("campaign_typed", content_key(typed), lambda: typed_summary(typed))
    if summary.data is None:
        st.info(tr("campaign.summary_empty"), icon=":material/edit_note:")
    elif summary.example:
        # The results below would otherwise read like the user's own.
        st.info(tr("campaign.example_numbers"), icon=":material/edit_note:")
    return Source(summary.data, summary.key)
