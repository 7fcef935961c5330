"""Retention page: the inputs every tab takes, the session's cached tables, and how readings are said."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.problems import Problem
from core.retention import (
    CohortActivity,
    Lifetimes,
    Period,
    Spells,
    acquisition_attributes,
    activity_spells,
    churn_threshold_days,
    cohort_activity,
    customer_lifetimes,
    has_subscription_columns,
    subscription_activity,
    subscription_lifetimes,
)
from ui.common import message_text, require_orders
from ui.state import LoadedTable, get_table, memo


@dataclass(frozen=True)
class RetentionData:
    """What every tab works from: the session's tables, the orders, and the acquisition attributes.

    subscription: the customers table says who churned (a churn flag or an end date);
    churn and survival then come from it. attributes: `acquisition_attributes`, the
    columns cohorts and survival curves can be split by.
    """

    transactions: LoadedTable | None
    customers: LoadedTable | None
    orders: pd.DataFrame | None
    subscription: bool
    attributes: pd.DataFrame

    @property
    def tx_key(self) -> str | None:
        return self.transactions.fingerprint if self.transactions else None

    @property
    def cu_key(self) -> str | None:
        return self.customers.fingerprint if self.customers else None

    @property
    def key(self) -> tuple[Hashable, ...]:
        return (self.tx_key, self.cu_key)

    @property
    def has_cohorts(self) -> bool:
        """Cohorts need a first order (transactions) or a signup date (customers)."""
        return self.transactions is not None or (
            self.customers is not None and "signup_date" in self.customers.table
        )


def retention_data() -> RetentionData:
    """The session's data for this page, or a message saying what to load (and a stop)."""
    customers = get_table("customers")
    subscription = has_subscription_columns(customers.table if customers else None)
    if get_table("transactions") is None and not subscription:
        require_orders()  # says what to load and stops
    transactions, orders = (
        require_orders() if get_table("transactions") is not None else (None, None)
    )
    attributes = memo(
        "ret_attributes",
        (
            transactions.fingerprint if transactions else None,
            customers.fingerprint if customers else None,
        ),
        lambda: acquisition_attributes(
            transactions.table if transactions else None, customers.table if customers else None
        ),
    )
    return RetentionData(transactions, customers, orders, subscription, attributes)


def activity_of(data: RetentionData, period: Period) -> CohortActivity | None:
    """Who was active in which period after acquisition (None without first orders or signups)."""
    if data.transactions is not None:
        return memo(
            "ret_activity", (data.tx_key, period), lambda: cohort_activity(data.orders, period)
        )
    if data.has_cohorts:
        table = data.customers.table
        return memo(
            "ret_sub_activity", (data.cu_key, period), lambda: subscription_activity(table, period)
        )
    return None


def threshold_of(data: RetentionData) -> tuple[int, int, Problem | None]:
    """The data's own inactivity threshold: days, gaps it was learned from, a note."""
    return memo("ret_threshold", (data.tx_key,), lambda: churn_threshold_days(data.orders))


def spells_of(data: RetentionData, churn_days: int) -> Spells:
    return memo(
        "ret_spells", (data.tx_key, churn_days), lambda: activity_spells(data.orders, churn_days)
    )


def lifetimes_of(data: RetentionData, churn_days: int | None) -> Lifetimes:
    """Each customer's lifetime: from the subscription table, or from purchase histories."""
    if data.subscription:
        table = data.customers.table
        return memo("ret_sub_lifetimes", (data.cu_key,), lambda: subscription_lifetimes(table))
    spells = spells_of(data, churn_days)
    return memo("ret_lifetimes", (data.tx_key, churn_days), lambda: customer_lifetimes(spells))


def show(reading: Problem | None) -> None:
    """A problem or note where the user looks: errors and warnings as warnings, the rest as info."""
    if reading is None:
        return
    if reading.severity == "info":
        st.info(message_text(reading), icon=":material/info:")
    else:
        st.warning(message_text(reading), icon=":material/warning:")
