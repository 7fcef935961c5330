"""core.campaign.customers: recipients joined to the purchase history by customer ID.

Small cases are worked by hand (the window boundaries, the join, the as-of day); the
demo check uses sample_data/generate.py, where `pre_period_spend` is each recipient's
order total in the 90 days before the 2026-03-02 send.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.campaign.abtest import breakdown_columns, compare, lift_by, narrowing
from core.campaign.customers import (
    HISTORY_SPEND,
    NOT_A_CUSTOMER,
    attribute_key,
    history_link,
    history_note,
    level_key,
    recipient_history,
    recipient_segments,
    send_date,
    spend_before,
)
from core.campaign.outcomes import campaign_from_table
from core.ingest import ingest_file
from core.segmentation import (
    LifecycleThresholds,
    lifecycle_stages,
    lifecycle_thresholds,
    rfm_table,
)
from core.summary import orders_table

ROOT = Path(__file__).resolve().parents[2]
SEND = pd.Timestamp("2024-03-10")


def _orders(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "order_date": pd.to_datetime([r[1] for r in rows], format="ISO8601"),
            "amount": [r[2] for r in rows],
        }
    )


# --- spend before the send ----------------------------------------------------------------


WINDOW_ORDERS = _orders(
    [
        ("A", "2024-03-02 12:00", 100.0),  # 8 days before: outside a 7-day window
        ("A", "2024-03-03 00:00", 10.0),  # first day of the window
        ("A", "2024-03-09 23:59", 5.0),  # last day before the send
        ("A", "2024-03-10 00:00", 1000.0),  # the send day itself: left out
        ("B", "2024-03-10 09:00", 50.0),  # only on the send day
        ("B", "2024-03-12", 70.0),  # after the send
        ("C", "2024-03-05", 0.0),  # a purchase of 0
    ]
)


def test_spend_window_excludes_the_send_day_and_counts_the_first_day():
    ids = pd.Series(["A", "B", "C", "D", None, " A "])
    spend = spend_before(ids, WINDOW_ORDERS, SEND, days=7)
    # By hand: A = 10 + 5 (03-03 .. 03-09); B bought only on/after the send day; C spent 0;
    # D has no order; a blank ID is nobody; " A " is A once trimmed.
    assert spend.tolist() == [15.0, 0.0, 0.0, 0.0, 0.0, 15.0]
    assert spend.name == HISTORY_SPEND
    assert spend.index.equals(ids.index)


@pytest.mark.parametrize(
    "days, expected_a",
    [(1, 5.0), (7, 15.0), (8, 115.0), (365, 115.0)],
    ids=["only-the-day-before", "week", "eight-days-reaches-03-02", "year"],
)
def test_spend_window_length(days, expected_a):
    spend = spend_before(pd.Series(["A"]), WINDOW_ORDERS, SEND, days)
    assert spend.iloc[0] == expected_a


def test_spend_window_needs_a_day():
    with pytest.raises(ValueError, match="days must be at least 1"):
        spend_before(pd.Series(["A"]), WINDOW_ORDERS, SEND, 0)


# --- segments -------------------------------------------------------------------------------


def test_segments_join_by_id_and_unknown_recipients_are_not_customers_yet():
    rfm = pd.DataFrame(
        {"rfm_segment": pd.Categorical(["champions", "lost"])},
        index=pd.Index(["A", "B"], name="customer_id"),
    )
    stages = pd.Series(["active", "churned"], index=pd.Index(["A", "B"], name="customer_id"))
    ids = pd.Series(["B", "A", "Z", None, " A"], index=[10, 11, 12, 13, 14])
    joined = recipient_segments(ids, rfm, stages)
    assert joined.index.tolist() == [10, 11, 12, 13, 14]
    assert joined["rfm_segment"].astype(str).tolist() == [
        "lost",
        "champions",
        NOT_A_CUSTOMER,
        NOT_A_CUSTOMER,
        "champions",
    ]
    assert joined["lifecycle_stage"].astype(str).tolist() == [
        "churned",
        "active",
        NOT_A_CUSTOMER,
        NOT_A_CUSTOMER,
        "active",
    ]
    # The level of non-customers comes last, after the segments in their usual order.
    assert joined["rfm_segment"].cat.categories[-1] == NOT_A_CUSTOMER
    assert joined["lifecycle_stage"].cat.categories[-1] == NOT_A_CUSTOMER


def test_segments_are_those_of_the_day_before_the_send():
    # X first buys on the send day (the campaign's purchase): not a customer yet.
    # Y bought twice before; Y's purchase after the send does not count.
    orders = _orders(
        [
            ("Y", "2024-01-05", 20.0),
            ("Y", "2024-03-01", 30.0),
            ("X", "2024-03-10", 40.0),
            ("Y", "2024-03-11", 500.0),
        ]
    )
    table = pd.DataFrame(
        {
            "customer_id": ["X", "Y", "S1"],
            "group": ["control", "variant", "variant"],
            "send_date": pd.to_datetime(["2024-03-10"] * 3),
        }
    )
    link = history_link(table, orders)
    assert link.segments is None and link.spend is None
    assert link.send_date == SEND and link.as_of == pd.Timestamp("2024-03-09")
    assert link.matched == 1  # X's only order is on the send day
    rfm = rfm_table(orders, link.as_of).table
    assert rfm.index.tolist() == ["Y"] and rfm.loc["Y", "frequency"] == 2
    thresholds = LifecycleThresholds(30, 90)
    stages = lifecycle_stages(orders, thresholds, link.as_of)
    history = recipient_history(table, link, orders, rfm, stages, days=90)
    assert history["rfm_segment"].astype(str).tolist() == [
        NOT_A_CUSTOMER,
        str(rfm.loc["Y", "rfm_segment"]),
        NOT_A_CUSTOMER,
    ]
    # Y: last purchase 8 days before the as-of day, first 64 days before: active (A = 30).
    assert history["lifecycle_stage"].astype(str).tolist() == [
        NOT_A_CUSTOMER,
        "active",
        NOT_A_CUSTOMER,
    ]
    # Spend in the 90 days before 2024-03-10: Y 20 + 30; X's send-day order left out.
    assert history[HISTORY_SPEND].tolist() == [0.0, 50.0, 0.0]


def test_without_a_send_date_segments_use_the_last_order_day_and_spend_is_unavailable():
    orders = _orders([("A", "2024-01-01", 5.0), ("A", "2024-02-01", 5.0)])
    table = pd.DataFrame({"customer_id": ["A", "B"], "group": ["control", "v"]})
    link = history_link(table, orders)
    assert link.segments is None
    assert link.spend.key == "campaign.spend_no_send_date"
    assert link.send_date is None and link.as_of == pd.Timestamp("2024-02-01")
    history = recipient_history(table, link, orders, None, None, days=90)
    assert HISTORY_SPEND not in history.columns


@pytest.mark.parametrize(
    "table, orders, reason",
    [
        (pd.DataFrame({"group": ["a", "b"]}), WINDOW_ORDERS, "no_id"),
        (pd.DataFrame({"customer_id": ["", None], "group": ["a", "b"]}), WINDOW_ORDERS, "no_id"),
        (pd.DataFrame({"customer_id": ["A", "B"], "group": ["a", "b"]}), None, "no_transactions"),
        (
            pd.DataFrame({"customer_id": ["A", "B"], "group": ["a", "b"]}),
            WINDOW_ORDERS.iloc[:0],
            "no_transactions",
        ),
        (pd.DataFrame({"customer_id": ["Q", "R"], "group": ["a", "b"]}), WINDOW_ORDERS, "no_match"),
    ],
    ids=["no-id-column", "blank-ids", "no-transactions", "no-orders", "no-id-found"],
)
def test_why_the_history_is_unavailable(table, orders, reason):
    link = history_link(table, orders)
    assert link.segments.key == f"campaign.segments_{reason}"
    assert link.spend.key == f"campaign.spend_{reason}"
    assert recipient_history(table, link, WINDOW_ORDERS, None, None, days=90).columns.empty


def test_send_date_is_the_first_send_day():
    table = pd.DataFrame(
        {"send_date": pd.to_datetime(["2024-03-11 08:00", "2024-03-10 17:30", None])}
    )
    assert send_date(table) == SEND
    assert send_date(table.assign(send_date=pd.NaT)) is None


# --- the demo ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> tuple[pd.DataFrame, pd.DataFrame]:
    def load(kind):
        return ingest_file((ROOT / "sample_data" / f"{kind}.csv").read_bytes(), f"{kind}.csv", kind)

    return load("campaign").table, orders_table(load("transactions").table)


def test_demo_spend_before_the_send_is_the_demo_pre_period_spend(demo):
    campaign, orders = demo
    link = history_link(campaign, orders)
    assert link.send_date == pd.Timestamp("2026-03-02")
    assert link.matched == 4533  # customers who ordered before the send; the rest are subscribers
    spend = spend_before(campaign["customer_id"], orders, link.send_date, 90)
    np.testing.assert_allclose(spend.to_numpy(), campaign["pre_period_spend"].to_numpy(), atol=1e-9)


def test_demo_breakdowns_and_cuped_from_history(demo):
    campaign, orders = demo
    link = history_link(campaign, orders)
    rfm = rfm_table(orders, link.as_of).table
    found = lifecycle_thresholds(orders)
    stages = lifecycle_stages(orders, found, link.as_of)
    history = recipient_history(campaign, link, orders, rfm, stages, days=90)
    data = campaign_from_table(campaign, "converted", "revenue", HISTORY_SPEND, history)
    assert breakdown_columns(data) == ["segment", "rfm_segment", "lifecycle_stage"]
    # Subscribers (segment "subscriber") never bought: exactly the non-customers.
    stage = history["lifecycle_stage"].astype(str)
    assert ((stage == NOT_A_CUSTOMER) == (campaign["segment"] == "subscriber")).all()
    # "lapsed" = no order in the 90 days before the send: never active or new on the day before.
    lapsed = stage[campaign["segment"] == "lapsed"]
    assert set(lapsed) <= {"at_risk", "churned"}
    by = lift_by(data, "control", "rfm_segment", "conversion")
    assert NOT_A_CUSTOMER in set(by["level"])
    assert (
        by.loc[by["level"] == NOT_A_CUSTOMER, "n_control"].iloc[0]
        == ((stage == NOT_A_CUSTOMER) & (campaign["group"] == "control")).sum()
    )
    # The same covariate as the demo's pre_period_spend, so the same 13.0% (README).
    assert round(data.cuped_reduction["revenue"], 3) == 0.130
    side = narrowing(
        compare(data, "control", "revenue"), compare(data, "control", "revenue", "cuped")
    )
    assert (side["narrower"] > 0.05).all()


def test_what_the_page_says_about_the_history():
    orders = _orders([("A", "2024-03-01", 5.0)])
    table = pd.DataFrame(
        {"customer_id": ["A", "B"], "group": ["c", "v"], "send_date": pd.to_datetime([SEND] * 2)}
    )
    link = history_link(table, orders)
    note = history_note(link, recipients=2000)
    assert note.key == "campaign.segments_as_of"
    assert note.params == {
        "date": pd.Timestamp("2024-03-09").date(),
        "matched": "1",
        "total": "2,000",
    }
    note = history_note(link, recipients=2000, days=30)
    assert note.key == "campaign.cuped_history"
    assert note.params["days"] == 30 and note.params["date"] == SEND.date()
    no_date = history_link(table.drop(columns="send_date"), orders)
    assert history_note(no_date, 2).key == "campaign.segments_as_of_last"
    assert history_note(no_date, 2, days=90).key == "campaign.spend_no_send_date"
    no_id = history_link(table.drop(columns="customer_id"), orders)
    assert history_note(no_id, 2).key == "campaign.segments_no_id"


def test_level_and_attribute_names():
    assert level_key("rfm_segment", "champions") == "segment.champions"
    assert level_key("lifecycle_stage", "at_risk") == "stage.at_risk"
    assert level_key("lifecycle_stage", NOT_A_CUSTOMER) == "campaign.not_a_customer"
    assert level_key("segment", "lapsed") is None  # the table's own text
    assert level_key("lifecycle_stage", "VIP") is None  # a column of the user's own, not ours
    assert attribute_key("rfm_segment") == "campaign.by_rfm_segment"
    assert attribute_key("channel") == "field.channel"
