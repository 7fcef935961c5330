"""core.ingest.read: encodings, delimiters, quoting, Excel sheets and ragged rows, on small known files."""

from __future__ import annotations

import codecs

import numpy as np
import pytest

from core.ingest import read_raw, sniff
from core.ingest.read import detect_delimiter, detect_encoding


def _cells(raw) -> dict[str, list[str]]:
    return raw.frame.to_dict("list")


# ---------------------------------------------------------------------------------------------
# Encodings


GBK_TEXT = (
    "客户ID,订单日期,金额,商品名称\nC001,2024年3月5日,￥1234,苹果\nC002,2024-03-06,88元,橙子\n"
)
LATIN_TEXT = "name,city,amount\nZoë Müller,café,12.50\nJosé Peña,Zürich,3.00\n"


@pytest.mark.parametrize(
    ("data", "expected_encoding", "expected_cells"),
    [
        pytest.param(
            GBK_TEXT.encode("gbk"),
            "gb18030",
            {
                "客户ID": ["C001", "C002"],
                "订单日期": ["2024年3月5日", "2024-03-06"],
                "金额": ["￥1234", "88元"],
                "商品名称": ["苹果", "橙子"],
            },
            id="gbk-chinese-excel-export",
        ),
        pytest.param(
            LATIN_TEXT.encode("latin-1"),
            # Windows-1252 is reported: it agrees with Latin-1 on every printable character
            # and also has € and curly quotes (detect_encoding's docstring).
            "cp1252",
            {
                "name": ["Zoë Müller", "José Peña"],
                "city": ["café", "Zürich"],
                "amount": ["12.50", "3.00"],
            },
            id="latin1-accented-names",
        ),
        pytest.param(
            "product,price\n“Deluxe” box – large,€5\n".encode("cp1252"),
            "cp1252",
            {"product": ["“Deluxe” box – large"], "price": ["€5"]},
            id="cp1252-euro-and-curly-quotes",
        ),
        pytest.param(
            codecs.BOM_UTF8 + LATIN_TEXT.encode("utf-8"),
            "utf-8-sig",
            {
                "name": ["Zoë Müller", "José Peña"],
                "city": ["café", "Zürich"],
                "amount": ["12.50", "3.00"],
            },
            id="utf8-bom-from-excel",
        ),
        pytest.param(
            GBK_TEXT.encode("utf-8"),
            "utf-8",
            {
                "客户ID": ["C001", "C002"],
                "订单日期": ["2024年3月5日", "2024-03-06"],
                "金额": ["￥1234", "88元"],
                "商品名称": ["苹果", "橙子"],
            },
            id="utf8-chinese",
        ),
        pytest.param(
            # Excel's "Unicode text" export: UTF-16 little-endian with a BOM, tab-delimited, CRLF.
            codecs.BOM_UTF16_LE
            + LATIN_TEXT.replace(",", "\t").replace("\n", "\r\n").encode("utf-16-le"),
            "utf-16",
            {
                "name": ["Zoë Müller", "José Peña"],
                "city": ["café", "Zürich"],
                "amount": ["12.50", "3.00"],
            },
            id="utf16-excel-unicode-text",
        ),
    ],
)
def test_encoding_is_detected_and_text_decoded(data, expected_encoding, expected_cells):
    raw = read_raw(data, "export.csv")
    assert raw.problem is None
    assert raw.info.encoding == expected_encoding
    assert _cells(raw) == expected_cells


def test_latin1_text_that_also_decodes_as_gb18030_is_not_taken_for_chinese():
    data = "Kunde,Stadt\nMüller,Köln\nBäcker,Düsseldorf\n".encode("latin-1")
    # The bytes are valid GB18030 too, but decode to rare ideographs (黮, 鰈, ...), not common Chinese.
    assert data.decode("gb18030") == "Kunde,Stadt\nM黮ler,K鰈n\nB鋍ker,D黶seldorf\n"
    assert detect_encoding(data) == "cp1252"


def test_bytes_that_windows_1252_leaves_undefined_fall_back_to_latin1():
    # 0x81 is unassigned in Windows-1252 (Python's cp1252 codec refuses it) but is a Latin-1 code point.
    assert detect_encoding(b"name\nA\x81B\n") == "latin-1"


