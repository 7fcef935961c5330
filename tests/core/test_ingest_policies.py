"""Row policies: identical rows and zero amounts, per table kind, with their defaults and choices.

Rows that are people or answers are never merged by content; transaction lines only
when the file gives them an identity (an order ID). Zero amounts are purchases unless
the user sets them aside. Whatever the choice, read = kept + set aside, the chunked
and streamed builds equal the whole-file build, and the counts the Upload page shows
before loading (`policy_counts`) equal the report's.
"""

from __future__ import annotations

import io
import itertools
from pathlib import Path

import lifetimes
import numpy as np
import pandas as pd
import pytest

from core.ingest import (
    RowPolicy,
    build_table,
    default_policy,
    guess_mapping,
    ingest_file,
    policy_counts,
    policy_rules,
    read_raw,
)
from tests.core.test_ingest_chunks import check_all_ways

TODAY = pd.Timestamp("2024-06-30").date()
POLICIES = [RowPolicy(a, b) for a, b in itertools.product(("keep", "set_aside"), repeat=2)]
CDNOW = Path(lifetimes.__file__).parent / "datasets" / "CDNOW_master.txt"


def _identical_and_zero(frame: pd.DataFrame, amount: str | None = None) -> tuple[int, int]:
    """The two rule counts by plain pandas, to check the ingest's against."""
    identical = int(frame.duplicated(keep="first").sum())
    zero = int((pd.to_numeric(frame[amount]) == 0).sum()) if amount else 0
    return identical, zero


# ---------------------------------------------------------------------------------------------
# Defaults


@pytest.mark.parametrize(
    ("kind", "mapped", "identical"),
    [
        ("transactions", ("customer_id", "order_date", "amount"), "keep"),
        ("transactions", ("customer_id", "order_date", "amount", "order_id"), "set_aside"),
        ("campaign", ("group", "converted"), "keep"),
        ("campaign", ("customer_id", "group", "converted"), "keep"),
        ("feedback", ("text",), "keep"),
        ("feedback", ("customer_id", "text"), "keep"),
        ("customers", ("customer_id",), "set_aside"),
        ("customers", ("age",), "keep"),
    ],
)
def test_default_policy(kind, mapped, identical):
    mapping = dict.fromkeys(mapped, "x")
    assert default_policy(kind, mapping) == RowPolicy(identical, "keep")


def test_rules_the_user_can_change():
    assert policy_rules("transactions", {}) == ("identical_rows", "zero_amounts")
    assert policy_rules("campaign", {"group": "g"}) == ("identical_rows",)
    assert policy_rules("feedback", {"text": "t"}) == ("identical_rows",)
    # A repeated customer is set aside as "customer listed twice" whatever the rule says.
    assert policy_rules("customers", {"customer_id": "c"}) == ()


# ---------------------------------------------------------------------------------------------
# Known answers


@pytest.fixture(scope="module")
def cdnow_csv() -> bytes:
    """CDNOW master as a user would convert it: the whitespace-separated text to a CSV.

    lifetimes ships the file with a header: customer_id, date, number_of_cds, dollar_value.
    """
    frame = pd.read_csv(CDNOW, sep=r"\s+", dtype=str)
    assert list(frame.columns) == ["customer_id", "date", "number_of_cds", "dollar_value"]
    return frame.to_csv(index=False).encode()


def test_cdnow_keeps_every_line_and_customer_by_default(cdnow_csv):
    # 69,659 lines and 23,570 customers: the CDNOW master cohort (customers whose first
    # purchase was in Q1 1997) as Fader, Hardie & Lee (2005) describe it, and the line
    # count of lifetimes' CDNOW_master.txt (69,660 lines with the header).
    frame = pd.read_csv(io.BytesIO(cdnow_csv), dtype=str)
    assert len(frame) == 69_659 and frame["customer_id"].nunique() == 23_570
    identical, zero = _identical_and_zero(frame, "dollar_value")
    assert (identical, zero) == (255, 80)  # the counts the issue reports

    result = ingest_file(cdnow_csv, "cdnow.csv", "transactions", today=TODAY)
    report = result.report
    assert report.policy == RowPolicy("keep", "keep")
    assert (report.rows_read, report.rows_kept, report.set_aside) == (69_659, 69_659, {})
    assert result.table["customer_id"].nunique() == 23_570
    assert report.rule_counts == {"identical_rows": 255, "zero_amounts": 80}
    assert [(n.key, n.params) for n in report.notes] == [
        ("note.identical_lines_kept", {"count": 255}),
        ("note.zero_amounts_kept", {"count": 80}),
    ]
    raw = read_raw(cdnow_csv, "cdnow.csv")
    mapping = guess_mapping(raw.frame, "transactions").columns
    assert mapping["amount"] == "dollar_value" and mapping["order_date"] == "date"
    assert policy_counts(raw, "transactions", mapping) == report.rule_counts


