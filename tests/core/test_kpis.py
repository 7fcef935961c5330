"""Overview KPIs and monthly activity: known answers on a hand-made orders table."""

from __future__ import annotations

import pandas as pd
import pytest

from core.kpis import headline_kpis, monthly_activity, period_ending


@pytest.fixture
def orders() -> pd.DataFrame:
    # Last order 2024-03-31. A 30-day period is (Mar 1 23:59:59.999, Mar 31 end]:
    # the period holds Mar 2..Mar 31, the previous one Jan 31..Mar 1.
    rows = [
        ("a", "2024-01-05", 100.0),  # before both windows
        ("a", "2024-02-10", 50.0),  # previous window
        ("b", "2024-02-20", 30.0),  # previous window
        ("a", "2024-03-05", 40.0),  # period
        ("c", "2024-03-10", 60.0),  # period, new customer
        ("c", "2024-03-31", 20.0),  # period (last day, inclusive)
        ("d", "2024-03-01", 10.0),  # previous window (Mar 1 is the previous window's last day)
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount"])
    frame["order_date"] = pd.to_datetime(frame["order_date"])
    return frame


def test_period_boundaries(orders):
    period = period_ending(orders, 30)
    assert period.first_day == pd.Timestamp("2024-03-02")
    assert period.end.normalize() == pd.Timestamp("2024-03-31")
    assert not period.previous_is_partial


def test_headline_kpis_known_answer(orders):
    kpis = {k.key: k for k in headline_kpis(orders, days=30)}
    # customers up to Mar 31: a, b, c, d = 4; up to Mar 1: a, b, d = 3
    assert (kpis["customers"].value, kpis["customers"].previous) == (4, 3)
    assert kpis["customers"].change == pytest.approx(1 / 3)
    # active in period: a, c = 2; in previous window: a, b, d = 3
    assert (kpis["active_customers"].value, kpis["active_customers"].previous) == (2, 3)
    assert (kpis["revenue"].value, kpis["revenue"].previous) == (120.0, 90.0)
    assert (kpis["orders"].value, kpis["orders"].previous) == (3, 3)
    assert kpis["average_order_value"].value == pytest.approx(40.0)
    assert kpis["average_order_value"].change == pytest.approx(40 / 30 - 1)
    # repeat: up to Mar 31, a (3 orders) and c (2) of 4; up to Mar 1, a (2) of 3
    assert kpis["repeat_rate"].value == pytest.approx(0.5)
    assert kpis["repeat_rate"].previous == pytest.approx(1 / 3)
    assert kpis["repeat_rate"].change == pytest.approx(0.5 - 1 / 3)  # in share points


def test_no_previous_data_gives_no_change(orders):
    recent = orders[orders["order_date"] >= "2024-03-05"]
    kpis = {k.key: k for k in headline_kpis(recent, days=30)}
    assert kpis["revenue"].change is None
    assert kpis["revenue"].previous is None
    assert period_ending(recent, 30).previous_is_partial


def test_empty_orders_give_no_kpis():
    empty = pd.DataFrame({"customer_id": [], "order_date": pd.to_datetime([]), "amount": []})
    assert headline_kpis(empty) == []
    assert monthly_activity(empty).empty


def test_monthly_activity_known_answer(orders):
    monthly = monthly_activity(orders)
    assert monthly["month"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03"]
    assert monthly["revenue"].tolist() == [100.0, 80.0, 130.0]
    assert monthly["orders"].tolist() == [1, 2, 4]
    assert monthly["active_customers"].tolist() == [1, 2, 3]
    assert monthly["new_customers"].tolist() == [1, 1, 2]
    # data starts on Jan 5 (partial) and ends on Mar 31 (complete)
    assert monthly["partial"].tolist() == [True, False, False]


def test_monthly_activity_fills_empty_months():
    orders = pd.DataFrame(
        {
            "customer_id": ["a", "a"],
            "order_date": pd.to_datetime(["2024-01-01", "2024-04-30"]),
            "amount": [1.0, 2.0],
        }
    )
    monthly = monthly_activity(orders)
    assert monthly["revenue"].tolist() == [1.0, 0.0, 0.0, 2.0]
