"""Campaign recipients joined to the shop's purchase history by customer ID: their RFM
segment and lifecycle stage before the send, and their spend in the days before it
(a CUPED covariate).

Both need a customer ID column in the campaign table and a transactions table; a
campaign table without IDs (rows are recipients) is fine for everything else, and
`history_link` says why these two features are unavailable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.campaign.readings import count
from core.ingest.coerce import trim_ids
from core.problems import Problem
from core.segmentation import SEGMENTS, STAGES

# Breakdown columns made from the transactions (after the campaign table's own segment, channel).
CUSTOMER_BREAKDOWNS = ("rfm_segment", "lifecycle_stage")
# The level of recipients with no purchase before the send (subscribers, new sign-ups).
NOT_A_CUSTOMER = "not_a_customer"
# The CUPED covariate computed from the transactions (a column name no ingest produces).
HISTORY_SPEND = "__spend_before_send"
DEFAULT_HISTORY_DAYS = 90

_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class HistoryLink:
    """What the campaign table and the transactions allow, and why not when they don't.

    segments: why a breakdown by RFM segment / lifecycle stage is unavailable (None: available).
    spend: why CUPED on spend before the campaign is unavailable (None: available).
    send_date: the first send date of the campaign (None without a send_date column).
    as_of: the day the segments are computed for: the day before the send, so that the
        campaign's own purchases do not decide a recipient's segment; without a send
        date, the last order's day (None when segments are unavailable).
    matched: recipients whose customer ID has an order in the transactions before the
        send day (any order without a send date).
    """

    segments: Problem | None
    spend: Problem | None
    send_date: pd.Timestamp | None = None
    as_of: pd.Timestamp | None = None
    matched: int = 0


def _ids(table: pd.DataFrame) -> pd.Series | None:
    """The campaign's customer IDs as stripped text (<NA> when blank), or None without any."""
    if "customer_id" not in table.columns:
        return None
    ids = trim_ids(table["customer_id"].astype("string"))  # ingest has cleaned them already
    return None if ids.isna().all() else ids


def send_date(table: pd.DataFrame) -> pd.Timestamp | None:
    """The campaign's first send date (its calendar day), or None without a filled send_date column."""
    # Dates are read once, by the ingest (core.ingest.coerce.parse_dates): never parsed here.
    if "send_date" not in table.columns or not pd.api.types.is_datetime64_any_dtype(
        table["send_date"]
    ):
        return None
    first = table["send_date"].min()
    return None if pd.isna(first) else pd.Timestamp(first).normalize()


def history_link(table: pd.DataFrame, orders: pd.DataFrame | None) -> HistoryLink:
    """Whether the recipients can be found in the purchase history, and why not.

    Parameters
    ----------
    table : the campaign table (one row per recipient; customer_id and send_date optional).
    orders : the orders table (`core.summary.orders_table`) of the session's
        transactions, or None when no transactions table is loaded.

    Problems (message keys, the same reason for both features, prefixed by the feature):
    "campaign.{segments,spend}_no_id" (no filled customer_id column),
    "campaign.{segments,spend}_no_transactions" (no transactions or no order in them),
    "campaign.{segments,spend}_no_match" (no recipient's ID has an order before the send),
    "campaign.spend_no_send_date" (spend before the campaign needs its send date).
    """
    ids = _ids(table)
    sent = send_date(table)
    reason = None
    matched = 0
    if ids is None:
        reason = "no_id"
    elif orders is None or orders.empty:
        reason = "no_transactions"
    else:
        before = orders if sent is None else orders[orders["order_date"] < sent]
        known = pd.Index(before["customer_id"].astype("string").unique())
        matched = int(ids.isin(known).sum())
        if matched == 0:
            reason = "no_match"
    if reason is not None:
        return HistoryLink(
            Problem(f"campaign.segments_{reason}"), Problem(f"campaign.spend_{reason}"), sent
        )
    spend = None if sent is not None else Problem("campaign.spend_no_send_date")
    as_of = sent - _DAY if sent is not None else orders["order_date"].max().normalize()
    return HistoryLink(None, spend, sent, as_of, matched)


def level_key(column: str, level: str) -> str | None:
    """The message key naming a breakdown level made here (None: the table's own text, shown as is)."""
    if level == NOT_A_CUSTOMER and column in CUSTOMER_BREAKDOWNS:
        return "campaign.not_a_customer"
    if column == "rfm_segment" and level in SEGMENTS:
        return f"segment.{level}"
    if column == "lifecycle_stage" and level in STAGES:
        return f"stage.{level}"
    return None


def attribute_key(column: str) -> str:
    """The message key naming a breakdown attribute ("field.segment", "campaign.by_rfm_segment")."""
    return f"campaign.by_{column}" if column in CUSTOMER_BREAKDOWNS else f"field.{column}"


