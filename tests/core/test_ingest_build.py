"""core.ingest.build: every row kept or set aside with exactly one reason, notes, samples, returns.

All builds run with today = 2024-06-30 (conftest.TODAY), so "future" is stable.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.i18n import EN, ZH
from core.ingest import REASONS, RowPolicy, build_table, read_raw

TX = "customer_id,order_date,amount\n"
GOOD = "C1,2024-01-05,10\nC2,2024-02-06,20\n"


def _notes(result) -> list[tuple[str, dict]]:
    return [(note.key, note.params) for note in result.report.notes]


# ---------------------------------------------------------------------------------------------
# Each reason, with exact counts

REASON_CASES = [
    pytest.param(
        "transactions",
        TX + GOOD + "C3,2024-01-01\nC4,2024-01-01,4,extra\n",
        {"ragged_row": 2},
        2,
        id="ragged_row",
    ),
    pytest.param("transactions", TX + GOOD + ",,\n  , ,\n", {"empty_row": 2}, 2, id="empty_row"),
    pytest.param(
        "transactions",
        TX + GOOD + ",2024-01-01,5\nNA,2024-01-01,6\n  ,2024-01-01,7\n",
        {"missing_customer_id": 3},
        2,
        id="missing_customer_id",
    ),
    pytest.param(
        "transactions", TX + GOOD + "C3,,5\nC4,n/a,6\n", {"missing_date": 2}, 2, id="missing_date"
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C3,yesterday,5\nC4,2024-02-30,6\nC5,31/04/2024,7\n",
        {"unparseable_date": 3},
        2,
        id="unparseable_date",
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C3,2024-01-01,\nC4,2024-01-01,-\n",
        {"missing_amount": 2},
        2,
        id="missing_amount",
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C3,2024-01-01,ten\nC4,2024-01-01,12 apples\n",
        {"unparseable_amount": 2},
        2,
        id="unparseable_amount",
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C3,2024-07-01,5\nC4,2030-01-01,6\n",
        {"future_date": 2},
        2,
        id="future_date",
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C1,2024-01-05,10\nC1,2024-01-05,10\n",
        {"duplicate": 2},
        2,
        id="duplicate",
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C3,2024-01-01,-5\nC4,2024-01-01,(7.50)\n",
        {"return_refund": 2},
        2,
        id="return_refund",
    ),
    pytest.param(
        "transactions",
        TX + GOOD + "C3,2024-01-01,0\nC4,2024-01-01,$0.00\n",
        {"zero_amount": 2},
        2,
        id="zero_amount",
    ),
    pytest.param(
        "customers",
        "customer_id,signup_date\nC1,2024-01-01\nC2,2024-01-02\nC1,2024-03-03\nC2,2024-04-04\n",
        {"duplicate_customer": 2},
        2,
        id="duplicate_customer",
    ),
    pytest.param(
        "feedback",
        "customer_id,rating,text\nC1,5,great\nC2,,\nC3,,NA\nC4,4,\n",
        {"no_text_or_score": 2},
        2,
        id="no_text_or_score",
    ),
    pytest.param(
        "campaign",
        "customer_id,group,converted\nC1,control,1\nC2,variant,0\nC3,,1\nC4,NA,0\n",
        {"missing_group": 2},
        2,
        id="missing_group",
    ),
]
# Identical rows and zero amounts are set aside only when the row policy says so (the
# defaults are tested in test_ingest_policies.py); here every rule that can set aside does.
SET_ALL_ASIDE = RowPolicy(identical_rows="set_aside", zero_amounts="set_aside")


@pytest.mark.parametrize(("kind", "text", "set_aside", "kept"), REASON_CASES)
def test_each_reason_with_exact_counts(ingest, kind, text, set_aside, kept):
    result = ingest(text, kind, policy=SET_ALL_ASIDE)
    assert result.problem is None
    report = result.report
    assert report.set_aside == set_aside
    assert report.rows_kept == kept == len(result.table)
    assert report.rows_read == kept + sum(set_aside.values())
    assert report.balanced


def test_every_reason_is_covered_and_has_messages():
    covered = {case.id for case in REASON_CASES}
    assert covered == set(REASONS)
    for reason in REASONS:
        assert f"reason.{reason}" in EN and f"reason.{reason}" in ZH


# ---------------------------------------------------------------------------------------------
# Precedence: one reason per row, the first that applies in REASONS order


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        pytest.param(",bad-date,10", "missing_customer_id", id="missing-id-and-bad-date"),
        pytest.param(",,", "empty_row", id="empty-row-has-no-id-either"),
        pytest.param("C9,bad-date,ten", "unparseable_date", id="bad-date-and-bad-amount"),
        pytest.param("C9,,ten", "missing_date", id="missing-date-and-bad-amount"),
        pytest.param("C9,2024-01-01,ten", "unparseable_amount", id="bad-amount-only"),
        pytest.param("C9,2030-01-01,-5", "future_date", id="future-and-negative"),
        pytest.param("C9,2030-01-01,0", "future_date", id="future-and-zero"),
        pytest.param(",2030-01-01,-5", "missing_customer_id", id="missing-id-future-negative"),
    ],
)
def test_precedence(ingest, row, reason):
    result = ingest(TX + GOOD + row + "\n")
    assert result.report.set_aside == {reason: 1}
    assert result.report.rows_kept == 2


def test_a_duplicated_return_counts_once_as_return_and_once_as_duplicate(ingest):
    result = ingest(TX + GOOD + "C3,2024-01-01,-5\nC3,2024-01-01,-5\n", policy=SET_ALL_ASIDE)
    assert result.report.set_aside == {"duplicate": 1, "return_refund": 1}
    assert result.report.samples["return_refund"]["row"].tolist() == [4]
    assert result.report.samples["duplicate"]["row"].tolist() == [5]
    # Only the first copy is a return: the second is a duplicate and is not counted twice.
    assert (result.report.returns_rows, result.report.returns_value) == (1, 5.0)


def test_rows_differing_in_any_cell_are_not_duplicates(ingest):
    result = ingest(
        TX + "C1,2024-01-05,10\nC1,2024-01-05,10.0\nC1,2024-01-06,10\nc1,2024-01-05,10\n"
    )
    assert result.report.set_aside == {}
    assert result.report.rows_kept == 4


# ---------------------------------------------------------------------------------------------
# Returns and refunds


def test_returns_by_negative_amount_and_negative_quantity(ingest):
    text = "customer_id,order_date,quantity,amount\nC1,2024-01-05,2,10\nC2,2024-01-06,-1,12.50\nC3,2024-01-07,1,-8\nC4,2024-01-08,(1),(3)\n"
    report = ingest(text).report
    assert report.set_aside == {"return_refund": 3}
    assert report.samples["return_refund"]["customer_id"].tolist() == ["C2", "C3", "C4"]
    # Value of returns = sum of |amount|: 12.50 + 8 + 3.
    assert (report.returns_rows, report.returns_value) == (3, 23.5)


def test_uci_cancellation_invoices_are_returns(ingest):
    # UCI Online Retail: an InvoiceNo starting with "C" is a cancellation (data set description).
    text = (
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom\n"
        "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850.0,United Kingdom\n"
        "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047.0,United Kingdom\n"
        "C536379,D,Discount,1,12/1/2010 9:41,27.50,14527.0,United Kingdom\n"
        "C536383,35004C,SET OF 3 COLOURED  FLYING DUCKS,-1,12/13/2010 9:49,4.65,15311.0,United Kingdom\n"
    )
    result = ingest(text)
    report = result.report
    assert report.set_aside == {"return_refund": 2}
    assert report.samples["return_refund"]["InvoiceNo"].tolist() == ["C536379", "C536383"]
    # amount = quantity x unit price: 1 x 27.50 and -1 x 4.65.
    assert report.returns_value == pytest.approx(27.5 + 4.65)
    table = result.table
    assert table["customer_id"].tolist() == [
        "17850",
        "17850",
        "13047",
    ]  # "17850.0": every id was float-like
    assert table["amount"].tolist() == pytest.approx([6 * 2.55, 6 * 1.85, 32 * 1.69])
    assert table["product"].tolist() == [
        "WHITE HANGING HEART T-LIGHT HOLDER",
        "HAND WARMER UNION JACK",
        "ASSORTED COLOUR BIRD ORNAMENT",
    ]
    assert table["region"].tolist() == ["United Kingdom"] * 3
    # Month-first: 12/13/2010 in the column decides it.
    assert table["order_date"].tolist() == [
        pd.Timestamp("2010-12-01 08:26"),
        pd.Timestamp("2010-12-01 08:28"),
        pd.Timestamp("2010-12-01 08:34"),
    ]
    assert ("note.amount_from_price", {"price": "UnitPrice", "quantity": "Quantity"}) in _notes(
        result
    )


def test_c_prefix_is_not_a_return_where_order_ids_are_codes(ingest):
    text = "order_id,customer_id,order_date,amount\nC100,A1,2024-01-05,10\nC101,A2,2024-01-06,12\nC102,A3,2024-01-07,8\n"
    assert ingest(text).report.set_aside == {}


@pytest.mark.parametrize(
    ("status", "is_return"),
    [
        ("Cancelled", True),
        ("canceled", True),
        ("Refunded", True),
        ("Returned", True),
        ("已退款", True),
        ("退货", True),
        ("交易取消", True),
        ("Completed", False),
        ("已完成", False),
        ("", False),
    ],
)
def test_status_marks_returns(ingest, status, is_return):
    text = f"customer_id,order_date,amount,status\nC1,2024-01-05,10,Completed\nC2,2024-01-06,12,{status}\n"
    report = ingest(text).report
    assert report.set_aside == ({"return_refund": 1} if is_return else {})
    assert report.returns_value == (12.0 if is_return else 0.0)


# ---------------------------------------------------------------------------------------------
# Future dates, relative to `today`


@pytest.mark.parametrize(
    ("cell", "today", "future"),
    [
        pytest.param("2024-06-30", date(2024, 6, 30), False, id="today"),
        pytest.param("2024-06-30 23:59:59", date(2024, 6, 30), False, id="late-today"),
        pytest.param("2024-07-01", date(2024, 6, 30), True, id="tomorrow"),
        pytest.param("2024-07-01 00:00:01", date(2024, 6, 30), True, id="just-after-midnight"),
        pytest.param("2024-07-01", date(2024, 7, 1), False, id="today-moved"),
    ],
)
def test_future_date_is_relative_to_today(ingest, cell, today, future):
    report = ingest(TX + GOOD + f"C3,{cell},5\n", today=today).report
    assert report.set_aside == ({"future_date": 1} if future else {})


# ---------------------------------------------------------------------------------------------
# Feedback and campaign rules


def test_feedback_needs_text_or_a_score_and_out_of_range_ratings_are_blanked(ingest):
    text = "customer_id,rating,nps,text\nC1,5,,\nC2,,9,\nC3,,,Great service\nC4,7,,\nC5,0,,Too slow\nC6,abc,,Fine\n,4,,\n"
    result = ingest(text, "feedback")
    report = result.report
    # C4: rating 7 is outside 1-5, so it is blanked, and then the row has no score and no text.
    assert report.set_aside == {"no_text_or_score": 1}
    assert report.samples["no_text_or_score"]["customer_id"].tolist() == ["C4"]
    assert _notes(result) == [
        ("note.out_of_range", {"column": "rating", "count": 2, "low": 1, "high": 5}),  # 7 and 0
        ("note.values_blanked", {"column": "rating", "count": 1}),  # "abc" (C6 kept for its text)
    ]
    table = result.table
    assert table["customer_id"].fillna("<none>").tolist() == [
        "C1",
        "C2",
        "C3",
        "C5",
        "C6",
        "<none>",
    ]  # no id needed
    assert table["rating"].fillna(-1).tolist() == [
        5.0,
        -1,
        -1,
        -1,
        -1,
        4.0,
    ]  # C5's 0 and C6's "abc" blanked
    assert table["nps"].fillna(-1).tolist() == [-1, 9.0, -1, -1, -1, -1]


def test_campaign_per_customer(ingest):
    text = "customer_id,group,converted,revenue\nC1,control,1,10\nC2,variant,no,0\nC3,,1,5\n,variant,1,5\nC5,variant,maybe,3\nC6,variant,是,abc\n"
    result = ingest(text, "campaign")
    # Only the row without a group is set aside: a recipient without an ID still counts,
    # and an unreadable outcome or revenue is blanked (the outcome is chosen later).
    assert result.report.set_aside == {"missing_group": 1}
    assert result.table["customer_id"].fillna("-").tolist() == ["C1", "C2", "-", "C5", "C6"]
    assert result.table["converted"].fillna(-1).tolist() == [1.0, 0.0, 1.0, -1, 1.0]
    assert result.table["revenue"].fillna(-1).tolist() == [10.0, 0.0, 5.0, 3.0, -1]
    assert _notes(result) == [
        ("note.values_blanked", {"column": "converted", "count": 1}),
        ("note.values_blanked", {"column": "revenue", "count": 1}),
    ]


def test_campaign_aggregated_counts_need_no_customer_id(ingest):
    text = "group,recipients,conversions\ncontrol,1000,50\nvariant,1000,x\nvariant b,1000,61\n"
    result = ingest(text, "campaign")
    assert result.report.set_aside == {}
    assert result.table["group"].tolist() == ["control", "variant", "variant b"]
    assert result.table["conversions"].fillna(-1).tolist() == [50.0, -1, 61.0]
    assert _notes(result) == [("note.values_blanked", {"column": "conversions", "count": 1})]


def test_customers_keep_attributes_the_contract_does_not_name(ingest):
    text = "customer_id,signup_date,age,vip_tier\nC1,2024-01-01,34,gold\nC2,2024-01-02,200,\nC3,soon,x,silver\n"
    result = ingest(text, "customers")
    assert result.report.set_aside == {}
    assert result.table["vip_tier"].tolist()[0] == "gold"
    assert _notes(result) == [
        ("note.out_of_range", {"column": "age", "count": 1, "low": 0, "high": 120}),
        ("note.values_blanked", {"column": "signup_date", "count": 1}),
        ("note.values_blanked", {"column": "age", "count": 1}),
    ]


def test_exact_duplicate_customer_row_counts_as_duplicate_not_duplicate_customer(ingest):
    text = "customer_id,signup_date\nC1,2024-01-01\nC1,2024-01-01\nC1,2024-02-02\n"
    assert ingest(text, "customers").report.set_aside == {"duplicate": 1, "duplicate_customer": 1}


# ---------------------------------------------------------------------------------------------
# Notes


def test_note_decimal_comma(ingest):
    text = "klant;datum;bedrag\nK1;05-03-2024;1.234,56\nK2;13-03-2024;12,5\n"
    result = ingest(
        text, mapping={"customer_id": "klant", "order_date": "datum", "amount": "bedrag"}
    )
    assert _notes(result) == [("note.decimal_comma", {"column": "bedrag"})]
    assert result.table["amount"].tolist() == [1234.56, 12.5]
    assert result.table["order_date"].tolist() == [
        pd.Timestamp("2024-03-05"),
        pd.Timestamp("2024-03-13"),
    ]


def test_note_amount_from_price_without_quantity(ingest):
    result = ingest("customer_id,order_date,price\nC1,2024-01-05,9.99\n")
    assert _notes(result) == [("note.amount_from_price", {"price": "price", "quantity": "1"})]
    assert result.table["amount"].tolist() == [9.99]


def test_amount_from_price_with_an_unreadable_or_blank_quantity_is_not_a_guess(ingest):
    # Regression: a quantity that could not be read used to count as 1.
    text = "customer_id,order_date,unit price,qty\nC1,2024-01-05,2.50,4\nC2,2024-01-05,2.50,abc\nC3,2024-01-05,2.50,\nC4,2024-01-05,x,2\n"
    result = ingest(text)
    assert result.report.set_aside == {"missing_amount": 1, "unparseable_amount": 2}
    assert result.table["amount"].tolist() == [10.0]


def test_note_values_blanked_for_optional_columns(ingest):
    text = "customer_id,order_date,amount,quantity,discount\nC1,2024-01-05,10,2,1\nC2,2024-01-06,12,two,x\nC3,2024-01-07,8,1,\n"
    result = ingest(text)
    assert result.report.set_aside == {}
    assert _notes(result) == [
        ("note.values_blanked", {"column": "quantity", "count": 1}),
        ("note.values_blanked", {"column": "discount", "count": 1}),
    ]


def test_note_formula_cells_kept_as_text(ingest):
    text = "customer_id,order_date,amount,product\n=cmd|' /C calc'!A0,2024-01-01,10,+SUM(1)\nC2,2024-01-02,10,@x\nC3,2024-01-03,10,-2+3\nC4,2024-01-04,10,Tea\n"
    result = ingest(text)
    assert result.report.set_aside == {}
    assert _notes(result) == [
        ("note.formula_cells", {"column": "customer_id", "count": 1}),
        ("note.formula_cells", {"column": "product", "count": 3}),
    ]
    assert result.table["customer_id"].tolist() == ["=cmd|' /C calc'!A0", "C2", "C3", "C4"]
    assert result.table["product"].tolist() == ["+SUM(1)", "@x", "-2+3", "Tea"]


@pytest.mark.parametrize(
    ("dates", "order", "note", "kept"),
    [
        pytest.param(
            ["01/02/2024", "03/04/2024"],
            None,
            ("note.date_order_ambiguous", "dmy"),
            2,
            id="ambiguous",
        ),
        pytest.param(
            ["01/02/2024", "03/04/2024"],
            "mdy",
            ("note.date_order_ambiguous", "mdy"),
            2,
            id="ambiguous-chosen",
        ),
        pytest.param(
            ["13/01/2024", "01/13/2024"],
            None,
            ("note.date_order_conflict", "dmy"),
            1,
            id="conflict",
        ),
    ],
)
def test_note_date_order(ingest, dates, order, note, kept):
    text = TX + "".join(f"C{i},{d},5\n" for i, d in enumerate(dates))
    result = ingest(text, date_order=order)
    assert _notes(result) == [(note[0], {"column": "order_date", "order": note[1]})]
    assert result.report.rows_kept == kept


def test_every_note_key_has_messages():
    keys = {
        "note.decimal_comma",
        "note.amount_from_price",
        "note.values_blanked",
        "note.formula_cells",
        "note.out_of_range",
        "note.date_order_ambiguous",
        "note.date_order_conflict",
    }
    for key in keys:
        assert key in EN and key in ZH


# ---------------------------------------------------------------------------------------------
# Samples, table and result


def test_samples_hold_the_original_rows_with_spreadsheet_row_numbers(ingest):
    # Line 1 is the header; line 3 is blank; line 4 is ragged; line 6 has no id.
    text = TX + "C1,2024-01-05,10\n\nC2,2024-01-06\nC3,2024-01-07,7\n,2024-01-08,$8.00\nC5,soon,9\n"
    report = ingest(text).report
    assert report.set_aside == {"ragged_row": 1, "missing_customer_id": 1, "unparseable_date": 1}
    assert report.samples["ragged_row"].to_dict("records") == [{"row": 4, "line": "C2,2024-01-06"}]
    assert report.samples["missing_customer_id"].to_dict("records") == [
        {"row": 6, "customer_id": "", "order_date": "2024-01-08", "amount": "$8.00"}
    ]
    assert report.samples["unparseable_date"].to_dict("records") == [
        {"row": 7, "customer_id": "C5", "order_date": "soon", "amount": "9"}
    ]
    assert list(report.samples) == ["ragged_row", "missing_customer_id", "unparseable_date"]


def test_row_numbers_count_a_multi_line_cell_as_one_row(ingest):
    text = 'customer_id,order_date,amount,note\nC1,2024-01-05,10,"two\nlines"\nC2,bad,5,x\n'
    report = ingest(text).report
    assert report.samples["unparseable_date"]["row"].tolist() == [3]


def test_samples_are_capped(ingest):
    text = TX + "".join(f",2024-01-05,{i}\n" for i in range(250))
    report = ingest(text).report
    assert report.set_aside == {"missing_customer_id": 250}
    sample = report.samples["missing_customer_id"]
    assert len(sample) == 200
    assert sample["row"].tolist() == list(range(2, 202))


def test_kept_table_types(ingest):
    text = "order_id,customer_id,order_date,amount,channel,status\n0001,007,2024-01-05,10,web,ok\n0002,007,2024-01-06,$1,234.00,store,ok\n"
    result = ingest(text.replace("$1,234.00", '"$1,234.00"'))
    table = result.table
    assert list(table.columns) == ["customer_id", "order_date", "amount", "order_id", "channel"]
    assert str(table["customer_id"].dtype) == "category"
    assert table["customer_id"].tolist() == ["007", "007"]
    assert table["order_id"].tolist() == ["0001", "0002"]
    assert str(table["order_date"].dtype) == "datetime64[ns]"
    assert table["amount"].tolist() == [10.0, 1234.0]
    assert str(table["channel"].dtype) == "category"


def test_build_does_not_touch_the_raw_table():
    raw = read_raw((TX + GOOD + ",bad,x\n").encode(), "x.csv")
    before = raw.frame.copy()
    build_table(
        raw,
        "transactions",
        {"customer_id": "customer_id", "order_date": "order_date", "amount": "amount"},
        today=date(2024, 6, 30),
    )
    pd.testing.assert_frame_equal(raw.frame, before)


@pytest.mark.parametrize(
    ("text", "mapping", "key", "params"),
    [
        pytest.param(
            TX + GOOD,
            {"customer_id": "customer_id", "order_date": "when"},
            "ingest.unknown_column",
            {"columns": "when"},
            id="unknown-column",
        ),
        pytest.param(
            TX + GOOD,
            {"customer_id": "customer_id"},
            "ingest.missing_required",
            {
                "fields": [("order_date",), ("amount", "unit_price")],
                "columns": ["customer_id", "order_date", "amount"],
            },
            id="missing-required",
        ),
        pytest.param(
            TX + "C1,soon,1\nC2,later,2\nC3,,3\n",
            None,
            "ingest.no_dates",
            {"column": "order_date", "examples": "soon, later"},
            id="no-dates",
        ),
        pytest.param(
            TX + "C1,,1\nC2,,2\n",
            None,
            "ingest.no_dates",
            {"column": "order_date", "examples": ""},
            id="all-dates-blank",
        ),
        pytest.param(
            TX + "C1,2024-01-01,ten\nC2,2024-01-02,\n",
            None,
            "ingest.no_amounts",
            {"column": "amount", "examples": "ten"},
            id="no-amounts",
        ),
    ],
)
def test_problems(ingest, text, mapping, key, params):
    result = ingest(text, mapping=mapping)
    assert (result.table, result.report) == (None, None)
    assert (result.problem.key, result.problem.params) == (key, params)
    assert key in EN and key in ZH


def test_fingerprint_follows_content_and_settings(ingest):
    first = ingest(TX + GOOD).fingerprint
    assert first == ingest(TX + GOOD).fingerprint
    assert first != ingest(TX + GOOD + "C3,2024-01-01,1\n").fingerprint
    assert first != ingest(TX + GOOD, today=date(2025, 1, 1)).fingerprint
    assert len(first) == 32


# ---------------------------------------------------------------------------------------------
# Property: every record is accounted for

_IDS = st.sampled_from(["C1", "C2", "C3", "007", "17850", "", " ", "NA", "=1+2", "Zoë"])
_DATES = st.sampled_from(
    [
        "2024-03-05",
        "2024-03-05 14:30:00+08:00",
        "2024/3/5",
        "20240305",
        "2024年3月5日",
        "2024年3月5日 14时30分",
        "13/01/2024",
        "01/13/2024",
        "05/03/24",
        "45356",
        "5 Mar 2024",
        "2030-01-01",
        "2024-02-30",
        "31/04/2024",
        "soon",
        "9999-12-31",
        "",
        "n/a",
        "2024-06-30 23:59",
    ]
)
_AMOUNTS = st.sampled_from(
    [
        "12.50",
        "$1,234.50",
        "1.234,56 €",
        "(3.20)",
        "12-",
        "−5",
        "-5",
        "0",
        "¥88",
        "abc",
        "",
        "NA",
        "1e400",
        "-2+3",
        "7",
    ]
)
_GOOD_WIDTH = st.tuples(_IDS, _DATES, _AMOUNTS).map(list)
# Lines with the wrong number of fields; at least one field has text (an all-blank line is a blank line).
_RAGGED = st.lists(
    st.sampled_from(["C9", "2024-01-01", "5", "x, y", ""]), min_size=1, max_size=5
).filter(lambda row: len(row) != 3 and any(cell.strip() for cell in row))


@st.composite
def _tables(draw) -> list[list[str]]:
    rows = draw(st.lists(st.one_of(_GOOD_WIDTH, _GOOD_WIDTH, _GOOD_WIDTH, _RAGGED), max_size=40))
    # Exact copies of earlier lines, anywhere.
    for _ in range(draw(st.integers(0, 5))):
        if rows:
            rows.insert(
                draw(st.integers(0, len(rows))), list(rows[draw(st.integers(0, len(rows) - 1))])
            )
    # One readable row, so that a date and an amount can always be read somewhere.
    rows.insert(draw(st.integers(0, len(rows))), ["C0", "2024-01-02", "1"])
    return rows


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=_tables(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_every_data_line_is_kept_or_set_aside_once(rows, delimiter):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["customer_id", "order_date", "amount"])
    writer.writerows(rows)
    raw = read_raw(buffer.getvalue().encode(), "generated.csv", delimiter=delimiter)
    mapping = {"customer_id": "customer_id", "order_date": "order_date", "amount": "amount"}
    result = build_table(raw, "transactions", mapping, today=date(2024, 6, 30))
    assert result.problem is None
    report = result.report
    assert report.rows_read == len(rows)
    assert report.rows_kept + sum(report.set_aside.values()) == report.rows_read
    assert report.rows_kept == len(result.table)
    assert report.set_aside.get("ragged_row", 0) == sum(len(row) != 3 for row in rows)
    assert all(count > 0 for count in report.set_aside.values())
    assert list(report.set_aside) == [r for r in REASONS if r in report.set_aside]
    # Samples point at the right lines: row n of the sample is record n - 2 of the file.
    for reason, sample in report.samples.items():
        for record in sample.to_dict("records"):
            original = rows[record["row"] - 2]
            if reason == "ragged_row":
                assert len(original) != 3
            else:
                assert [record["customer_id"], record["order_date"], record["amount"]] == original


def test_fingerprints_differ_for_different_files_of_the_same_shape():
    # Regression: a fingerprint built from per-column codes alone would give two files
    # with the same pattern of repeats the same cache key.
    from core.ingest import ingest_file

    first = ingest_file(
        b"customer_id,order_date,amount\nA,2024-01-01,1\nB,2024-01-02,2\n", "a.csv", "transactions"
    )
    second = ingest_file(
        b"customer_id,order_date,amount\nX,2024-02-01,5\nY,2024-02-02,6\n", "b.csv", "transactions"
    )
    again = ingest_file(
        b"customer_id,order_date,amount\nA,2024-01-01,1\nB,2024-01-02,2\n", "a.csv", "transactions"
    )
    assert first.fingerprint != second.fingerprint
    assert first.fingerprint == again.fingerprint