def test_cdnow_with_both_rules_set_aside(cdnow_csv):
    frame = pd.read_csv(io.BytesIO(cdnow_csv), dtype=str)
    duplicate = frame.duplicated(keep="first")
    zero_not_duplicate = int(((pd.to_numeric(frame["dollar_value"]) == 0) & ~duplicate).sum())
    result = ingest_file(
        cdnow_csv,
        "cdnow.csv",
        "transactions",
        today=TODAY,
        policy=RowPolicy("set_aside", "set_aside"),
    )
    report = result.report
    assert report.set_aside == {"duplicate": 255, "zero_amount": zero_not_duplicate}
    assert report.rows_kept == 69_659 - 255 - zero_not_duplicate
    assert report.balanced
    assert report.rule_counts == {"identical_rows": 255, "zero_amounts": 80}


def _recipients(n_per_arm: int = 2000, seed: int = 3) -> pd.DataFrame:
    """A per-recipient A/B export: no ID, a few columns, so most rows repeat another."""
    rng = np.random.default_rng(seed)
    frames = []
    for arm, rate in (("control", 0.05), ("variant_a", 0.07), ("variant_b", 0.06)):
        converted = rng.random(n_per_arm) < rate
        frames.append(
            pd.DataFrame(
                {
                    "variant": arm,
                    "opened": (rng.random(n_per_arm) < 0.3).astype(int),
                    "converted": converted.astype(int),
                    "revenue": np.where(converted, rng.choice([20.0, 35.0, 50.0], n_per_arm), 0.0),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def test_per_recipient_campaign_counts_every_recipient():
    frame = _recipients()
    data = frame.to_csv(index=False).encode()
    identical, _ = _identical_and_zero(frame)
    assert identical > 0.99 * len(frame)  # nearly every row repeats another

    result = ingest_file(data, "ab.csv", "campaign", today=TODAY)
    report = result.report
    assert report.policy == RowPolicy("keep", "keep")
    assert (report.rows_read, report.rows_kept, report.set_aside) == (6000, 6000, {})
    assert result.table.groupby("group", observed=True).size().tolist() == [2000] * 3
    assert result.table["converted"].sum() == frame["converted"].sum()
    assert report.rule_counts == {"identical_rows": identical}
    assert ("note.identical_rows_kept", {"count": identical}) in [
        (n.key, n.params) for n in report.notes
    ]
    # The other choice, when the user asks for it: one row per distinct content.
    merged = ingest_file(data, "ab.csv", "campaign", today=TODAY, policy=RowPolicy("set_aside"))
    assert merged.report.set_aside == {"duplicate": identical}
    assert merged.report.rows_kept == len(frame.drop_duplicates())


def test_feedback_answers_are_never_merged_by_default(ingest):
    text = "rating,text\n5,Great\n5,Great\n1,Slow\n5,Great\n"
    result = ingest(text, "feedback")
    assert (result.report.rows_kept, result.report.set_aside) == (4, {})
    assert result.report.rule_counts == {"identical_rows": 2}


def test_customers_with_ids_set_identical_rows_aside(ingest):
    text = "customer_id,age\nC1,30\nC1,30\nC2,40\n"
    result = ingest(text, "customers")
    assert result.report.policy == RowPolicy("set_aside", "keep")
    assert result.report.set_aside == {"duplicate": 1}


ONLINE_RETAIL = (
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n"
    "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom\n"
    "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom\n"
    "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850.0,United Kingdom\n"
    "536414,22139,,56,12/1/2010 11:52,0,13256.0,United Kingdom\n"
    "C536379,D,Discount,-1,12/1/2010 9:41,27.50,14527.0,United Kingdom\n"
)


def test_online_retail_style_sets_identical_invoice_lines_aside(ingest):
    result = ingest(ONLINE_RETAIL)
    report = result.report
    assert report.policy == RowPolicy("set_aside", "keep")
    assert report.set_aside == {"duplicate": 1, "return_refund": 1}
    assert report.rows_kept == 4  # the zero-price line is kept as a purchase
    assert report.rule_counts == {"identical_rows": 1, "zero_amounts": 1}
    zero = ingest(ONLINE_RETAIL, policy=RowPolicy("set_aside", "set_aside")).report
    assert zero.set_aside == {"duplicate": 1, "return_refund": 1, "zero_amount": 1}
    keep_all = ingest(ONLINE_RETAIL, policy=RowPolicy("keep", "keep")).report
    assert keep_all.set_aside == {"return_refund": 1}
    assert ("note.identical_lines_kept", {"count": 1}) in [
        (n.key, n.params) for n in keep_all.notes
    ]


# ---------------------------------------------------------------------------------------------
# Every choice: exact accounting, chunked == whole, counts before loading == counts after


def _transactions(with_order_id: bool) -> bytes:
    rows = []
    for i in range(36):
        amount = "0.00" if i % 11 == 0 else f"{5 + i % 7}.50"
        rows.append(f"{i // 4 if with_order_id else ''},C{i % 9},2024-01-{1 + i % 28:02d},{amount}")
        if i % 5 == 0:
            rows.append(rows[-1])  # an identical line right after
        if i % 13 == 0:
            rows.append(f",,2024-01-{1 + i % 28:02d},{amount}")  # no customer: another reason
    header = "order_id,customer_id,order_date,amount\n"
    if not with_order_id:
        header = "note,customer_id,order_date,amount\n"
    return (header + "\n".join(rows) + "\n").encode()


def _campaign() -> bytes:
    return _recipients(12, seed=5).to_csv(index=False).encode()


CASES = [
    pytest.param(lambda: _transactions(True), "transactions", id="transactions-order-id"),
    pytest.param(lambda: _transactions(False), "transactions", id="transactions-no-id"),
    pytest.param(_campaign, "campaign", id="campaign"),
]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: f"{p.identical_rows}-{p.zero_amounts}")
@pytest.mark.parametrize(("make", "kind"), CASES)
def test_every_choice_accounts_for_every_row_in_chunks_too(make, kind, policy):
    data = make()
    one = check_all_ways(data, kind, block_bytes=200, today=TODAY, policy=policy)
    report = one.report
    assert report.balanced and report.policy == policy
    streamed = ingest_file(data, "x.csv", kind, block_bytes=200, today=TODAY, policy=policy)
    assert streamed.report.rule_counts == report.rule_counts
    raw = read_raw(data, "x.csv")
    mapping = guess_mapping(raw.frame, kind).columns
    chunked = build_table(raw, kind, mapping, chunk_rows=5, today=TODAY, policy=policy)
    assert chunked.report.rule_counts == report.rule_counts
    assert policy_counts(raw, kind, mapping) == report.rule_counts
    # What each choice sets aside, and nothing else changes with it.
    # Rows without a customer ID are set aside for that first: the rules do not count them.
    frame = raw.frame
    has_id = frame["customer_id"] != "" if kind == "transactions" else True
    identical = report.rule_counts["identical_rows"]
    assert identical == int((frame.duplicated() & has_id).sum())
    if policy.identical_rows == "keep":
        assert "duplicate" not in report.set_aside
    else:
        assert 0 < report.set_aside["duplicate"] <= identical
    if kind == "transactions":
        zero = int(((frame["amount"] == "0.00") & has_id).sum())
        assert report.rule_counts["zero_amounts"] == zero
        assert ("zero_amount" in report.set_aside) == (policy.zero_amounts == "set_aside")
    others = {k: v for k, v in report.set_aside.items() if k not in ("duplicate", "zero_amount")}
    baseline = ingest_file(data, "x.csv", kind, today=TODAY, policy=RowPolicy("keep", "keep"))
    assert others == baseline.report.set_aside
    # A different policy is a different table: caches must not mix them up.
    if policy != RowPolicy("keep", "keep"):
        assert one.fingerprint != baseline.fingerprint


def test_an_arm_called_none_is_a_group_not_a_blank(ingest):
    text = "treatment,converted\nNone,0\nE-mail,1\nNone,1\nSMS,0\n,1\n"
    result = ingest(text, "campaign")
    assert result.report.set_aside == {"missing_group": 1}  # only the blank one
    assert result.table["group"].tolist() == ["None", "E-mail", "None", "SMS"]
    rows = "wave,converted\n" + "None,0\nPromo,1\n" * 3
    assert ingest(rows, "campaign").report.rows_kept == 6  # "wave" found by its "None" arm