def history_note(link: HistoryLink, recipients: int, days: int | None = None) -> Problem:
    """What the page says about the purchase history: under "For whom" (`days` None) or
    under CUPED on spend before the send (`days`): why it is unavailable, or the day it
    was taken on and how many of the `recipients` were found in the transactions.
    """
    problem = link.segments if days is None else link.spend
    if problem is not None:
        return problem
    found = {"matched": count(link.matched), "total": count(recipients)}
    if days is not None:
        return Problem(
            "campaign.cuped_history", {"days": days, "date": link.send_date.date(), **found}
        )
    key = (
        "campaign.segments_as_of" if link.send_date is not None else "campaign.segments_as_of_last"
    )
    return Problem(key, {"date": link.as_of.date(), **found})


def recipient_segments(
    customer_id: pd.Series, rfm: pd.DataFrame, stages: pd.Series
) -> pd.DataFrame:
    """Each recipient's RFM segment and lifecycle stage (row-aligned with `customer_id`).

    `core.segmentation` computes both as of a given day (orders after it are
    ignored); `history_link` picks the day before the send. The lifecycle thresholds
    (days of silence that make a customer "at risk" or "churned") are the
    Segmentation page's, learned from the gaps of the whole history: a property of
    the shop's customers, not of any one recipient's purchases.

    Parameters
    ----------
    customer_id : the campaign's customer IDs (text; blank allowed).
    rfm : `core.segmentation.rfm_table(orders, as_of).table` (indexed by customer_id,
        column rfm_segment).
    stages : `core.segmentation.lifecycle_stages(orders, thresholds, as_of)`.

    Returns columns rfm_segment (categories SEGMENTS + NOT_A_CUSTOMER) and
    lifecycle_stage (STAGES + NOT_A_CUSTOMER): recipients with no order up to the
    as-of date, and blank IDs, are NOT_A_CUSTOMER.
    """
    ids = customer_id.astype("string").str.strip()
    columns = {}
    for name, source, levels in (
        ("rfm_segment", rfm.get("rfm_segment"), SEGMENTS),
        ("lifecycle_stage", stages, STAGES),
    ):
        dtype = pd.CategoricalDtype([*levels, NOT_A_CUSTOMER])
        lookup = (
            pd.Series(dtype=object)
            if source is None or source.empty
            else pd.Series(source.astype(str).to_numpy(), index=source.index.astype(str))
        )
        values = ids.map(lookup).astype(object)
        values = values.where(pd.notna(values), NOT_A_CUSTOMER)
        columns[name] = pd.Categorical(values.to_numpy(), dtype=dtype)
    return pd.DataFrame(columns, index=customer_id.index)


def spend_before(
    customer_id: pd.Series, orders: pd.DataFrame, sent: pd.Timestamp, days: int
) -> pd.Series:
    """Each recipient's total order amount in the `days` calendar days before the send.

    The window is send_date - days <= order day < send_date: orders on the send day
    itself are left out (the campaign may already have caused them). Recipients with
    no order in the window, and blank IDs, spend 0. Row-aligned with `customer_id`.
    The demo's `pre_period_spend` is this sum for 90 days (sample_data/generate.py).
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    start, end = sent.normalize() - pd.Timedelta(days=days), sent.normalize()
    day = orders["order_date"].dt.normalize()
    window = orders[(day >= start) & (day < end)]
    totals = window.groupby(window["customer_id"].astype(str), observed=True)["amount"].sum()
    ids = customer_id.astype("string").str.strip()
    spend = ids.map(totals).astype("float64").fillna(0.0)
    return pd.Series(spend.to_numpy(np.float64), index=customer_id.index, name=HISTORY_SPEND)


def recipient_history(
    table: pd.DataFrame,
    link: HistoryLink,
    orders: pd.DataFrame,
    rfm: pd.DataFrame | None,
    stages: pd.Series | None,
    days: int | None,
) -> pd.DataFrame:
    """The columns the purchase history adds to the campaign table (row-aligned with it).

    rfm_segment and lifecycle_stage when segments are available and `rfm`/`stages`
    are given (computed as of `link.as_of`); HISTORY_SPEND (spend in the `days` days
    before the send) when `days` is given and the link allows it. Empty (no columns)
    when nothing is available.
    """
    out = pd.DataFrame(index=table.index)
    ids = _ids(table)
    if ids is None:
        return out
    if link.segments is None and rfm is not None and stages is not None:
        out = out.join(recipient_segments(ids, rfm, stages))
    if days is not None and link.spend is None and link.send_date is not None:
        out[HISTORY_SPEND] = spend_before(ids, orders, link.send_date, days)
    return out