@pytest.mark.parametrize(
    ("data", "encoding", "expected_cells"),
    [
        pytest.param(
            GBK_TEXT.encode("gbk"), "gb18030", {"客户ID": ["C001", "C002"]}, id="gb18030-given"
        ),
        pytest.param(
            LATIN_TEXT.encode("latin-1"),
            "latin-1",
            {"name": ["Zoë Müller", "José Peña"]},
            id="latin1-given",
        ),
        # Read as Latin-1, UTF-8 bytes of "ë" are the two characters "Ã«": what the user asked for.
        pytest.param(
            LATIN_TEXT.encode("utf-8"),
            "latin-1",
            {"name": ["ZoÃ« MÃ¼ller", "JosÃ© PeÃ±a"]},
            id="latin1-forced-on-utf8",
        ),
    ],
)
def test_encoding_override_is_used(data, encoding, expected_cells):
    raw = read_raw(data, "export.csv", encoding=encoding)
    assert raw.problem is None
    assert raw.info.encoding == encoding
    assert {k: v for k, v in _cells(raw).items() if k in expected_cells} == expected_cells


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(GBK_TEXT.encode("gbk"), "utf-8", id="utf8-forced-on-gbk"),
        pytest.param(LATIN_TEXT.encode("latin-1"), "utf-8", id="utf8-forced-on-latin1"),
        # Any even-length byte string decodes as UTF-16: the missing byte-order mark gives it away.
        pytest.param(GBK_TEXT.encode("utf-8"), "utf-16", id="utf16-forced-on-utf8"),
        pytest.param(
            codecs.BOM_UTF16_LE + "a\tb\r\n1\t2\r\n".encode("utf-16-le"),
            "cp1252",
            id="cp1252-forced-on-utf16",
        ),
        pytest.param(b"a,b\n1,2\n", "no-such-codec", id="unknown-encoding-name"),
    ],
)
def test_wrong_encoding_override_is_a_problem(data, encoding):
    raw = read_raw(data, "export.csv", encoding=encoding)
    assert raw.problem is not None
    assert (raw.problem.key, raw.problem.params) == ("ingest.bad_encoding", {"encoding": encoding})


# ---------------------------------------------------------------------------------------------
# Delimiters and quoting


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        pytest.param(
            "customer,date,amount\nC1,2024-03-05,12.50\nC2,2024-03-06,3\n", ",", id="comma"
        ),
        pytest.param(
            "customer;date;amount\nC1;2024-03-05;12,50\nC2;2024-03-06;3\n", ";", id="semicolon"
        ),
        pytest.param(
            "customer\tdate\tamount\nC1\t2024-03-05\t12.50\nC2\t2024-03-06\t3\n", "\t", id="tab"
        ),
        pytest.param(
            "customer|date|amount\nC1|2024-03-05|12.50\nC2|2024-03-06|3\n", "|", id="pipe"
        ),
    ],
)
def test_each_delimiter_is_detected(text, delimiter):
    raw = read_raw(text.encode(), "export.txt")
    assert raw.info.delimiter == delimiter
    assert list(raw.frame.columns) == ["customer", "date", "amount"]
    assert raw.frame["customer"].tolist() == ["C1", "C2"]


def test_euro_amounts_with_decimal_comma_do_not_make_a_semicolon_file_comma_separated():
    text = "Kunde;Datum;Betrag\nK1;05.03.2024;1.234,56 €\nK2;06.03.2024;12,00 €\nK3;07.03.2024;7,50 €\n"
    raw = read_raw(text.encode(), "umsatz.csv")
    assert raw.info.delimiter == ";"
    assert _cells(raw) == {
        "Kunde": ["K1", "K2", "K3"],
        "Datum": ["05.03.2024", "06.03.2024", "07.03.2024"],
        "Betrag": ["1.234,56 €", "12,00 €", "7,50 €"],
    }


def test_quoted_fields_keep_delimiters_quotes_and_newlines():
    text = 'customer,comment,amount\nC1,"Fast, friendly","12.50"\nC2,"Line one\nline two",3\nC3,"She said ""wow""",4\n'
    raw = read_raw(text.encode(), "feedback.csv")
    assert raw.ragged_lines == ()
    assert _cells(raw) == {
        "customer": ["C1", "C2", "C3"],
        "comment": ["Fast, friendly", "Line one\nline two", 'She said "wow"'],
        "amount": ["12.50", "3", "4"],
    }


