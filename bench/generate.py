"""Seeded generator of realistic transaction CSVs for the benchmarks.

One line per order line, sorted by order time (as shop exports are):
order_id, customer_id ("C0012345"), order_date ("YYYY-MM-DD HH:MM:SS", two years),
amount (2 decimals), quantity, product, channel. About rows/20 customers whose
purchase rates are gamma-distributed (a few heavy buyers, many one-off buyers),
each buying from a random "birth" time to the end of the window. About 1% of the
lines are dirty in the ways real exports are: missing customer ids, negative
amounts (returns) and unparseable dates.

Strings are built with pyarrow compute kernels and written with pyarrow's CSV
writer, so 10M rows take seconds rather than minutes; files are cached by name.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

START = np.datetime64("2024-11-01T00:00:00", "s")
END = np.datetime64("2026-11-01T00:00:00", "s")  # exclusive: two years of data
# Passed to ingest as "today", so no generated date counts as a future date
# whatever day the benchmark runs.
TODAY = date(2026, 11, 1)
SEED = 20261123
DIRTY_SHARE = 0.01  # ~1/3 each: missing id, negative amount, unparseable date

PRODUCTS = [
    f"{adj} {noun}"
    for adj in ("Classic", "Organic", "Deluxe", "Travel", "Mini", "Family", "Premium", "Eco")
    for noun in (
        "Espresso Beans 1kg",
        "Green Tea",
        "French Press",
        "Travel Mug",
        "Honey Roasted Nuts",
        "Dark Chocolate",
        "Gift Box",
        "Oat Milk",
        "Grinder",
        "Filter Papers",
        "Cold Brew Kit",
        "Kettle",
        "Teapot",
        "Biscuits",
        "Syrup",
    )
]
CHANNELS = ["web", "app", "store", "marketplace", "phone"]
CHANNEL_WEIGHTS = [0.45, 0.25, 0.18, 0.1, 0.02]
BAD_DATES = ["2025-13-45 10:00:00", "2026-02-30 12:30:00", "yesterday", "??", "0000-00-00 00:00:00"]


def csv_path(out_dir: Path, rows: int) -> Path:
    return out_dir / f"transactions_{rows}.csv"


def ensure_csv(out_dir: Path, rows: int) -> tuple[Path, bool]:
    """The cached CSV of `rows` lines, generated first if missing. Returns (path, generated)."""
    path = csv_path(out_dir, rows)
    if path.exists() and path.stat().st_size > 0:
        return path, False
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.tmp")
    pacsv.write_csv(
        make_table(rows),
        tmp,
        write_options=pacsv.WriteOptions(quoting_style="none", batch_size=1 << 16),
    )
    tmp.replace(path)
    return path, True


def make_table(rows: int, seed: int = SEED) -> pa.Table:
    rng = np.random.default_rng(seed)
    n_customers = max(rows // 20, 1)

    # Orders of 1-3 lines; each order has one customer and one timestamp.
    lines_per_order = rng.choice([1, 2, 3], size=rows, p=[0.7, 0.2, 0.1])
    order_of_line = np.repeat(np.arange(rows), lines_per_order)[:rows]
    n_orders = int(order_of_line[-1]) + 1

    # Each customer buys at their own rate (gamma: many light, a few heavy buyers)
    # from a random "birth" time to the end of the window, so their share of the
    # orders is rate x active time.
    span = int((END - START) / np.timedelta64(1, "s"))
    rate = rng.gamma(shape=0.6, scale=1.0, size=n_customers)
    birth = rng.integers(0, span, size=n_customers)
    weight = rate * (span - birth)
    customer_of_order = rng.choice(n_customers, size=n_orders, p=weight / weight.sum())
    # Uniform between the customer's birth and the end of the window.
    offset = birth[customer_of_order] + (
        rng.random(n_orders) * (span - birth[customer_of_order])
    ).astype(np.int64)
    # Shops sell in the daytime: keep the day, redraw the time of day 08:00-22:00.
    offset = offset // 86_400 * 86_400 + rng.integers(8 * 3600, 22 * 3600, size=n_orders)
    offset = np.minimum(offset, span - 1)
    order_sort = np.argsort(offset, kind="stable")
    rank = np.empty(n_orders, dtype=np.int64)
    rank[order_sort] = np.arange(n_orders)  # order numbers follow time, as in real exports

    order = rank[order_of_line]
    line_order = np.argsort(order, kind="stable")
    order = order[line_order]
    customer = customer_of_order[order_sort][order]
    seconds = offset[order_sort][order]

    quantity = rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6], size=rows)
    product = rng.integers(0, len(PRODUCTS), size=rows)
    unit_cents = (np.exp(rng.normal(2.9, 0.6, size=len(PRODUCTS))) * 100).astype(np.int64) + 99
    cents = unit_cents[product] * quantity
    channel = rng.choice(len(CHANNELS), size=rows, p=CHANNEL_WEIGHTS)

    # Dirty lines (~1%), one defect each.
    dirty = rng.random(rows) < DIRTY_SHARE
    defect = rng.integers(0, 3, size=rows)
    missing_id = dirty & (defect == 0)
    negative = dirty & (defect == 1)
    bad_date = dirty & (defect == 2)
    cents = np.where(negative, -cents, cents)

    order_id = pc.binary_join_element_wise("O", _padded(order + 1, 9), "")
    customer_id = pc.binary_join_element_wise("C", _padded(customer + 1, 7), "")
    customer_id = pc.if_else(pa.array(missing_id), "", customer_id)
    stamps = pa.array(START + seconds.astype("timedelta64[s]"), type=pa.timestamp("s"))
    order_date = pc.strftime(stamps, format="%Y-%m-%d %H:%M:%S")
    bad_idx = np.flatnonzero(bad_date)
    bad_text = pa.array(
        np.array(BAD_DATES, dtype=object)[rng.integers(0, len(BAD_DATES), size=len(bad_idx))],
        pa.string(),
    )
    order_date = pc.replace_with_mask(order_date, pa.array(bad_date), bad_text)
    amount = _money(cents)

    return pa.table(
        {
            "order_id": order_id,
            "customer_id": customer_id,
            "order_date": order_date,
            "amount": amount,
            "quantity": pa.array(quantity.astype(np.int64)),
            "product": pa.DictionaryArray.from_arrays(
                pa.array(product.astype(np.int32)), pa.array(PRODUCTS)
            ).cast(pa.string()),
            "channel": pa.DictionaryArray.from_arrays(
                pa.array(channel.astype(np.int32)), pa.array(CHANNELS)
            ).cast(pa.string()),
        }
    )


def _padded(numbers: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(
        pa.array(numbers.astype(np.int64)).cast(pa.string()), width=width, padding="0"
    )


def _money(cents: np.ndarray) -> pa.Array:
    """Cents as "12.34" / "-0.50": exact two decimals, no float formatting."""
    sign = pa.array(np.where(cents < 0, "-", ""), pa.string())
    whole = pa.array(np.abs(cents) // 100).cast(pa.string())
    frac = _padded(np.abs(cents) % 100, 2)
    return pc.binary_join_element_wise(sign, whole, ".", frac, "")
