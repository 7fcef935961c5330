"""Per-order and per-customer summaries: hand-made known answers and agreement with lifetimes."""

from __future__ import annotations

import pandas as pd
import pytest
from lifetimes.utils import summary_data_from_transaction_data

from core.summary import customer_summary, orders_table


@pytest.fixture
def lines() -> pd.DataFrame:
    # Customer A buys twice on Jan 1 (two orders) and once on Jan 5; B once; "007" on
    # Jan 2 and an order of two lines on Jan 10. Expected values are worked out by hand.
    return pd.DataFrame(
        {
            "customer_id": pd.Series(["A", "A", "A", "B", "007", "007", "007"], dtype="category"),
            "order_id": ["o1", "o2", "o3", "o4", "o5", "o7", "o7"],
            "order_date": pd.to_datetime(
                [
                    "2024-01-01 10:00",
                    "2024-01-01 15:00",
                    "2024-01-05",
                    "2024-01-03",
                    "2024-01-02",
                    "2024-01-10 09:00",
                    "2024-01-10 09:00",
                ],
                format="ISO8601",
            ),
            "amount": [10.0, 5.0, 20.0, 7.0, 3.0, 4.0, 6.0],
        }
    )


def test_customer_summary_known_answer(lines):
    summary = customer_summary(lines).sort_index()
    assert summary.index.tolist() == ["007", "A", "B"]
    assert summary["purchase_days"].tolist() == [2, 2, 1]
    assert summary["total_spend"].tolist() == [13.0, 35.0, 7.0]
    assert summary["mean_spend"].tolist() == [6.5, 17.5, 7.0]
    assert summary.loc["A", "first_purchase"] == pd.Timestamp("2024-01-01 10:00")
    assert summary.loc["A", "last_purchase"] == pd.Timestamp("2024-01-05")
    assert summary.loc["007", "last_purchase"] == pd.Timestamp("2024-01-10 09:00")


def test_customer_summary_same_with_text_ids_and_ignores_unused_categories(lines):
    as_text = customer_summary(
        lines.assign(customer_id=lines["customer_id"].astype(str))
    ).sort_index()
    with_unused = lines.assign(customer_id=lines["customer_id"].cat.add_categories(["ghost"]))
    pd.testing.assert_frame_equal(as_text, customer_summary(with_unused).sort_index())


def test_orders_table_groups_lines_by_order_id_or_by_customer_and_time(lines):
    by_id = orders_table(lines)
    assert len(by_id) == 6
    assert by_id.loc[by_id["customer_id"] == "007", "amount"].tolist() == [3.0, 10.0]
    by_time = orders_table(lines.drop(columns="order_id"))
    assert len(by_time) == 6  # o7's two lines share a timestamp
    assert by_time["amount"].sum() == pytest.approx(55.0)
    assert by_time["order_date"].is_monotonic_increasing


def test_missing_column_is_a_contract_error(lines):
    with pytest.raises(ValueError, match="Required column amount missing"):
        customer_summary(lines.drop(columns="amount"))


def test_frequency_and_recency_agree_with_lifetimes():
    # lifetimes' summary_data_from_transaction_data (Davidson-Pilon, v0.11.3) is the
    # reference: frequency = repeat purchase days, recency = first to last purchase day.
    rng = pd.Series(range(400))
    tx = pd.DataFrame(
        {
            "customer_id": (rng % 37).astype(str).radd("c"),
            "order_date": pd.Timestamp("2024-01-01")
            + pd.to_timedelta((rng * 7919) % 300, unit="D")
            + pd.to_timedelta(rng % 5, unit="h"),
            "amount": (rng % 13 + 1).astype(float),
        }
    )
    ours = customer_summary(tx).sort_index()
    end = tx["order_date"].max()
    reference = summary_data_from_transaction_data(
        tx, "customer_id", "order_date", observation_period_end=end
    ).sort_index()
    assert (ours["purchase_days"] - 1).tolist() == reference["frequency"].astype(int).tolist()
    recency_days = (
        ours["last_purchase"].dt.normalize() - ours["first_purchase"].dt.normalize()
    ).dt.days
    assert recency_days.tolist() == reference["recency"].astype(int).tolist()


def test_zero_amount_and_identical_lines_kept_by_ingest_count_as_purchases(ingest):
    # Kept by the default row policy (no order ID): C1's two identical lines on Jan 5 are
    # one purchase day worth 20; C2's free sample on Jan 9 is a purchase day worth 0.
    text = (
        "customer_id,order_date,amount\n"
        "C1,2024-01-05,10\nC1,2024-01-05,10\nC1,2024-01-08,5\n"
        "C2,2024-01-06,12\nC2,2024-01-09,0\n"
    )
    table = ingest(text).table
    summary = customer_summary(table).sort_index()
    assert summary["purchase_days"].tolist() == [2, 2]
    assert summary["total_spend"].tolist() == [25.0, 12.0]
    assert summary["last_purchase"].dt.strftime("%m-%d").tolist() == ["01-08", "01-09"]
    orders = orders_table(table)
    assert orders["amount"].tolist() == [20.0, 12.0, 5.0, 0.0]