@pytest.mark.parametrize(
    ("filename", "delimiter"), [("export.tsv", "\t"), ("export.csv", ","), ("EXPORT.TSV", "\t")]
)
def test_tsv_extension_breaks_a_tie_in_favour_of_tab(filename, delimiter):
    # Comma and tab both split every line into two fields here; only the name can decide.
    text = "name,code\tamount\nA,1\t2\nB,3\t4\n"
    assert detect_delimiter(text, filename) == delimiter
    assert read_raw(text.encode(), filename).info.delimiter == delimiter


def test_delimiter_override_is_used():
    text = "a|b,c\n1|2,3\n"  # comma and pipe both give two columns; comma is detected
    assert read_raw(text.encode(), "x.csv").info.delimiter == ","
    raw = read_raw(text.encode(), "x.csv", delimiter="|")
    assert raw.info.delimiter == "|"
    assert _cells(raw) == {"a": ["1"], "b,c": ["2,3"]}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_endings(newline):
    raw = read_raw(newline.join(["a,b", "1,2", "3,4", ""]).encode(), "x.csv")
    assert _cells(raw) == {"a": ["1", "3"], "b": ["2", "4"]}


def test_cells_stay_text_exactly_as_written():
    text = "id,amount,date,flag\n007,1e3,20240305,NA\n0012,,null,TRUE\n"
    raw = read_raw(text.encode(), "x.csv")
    assert _cells(raw) == {
        "id": ["007", "0012"],
        "amount": ["1e3", ""],
        "date": ["20240305", "null"],
        "flag": ["NA", "TRUE"],
    }


def test_header_names_are_cleaned():
    # BOM-less but with a stray BOM character, duplicates, blanks and a trailing delimiter.
    text = "\ufeffCustomer ,amount,amount,,\nC1,1,2,x,\nC2,3,4,y,\n"
    raw = read_raw(text.encode(), "x.csv")
    # pandas names a repeated header "amount.1"; an empty header becomes column_<position>;
    # the trailing empty, unnamed column is dropped.
    assert list(raw.frame.columns) == ["Customer", "amount", "amount.1", "column_4"]


# ---------------------------------------------------------------------------------------------
# Ragged rows and blank lines


def test_ragged_rows_are_set_aside_with_their_text_and_counted():
    text = "customer,date,amount\nC1,2024-03-05,1\nC2,2024-03-06\nC3,2024-03-07,3,extra\nC4,2024-03-08,4\n"
    raw = read_raw(text.encode(), "x.csv")
    assert raw.frame["customer"].tolist() == ["C1", "C4"]
    assert raw.ragged_lines == ("C2,2024-03-06", "C3,2024-03-07,3,extra")
    assert raw.rows_read == 4


def test_blank_and_whitespace_only_lines_are_not_records():
    # Regression: a line of spaces used to be reported as a row with the wrong number of columns.
    text = "a,b\n1,2\n\n   \n\t\n3,4\n"
    raw = read_raw(text.encode(), "x.csv")
    assert raw.ragged_lines == ()
    assert raw.rows_read == 2


def test_a_line_of_empty_fields_is_a_row():
    raw = read_raw(b"a,b\n1,2\n,\n", "x.csv")
    assert _cells(raw) == {"a": ["1", ""], "b": ["2", ""]}


# ---------------------------------------------------------------------------------------------
# Excel


def test_xlsx_with_one_sheet(make_xlsx):
    from datetime import date, datetime

    data = make_xlsx(
        {
            "Orders": [
                ["客户ID", "订单日期", "金额", "会员号"],
                ["C001", datetime(2024, 3, 5), 12.5, "007"],
                ["C002", datetime(2024, 3, 6, 14, 30), 3, 7],
                ["C003", date(2024, 3, 7), 12.0, None],
            ]
        }
    )
    raw = read_raw(data, "orders.xlsx")
    assert raw.problem is None
    assert (raw.info.format, raw.info.sheets, raw.info.encoding, raw.info.delimiter) == (
        "excel",
        ("Orders",),
        None,
        None,
    )
    # Cells become the text a CSV export would hold: midnight datetimes as dates, whole
    # floats without ".0", and text cells untouched (the leading zeros of "007" survive).
    assert _cells(raw) == {
        "客户ID": ["C001", "C002", "C003"],
        "订单日期": ["2024-03-05", "2024-03-06 14:30:00", "2024-03-07"],
        "金额": ["12.5", "3", "12"],
        "会员号": ["007", "7", ""],
    }


