"""The Lifetime value page's customer lists: the top customers, the whole table and its downloads.

The table comes from `core.clv.customer_list` (sorted, segments named) cached per
What-if and language; the export with translated headers is cached the same way, so
a rerun with nothing changed builds nothing.
"""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
import streamlit as st

from core.clv import CustomerGroups, WhatIf
from core.clv.views import SHOWN_CUSTOMERS
from core.format import fmt_count
from ui.common import download_csv, download_excel, tr
from ui.state import lang, memo

TOP_SHOWN = 20
_ROW_HEIGHT = 36


def channel_label(groups: CustomerGroups) -> str:
    """The channel column's name: the customers table's channel, or the first order's."""
    return tr("clv.col_channel" if groups.channel_column == "channel" else "clv.col_first_channel")


def column_labels(groups: CustomerGroups, months: int) -> dict[str, str]:
    """The customer table's column names in the session's language."""
    return {
        "customer_id": tr("field.customer_id"),
        "segment": tr("clv.col_segment"),
        "channel": channel_label(groups),
        "purchases": tr("clv.col_purchases"),
        "total_spend": tr("clv.col_total_spend"),
        "p_alive": tr("clv.col_p_alive"),
        "expected_purchases": tr("clv.col_expected_purchases", months=months),
        "expected_spend": tr("clv.col_expected_spend"),
        "clv": tr("clv.col_clv"),
    }


def column_config(groups: CustomerGroups, months: int) -> dict:
    labels = column_labels(groups, months)
    return {
        "customer_id": st.column_config.TextColumn(labels["customer_id"]),
        "segment": st.column_config.TextColumn(labels["segment"]),
        "channel": st.column_config.TextColumn(labels["channel"]),
        "purchases": st.column_config.NumberColumn(
            labels["purchases"], format="%d", help=tr("clv.col_purchases_help")
        ),
        "total_spend": st.column_config.NumberColumn(labels["total_spend"], format="%.2f"),
        "p_alive": st.column_config.ProgressColumn(
            labels["p_alive"],
            format="percent",
            min_value=0.0,
            max_value=1.0,
            help=tr("clv.col_p_alive_help"),
        ),
        "expected_purchases": st.column_config.NumberColumn(
            labels["expected_purchases"],
            format="%.2f",
            help=tr("clv.col_expected_purchases_help"),
        ),
        "expected_spend": st.column_config.NumberColumn(
            labels["expected_spend"], format="%.2f", help=tr("clv.col_expected_spend_help")
        ),
        "clv": st.column_config.NumberColumn(
            labels["clv"], format="%.2f", help=tr("clv.col_clv_help")
        ),
    }


def top_customers(
    table: pd.DataFrame, whatif: WhatIf, groups: CustomerGroups, uncertain: bool
) -> None:
    """The most valuable customers (without the chance of being active when it cannot be told)."""
    columns = ["customer_id", "clv"] if uncertain else ["customer_id", "p_alive", "clv"]
    st.dataframe(
        table.head(TOP_SHOWN)[columns],
        hide_index=True,
        width="stretch",
        height=_ROW_HEIGHT * 11,
        column_config=column_config(groups, whatif.horizon_months),
    )


def all_customers(
    key: tuple[Hashable, ...], table: pd.DataFrame, whatif: WhatIf, groups: CustomerGroups
) -> None:
    """The first SHOWN_CUSTOMERS customers by CLV, and every customer in the downloads."""
    months = whatif.horizon_months
    st.caption(
        tr(
            "clv.table_caption",
            n=fmt_count(len(table)),
            shown=fmt_count(min(len(table), SHOWN_CUSTOMERS)),
        )
    )
    st.dataframe(
        table.head(SHOWN_CUSTOMERS),
        hide_index=True,
        width="stretch",
        column_config=column_config(groups, months),
    )
    labels = column_labels(groups, months)
    export = memo(
        "clv_export", (*key, whatif, lang()), lambda: table.rename(columns=labels), keep=1
    )
    d1, d2 = st.columns(2)
    with d1:
        download_csv(export, "clv.csv", tr("clv.download_csv", n=fmt_count(len(export))), "clv_csv")
    with d2:
        download_excel(
            export, "clv.xlsx", tr("clv.download_excel", n=fmt_count(len(export))), "clv_xlsx"
        )
