"""Per-order and per-customer summaries: the only place where work grows with transaction lines.

Everything downstream (KPIs, segmentation, CLV, retention) starts from these small
tables, which the app computes once per data set and caches.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def orders_table(transactions: pd.DataFrame) -> pd.DataFrame:
    """One row per order: customer_id, order_date (its first line's time), amount (sum of lines).

    An order is an `order_id` when the data has one; otherwise all lines a customer
    bought at the same timestamp form one order.

    Required columns: customer_id, order_date, amount. Optional: order_id.
    """
    require_columns(transactions, ("customer_id", "order_date", "amount"))
    keys = (
        ["customer_id", "order_id"] if "order_id" in transactions else ["customer_id", "order_date"]
    )
    frame = transactions[list(dict.fromkeys([*keys, "order_date", "amount"]))]
    if "order_id" in transactions:
        frame = frame.assign(order_id=frame["order_id"].fillna("").astype(str))
        grouped = frame.groupby(keys, sort=False, observed=True).agg(
            order_date=("order_date", "min"), amount=("amount", "sum")
        )
    else:
        grouped = frame.groupby(keys, sort=False, observed=True).agg(amount=("amount", "sum"))
    orders = grouped.reset_index()
    return (
        orders[["customer_id", "order_date", "amount"]]
        .sort_values("order_date", kind="stable")
        .reset_index(drop=True)
    )


def customer_summary(transactions: pd.DataFrame) -> pd.DataFrame:
    """Per customer: first and last purchase, purchase days, total and mean spend.

    Returns a DataFrame indexed by customer_id with columns
    first_purchase, last_purchase (timestamps), purchase_days (distinct calendar
    days with a purchase, the unit of "frequency" in BG/NBD: Fader, Hardie & Lee
    2005 count repeat purchase *days*), total_spend and mean_spend (total spend per
    purchase day).

    Required columns: customer_id, order_date, amount. Vectorised with integer
    codes, bincount, ufunc.at and one hashed (customer, day) key.
    """
    require_columns(transactions, ("customer_id", "order_date", "amount"))
    customer = transactions["customer_id"]
    if isinstance(customer.dtype, pd.CategoricalDtype):
        # Ingest stores transaction customer ids as categories: the codes are free.
        codes, ids = customer.cat.codes.to_numpy(np.int64), customer.cat.categories
    else:
        codes, ids = pd.factorize(customer, sort=False)
    valid = codes >= 0
    codes = codes[valid]
    n_customers = len(ids)
    stamps = transactions["order_date"].to_numpy("datetime64[ns]")[valid].view("int64")
    amounts = transactions["amount"].to_numpy(float)[valid]

    total = np.bincount(codes, weights=amounts, minlength=n_customers)
    first = np.full(n_customers, np.iinfo(np.int64).max)
    last = np.full(n_customers, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, stamps)
    np.maximum.at(last, codes, stamps)

    # Distinct (customer, calendar day) pairs through one hashed int64 key.
    days = stamps // (86_400 * 10**9)
    day0 = int(days.min()) if len(days) else 0
    span = int(days.max()) - day0 + 1 if len(days) else 1
    pair_keys = pd.unique(codes * span + (days - day0))
    purchase_days = np.bincount(pair_keys // span, minlength=n_customers)
    seen = purchase_days > 0

    summary = pd.DataFrame(
        {
            "first_purchase": first[seen].view("datetime64[ns]"),
            "last_purchase": last[seen].view("datetime64[ns]"),
            "purchase_days": purchase_days[seen].astype(np.int64),
            "total_spend": total[seen],
        },
        index=pd.Index(np.asarray(ids)[seen], name="customer_id", dtype="str"),
    )
    summary["mean_spend"] = summary["total_spend"] / summary["purchase_days"]
    return summary


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Raise ValueError("Required column X missing") when a caller breaks the data contract."""
    for column in columns:
        if column not in frame.columns:
            raise ValueError(f"Required column {column} missing")