def test_xlsx_with_several_sheets_reads_the_first_and_lists_all(make_xlsx):
    data = make_xlsx(
        {
            "Summary": [["note"], ["see orders"]],
            "Orders": [["customer", "amount"], ["C1", 5]],
            "Empty": [],
        }
    )
    assert sniff(data, "book.xlsx").info.sheets == ("Summary", "Orders", "Empty")
    raw = read_raw(data, "book.xlsx")
    assert raw.info.sheets == ("Summary", "Orders", "Empty")
    assert _cells(raw) == {"note": ["see orders"]}


def test_xlsx_sheet_choice(make_xlsx):
    data = make_xlsx(
        {
            "Summary": [["note"], ["see orders"]],
            "Orders": [["customer", "amount"], ["C1", 5], ["C2", 7.25]],
        }
    )
    raw = read_raw(data, "book.xlsx", sheet="Orders")
    assert _cells(raw) == {"customer": ["C1", "C2"], "amount": ["5", "7.25"]}


@pytest.mark.parametrize(
    ("sheet", "problem"),
    [
        pytest.param("Nope", ("ingest.no_such_sheet", {"sheet": "Nope"}), id="no-such-sheet"),
        pytest.param("Empty", ("ingest.empty_sheet", {"sheet": "Empty"}), id="empty-sheet"),
    ],
)
def test_xlsx_bad_sheet_choice(make_xlsx, sheet, problem):
    data = make_xlsx({"Orders": [["customer", "amount"], ["C1", 5]], "Empty": []})
    raw = read_raw(data, "book.xlsx", sheet=sheet)
    assert raw.problem is not None
    assert (raw.problem.key, raw.problem.params) == problem


def test_xlsx_header_only(make_xlsx):
    raw = read_raw(make_xlsx({"Orders": [["customer", "amount"]]}), "book.xlsx")
    assert raw.problem is not None
    assert (raw.problem.key, raw.problem.params) == (
        "ingest.header_only",
        {"columns": "customer, amount"},
    )


def test_xlsx_used_area_below_row_one(make_xlsx, ingest):
    # Regression: with blank rows above the header, the first blank row was taken for the header.
    data = make_xlsx(
        {
            "Orders": [
                [None],
                [None],
                [None, "customer_id", "order_date", "amount"],
                [None, "C1", "2024-01-05", 10],
                [None, None, "2024-01-06", 5],
            ]
        }
    )
    raw = read_raw(data, "orders.xlsx")
    assert _cells(raw) == {
        "customer_id": ["C1", ""],
        "order_date": ["2024-01-05", "2024-01-06"],
        "amount": ["10", "5"],
    }
    # The header is on Excel's row 3, so the row without a customer id is row 5.
    sample = ingest(data, filename="orders.xlsx").report.samples["missing_customer_id"]
    assert sample["row"].tolist() == [5]


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("Tea", id="no-quotes-vectorised"),
        pytest.param('"Tea, green"', id="quotes-csv-module"),
    ],
)
def test_row_numbers_skip_blank_and_ragged_lines(cell):
    # Lines: 1 header, 2 row, 3 empty, 4 ragged, 5 spaces, 6 delimiters only (wrong width:
    # a blank line), 7 row of empty cells (right width: a row), 8 row, 9 ragged.
    text = f"a,b,c\n1,{cell},3\n\n4,5\n   \n,,,,\n,,\n7,8,9\n10,11,12,13\n"
    raw = read_raw(text.encode(), "x.csv")
    assert raw.ragged_lines == ("4,5", "10,11,12,13")
    assert raw.row_numbers.tolist() == [2, 7, 8]
    assert raw.ragged_row_numbers == (4, 9)
    assert raw.spreadsheet_rows(np.array([0, 2])).tolist() == [2, 8]


def test_row_numbers_are_not_stored_when_rows_follow_the_header_directly():
    raw = read_raw(b"a,b\n1,2\n3,4\n\n\n", "x.csv")  # trailing blank lines shift nothing
    assert raw.row_numbers is None
    assert raw.spreadsheet_rows(np.array([0, 1])).tolist() == [2, 3]
