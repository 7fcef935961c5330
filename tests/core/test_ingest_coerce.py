"""core.ingest.coerce: each reading rule for dates, money, flags and ids, with known answers."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from core.ingest.coerce import (
    EXCEL_EPOCH,
    clean_ids,
    formula_like,
    parse_dates,
    parse_flags,
    parse_numbers,
    slash_date_evidence,
)


def _text(values: list[str]) -> pd.Series:
    return pd.Series(values, dtype=str)


def _dates(values: list[str], order=None) -> list[str | None]:
    reading = parse_dates(_text(values), order)
    return [None if pd.isna(v) else v.isoformat(sep=" ") for v in reading.values]


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("2024-03-05", "2024-03-05 00:00:00", id="iso"),
        pytest.param("2024-3-5", "2024-03-05 00:00:00", id="iso-no-padding"),
        pytest.param("2024/03/05", "2024-03-05 00:00:00", id="iso-slashes"),
        pytest.param("2024.03.05", "2024-03-05 00:00:00", id="iso-dots"),
        pytest.param("2024-03-05T14:30:00", "2024-03-05 14:30:00", id="iso-with-time"),
        pytest.param("2024-03-05 14:30", "2024-03-05 14:30:00", id="iso-minutes"),
        pytest.param("2024-03-05T14:30:00.250", "2024-03-05 14:30:00.250000", id="iso-fraction"),
        # The zone is dropped: the wall-clock time in the file is kept (parse_dates docstring).
        pytest.param("2024-03-05T14:30:00Z", "2024-03-05 14:30:00", id="iso-zulu"),
        pytest.param("2024-03-05T14:30:00+08:00", "2024-03-05 14:30:00", id="iso-plus-zone"),
        pytest.param("2024-03-05T14:30:00-0500", "2024-03-05 14:30:00", id="iso-minus-zone"),
        pytest.param("2024-03-05 14:30:00 +08:00", "2024-03-05 14:30:00", id="iso-spaced-zone"),
        pytest.param("2024-03-05 14:30 UTC", "2024-03-05 14:30:00", id="iso-utc-word"),
        pytest.param("2024-03-05 2:30 PM", "2024-03-05 14:30:00", id="iso-pm"),
        pytest.param("2024-03-05 12:15 am", "2024-03-05 00:15:00", id="iso-12-am"),
        pytest.param("20240305", "2024-03-05 00:00:00", id="yyyymmdd"),
        pytest.param("2024年3月5日", "2024-03-05 00:00:00", id="chinese"),
        pytest.param("2024年03月05日", "2024-03-05 00:00:00", id="chinese-padded"),
        pytest.param("2024年3月5号", "2024-03-05 00:00:00", id="chinese-hao"),
        pytest.param("2024年3月5日 14:30", "2024-03-05 14:30:00", id="chinese-with-time"),
        pytest.param("2024年3月5日14:30:15", "2024-03-05 14:30:15", id="chinese-time-no-space"),
        pytest.param("2024年3月5日 14时30分", "2024-03-05 14:30:00", id="chinese-shi-fen"),
        pytest.param("2024年3月5日 14时30分15秒", "2024-03-05 14:30:15", id="chinese-shi-fen-miao"),
        pytest.param("2024年3月5日 下午2:30", "2024-03-05 14:30:00", id="chinese-xiawu"),
        pytest.param("2024年3月5日 上午12:05", "2024-03-05 00:05:00", id="chinese-shangwu-12"),
        pytest.param("5 Mar 2024", "2024-03-05 00:00:00", id="day-month-name"),
        pytest.param("March 5, 2024", "2024-03-05 00:00:00", id="month-name-first"),
        pytest.param("05-MAR-24", "2024-03-05 00:00:00", id="oracle-style"),
        pytest.param("Tue, 5 Mar 2024 14:30:00 GMT", "2024-03-05 14:30:00", id="rfc-2822"),
    ],
)
def test_date_shapes(cell, expected):
    reading = parse_dates(_text([cell]))
    assert _dates([cell]) == [expected]
    assert not reading.failed.any()


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        # Excel's 1900 date system: serial n is n days after 1899-12-30 for any date after
        # 1900-02-28 (Microsoft, "Date systems in Excel"; =DATE(2024,3,5) shows 45356).
        pytest.param("45356", "2024-03-05 00:00:00", id="2024-03-05"),
        pytest.param("45356.5", "2024-03-05 12:00:00", id="noon"),
        pytest.param("45356.75", "2024-03-05 18:00:00", id="six-pm"),
        pytest.param("43831", "2020-01-01 00:00:00", id="2020-01-01"),
        pytest.param("20000", "1954-10-03 00:00:00", id="lower-bound"),
        pytest.param("80000", "2119-01-11 00:00:00", id="upper-bound"),
    ],
)
def test_excel_serial_dates(serial, expected):
    assert _dates([serial]) == [expected]
    # The same answer from the epoch by hand, with the standard library.
    days = float(serial)
    assert pd.Timestamp(date(1899, 12, 30)) + timedelta(days=days) == pd.Timestamp(expected)
    assert pd.Timestamp("1899-12-30") == EXCEL_EPOCH


@pytest.mark.parametrize(
    "serial", ["19999", "80001", "1234"], ids=["below-range", "above-range", "four-digits"]
)
def test_numbers_outside_the_serial_range_are_not_dates(serial):
    reading = parse_dates(_text([serial]))
    assert reading.values.isna().all()
    assert reading.failed.tolist() == [True]


@pytest.mark.parametrize(
    ("cells", "evidence", "order_used", "expected"),
    [
        pytest.param(
            ["13/01/2024", "05/03/2024"],
            "dmy",
            "dmy",
            ["2024-01-13 00:00:00", "2024-03-05 00:00:00"],
            id="day-above-12-means-dmy",
        ),
        pytest.param(
            ["01/13/2024", "05/03/2024"],
            "mdy",
            "mdy",
            ["2024-01-13 00:00:00", "2024-05-03 00:00:00"],
            id="second-above-12-means-mdy",
        ),
        # Nothing decides: day-first is used provisionally and the caller must ask.
        pytest.param(
            ["01/02/2024"], "ambiguous", "dmy", ["2024-02-01 00:00:00"], id="ambiguous-alone"
        ),
        # Both shapes in one column: read as day-first, the month-first ones cannot be read.
        pytest.param(
            ["13/01/2024", "01/13/2024"],
            "conflict",
            "dmy",
            ["2024-01-13 00:00:00", None],
            id="conflict",
        ),
        pytest.param(
            ["13.01.2024", "05-03-2024"],
            "dmy",
            "dmy",
            ["2024-01-13 00:00:00", "2024-03-05 00:00:00"],
            id="dots-and-dashes",
        ),
        pytest.param(
            ["2024-03-05", "20240306"],
            "none",
            None,
            ["2024-03-05 00:00:00", "2024-03-06 00:00:00"],
            id="no-slash-dates",
        ),
        pytest.param(
            ["13/01/2024 09:15", "5/3/2024 2:30 PM"],
            "dmy",
            "dmy",
            ["2024-01-13 09:15:00", "2024-03-05 14:30:00"],
            id="with-times",
        ),
    ],
)
def test_day_month_order_from_evidence(cells, evidence, order_used, expected):
    reading = parse_dates(_text(cells))
    assert slash_date_evidence(_text(cells)) == evidence
    assert (reading.order_evidence, reading.order_used) == (evidence, order_used)
    assert _dates(cells) == expected
    assert reading.failed.tolist() == [e is None for e in expected]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("dmy", ["2024-02-01 00:00:00", "2024-03-05 00:00:00"]),
        ("mdy", ["2024-01-02 00:00:00", "2024-05-03 00:00:00"]),
    ],
)
def test_explicit_order_overrides(order, expected):
    cells = ["01/02/2024", "05/03/2024"]
    reading = parse_dates(_text(cells), order)
    assert reading.order_used == order
    assert _dates(cells, order) == expected


def test_explicit_order_against_the_evidence_leaves_impossible_dates_unread():
    reading = parse_dates(_text(["13/01/2024", "05/03/2024"]), "mdy")
    assert reading.order_evidence == "dmy"
    assert reading.failed.tolist() == [True, False]
    assert _dates(["13/01/2024", "05/03/2024"], "mdy") == [None, "2024-05-03 00:00:00"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # Python's and C's strptime %y: 69-99 are 1969-1999, 00-68 are 2000-2068.
        pytest.param("05/03/24", "2024-03-05 00:00:00", id="24"),
        pytest.param("05/03/00", "2000-03-05 00:00:00", id="00"),
        pytest.param("05/03/68", "2068-03-05 00:00:00", id="68"),
        pytest.param("05/03/69", "1969-03-05 00:00:00", id="69"),
        pytest.param("05/03/99", "1999-03-05 00:00:00", id="99"),
        pytest.param("5.3.24", "2024-03-05 00:00:00", id="german-short"),
    ],
)
def test_two_digit_years(cell, expected):
    assert _dates([cell], "dmy") == [expected]
    two_digits = cell[-2:]
    assert (
        pd.Timestamp(expected).year == pd.to_datetime(f"01/01/{two_digits}", format="%m/%d/%y").year
    )


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("2024-02-30", id="feb-30"),
        pytest.param("2023-02-29", id="feb-29-non-leap"),
        pytest.param("31/04/2024", id="april-31"),
        pytest.param("2024-13-01", id="month-13"),
        pytest.param("20240230", id="compact-feb-30"),
        pytest.param("2024年2月30日", id="chinese-feb-30"),
        # Regression: out-of-range clock times used to roll over into the next day.
        pytest.param("2024-03-05 25:00", id="hour-25"),
        pytest.param("2024/03/05 23:61", id="minute-61"),
        pytest.param("2024年3月5日 24时00分", id="chinese-hour-24"),
        pytest.param("hello", id="word"),
        pytest.param("today", id="today"),  # would otherwise read as the moment of upload
        pytest.param("March", id="month-alone"),
        pytest.param("9999-12-31", id="sentinel-9999"),  # beyond what datetime64[ns] holds
        pytest.param("0001-01-01", id="sentinel-0001"),
        pytest.param("31/12/9999", id="slash-9999"),
        pytest.param("9999年12月31日", id="chinese-9999"),
        pytest.param("Dec 31 9999", id="worded-9999"),
    ],
)
def test_impossible_or_unreadable_dates_count_as_failed(cell):
    reading = parse_dates(_text(["2024-03-05", cell]))
    assert reading.values.isna().tolist() == [False, True]
    assert reading.failed.tolist() == [False, True]


def test_leap_day_is_a_date():
    assert _dates(["2024-02-29", "29/02/2024"]) == ["2024-02-29 00:00:00", "2024-02-29 00:00:00"]


@pytest.mark.parametrize(
    "cell", ["", "  ", "NA", "n/a", "NULL", "None", "-", "--", "nan", "#N/A", "无", "缺失"]
)
def test_missing_tokens_are_missing_not_failed(cell):
    reading = parse_dates(_text([cell, "2024-03-05"]))
    assert reading.values.isna().tolist() == [True, False]
    assert reading.failed.tolist() == [False, False]


def test_dates_are_read_per_distinct_value_and_mapped_back_in_order():
    cells = ["2024-03-05", "", "bad", "2024-03-05", "13/01/2024", "bad"]
    reading = parse_dates(_text(cells))
    assert _dates(cells) == [
        "2024-03-05 00:00:00",
        None,
        None,
        "2024-03-05 00:00:00",
        "2024-01-13 00:00:00",
        None,
    ]
    assert reading.failed.tolist() == [False, False, True, False, False, True]
    assert str(reading.values.dtype) == "datetime64[ns]"


# ---------------------------------------------------------------------------------------------
# Money and numbers


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("$1,234.50", 1234.5, id="dollar-thousands"),
        pytest.param("¥1,234", 1234.0, id="yen-thousands"),
        pytest.param("￥99", 99.0, id="fullwidth-yen"),
        pytest.param("RMB 88", 88.0, id="rmb-code"),
        pytest.param("88元", 88.0, id="yuan-suffix"),
        pytest.param("US$ 3.25", 3.25, id="us-dollar"),
        pytest.param("£7", 7.0, id="pound"),
        pytest.param("(12.50)", -12.5, id="accounting-negative"),
        pytest.param("12-", -12.0, id="trailing-minus"),
        pytest.param("−5", -5.0, id="unicode-minus"),
        pytest.param("-$5.00", -5.0, id="minus-before-symbol"),
        pytest.param("+4", 4.0, id="plus"),
        pytest.param("1.234.567", 1234567.0, id="several-dots-are-thousands"),
        pytest.param("1'234.50", 1234.5, id="swiss-apostrophe"),
        pytest.param("1e3", 1000.0, id="exponent"),
        pytest.param(".5", 0.5, id="leading-dot"),
    ],
)
def test_money_in_a_decimal_point_column(cell, expected):
    reading = parse_numbers(_text([cell, "1.50"]))
    assert reading.decimal == "."
    assert reading.values.tolist() == [expected, 1.5]
    assert not reading.failed.any()


def test_money_in_a_decimal_comma_column():
    cells = ["1.234,56 €", "12,5", "1 234,5", "1\u00a0234,5", "(3,20)", "1.234.567", "7"]
    reading = parse_numbers(_text(cells))
    assert reading.decimal == ","
    assert reading.values.tolist() == [1234.56, 12.5, 1234.5, 1234.5, -3.2, 1234567.0, 7.0]
    assert not reading.failed.any()


@pytest.mark.parametrize(
    ("cells", "decimal", "expected"),
    [
        # "1,234" alone can only be a thousands separator (parse_numbers docstring).
        pytest.param(["1,234"], ".", [1234.0], id="comma-thousands-alone"),
        pytest.param(["12,345,678"], ".", [12345678.0], id="comma-thousands-twice"),
        # "1.234" alone reads as a decimal point: nothing in the column says otherwise.
        pytest.param(["1.234"], ".", [1.234], id="dot-three-decimals-alone"),
        pytest.param(["1,5"], ",", [1.5], id="comma-decimal-alone"),
        # One unambiguous comma-decimal value decides the column: 1,234 is then 1.234.
        pytest.param(["1,234", "2,5"], ",", [1.234, 2.5], id="column-decides"),
    ],
)
def test_decimal_mark_is_decided_per_column(cells, decimal, expected):
    reading = parse_numbers(_text(cells))
    assert reading.decimal == decimal
    assert reading.values.tolist() == pytest.approx(expected)


@pytest.mark.parametrize(
    ("cell", "failed"),
    [
        pytest.param("abc", True, id="text"),
        pytest.param("12 apples", True, id="number-and-word"),
        pytest.param("--5", True, id="double-minus"),
        pytest.param("inf", True, id="inf"),
        pytest.param("1e400", True, id="overflow"),
        pytest.param("-2+3", True, id="formula-like"),
        pytest.param("", False, id="blank"),
        pytest.param("NA", False, id="na"),
        pytest.param("-", False, id="dash"),
        pytest.param("null", False, id="null"),
    ],
)
def test_unreadable_and_missing_numbers(cell, failed):
    reading = parse_numbers(_text([cell]))
    assert math.isnan(reading.values[0])
    assert reading.failed.tolist() == [failed]


# ---------------------------------------------------------------------------------------------
# Flags and ids


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        *[
            pytest.param(c, 1.0, id=f"true-{c}")
            for c in (
                "yes",
                "Y",
                "1",
                "1.0",
                "true",
                "TRUE",
                "True",
                " Yes ",
                "是",
                "converted",
                "已转化",
            )
        ],
        *[
            pytest.param(c, 0.0, id=f"false-{c}")
            for c in ("no", "N", "0", "0.0", "false", "FALSE", "False", "NO", "否", "无", "未转化")
        ],
    ],
)
def test_flags(cell, expected):
    reading = parse_flags(_text([cell]))
    assert reading.values.tolist() == [expected]
    assert reading.failed.tolist() == [False]


@pytest.mark.parametrize(
    ("cell", "failed"), [("maybe", True), ("2", True), ("", False), ("NA", False)]
)
def test_unreadable_and_missing_flags(cell, failed):
    reading = parse_flags(_text([cell]))
    assert math.isnan(reading.values[0])
    assert reading.failed.tolist() == [failed]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        pytest.param(
            ["007", " 0012 ", "C-1"], ["007", "0012", "C-1"], id="leading-zeros-kept-and-trimmed"
        ),
        # UCI Online Retail stores CustomerID as a float: "17850.0" (Chen et al. 2012, UCI ML repository).
        pytest.param(
            ["17850.0", "13047.0", "", "00123.0"],
            ["17850", "13047", None, "00123"],
            id="all-float-like",
        ),
        pytest.param(
            ["17850.0", "13047", "00123"], ["17850.0", "13047", "00123"], id="not-all-float-like"
        ),
        pytest.param(["NA", "null", "C1"], [None, None, "C1"], id="missing-tokens"),
    ],
)
def test_ids(cells, expected):
    ids = clean_ids(_text(cells))
    assert [None if pd.isna(v) else v for v in ids] == expected


@pytest.mark.parametrize(
    ("cell", "risky"),
    [
        pytest.param("=cmd|' /C calc'!A0", True, id="dde"),
        pytest.param("+SUM(1)", True, id="plus-sum"),
        pytest.param("@x", True, id="at"),
        pytest.param("-2+3", True, id="minus-expression"),
        pytest.param("  =1", True, id="leading-spaces"),
        pytest.param("-12.5", False, id="negative-number"),
        pytest.param("+44 20 7946 0000", False, id="phone-number"),
        pytest.param("hello", False, id="text"),
    ],
)
def test_formula_like(cell, risky):
    assert formula_like(_text([cell])).tolist() == [risky]
