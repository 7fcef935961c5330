"""A corpus of hostile uploads, generated here: each gets its specific message or exact row counts.

Every case asserts either the Problem key (and that both catalogs have it) or the exact
numbers of rows kept and set aside, never only "no exception".
"""

from __future__ import annotations

import codecs
import gzip
import random

import pytest

from core.i18n import EN, ZH
from core.ingest import RowPolicy, read_raw, sniff

HEADER = "customer_id,order_date,amount\n"
ALL_GROUPS = [("customer_id",), ("order_date",), ("amount", "unit_price")]


def _assert_problem(result, key: str, params: dict | None = None) -> None:
    assert result.problem is not None, "expected a problem, got a table"
    assert result.problem.key == key
    if params is not None:
        assert result.problem.params == params
    assert key in EN, f"{key} missing from the English catalog"
    assert key in ZH, f"{key} missing from the Chinese catalog"


def _assert_counts(result, kept: int, set_aside: dict[str, int]) -> None:
    assert result.problem is None, result.problem
    report = result.report
    assert (report.rows_kept, report.set_aside) == (kept, set_aside)
    assert len(result.table) == kept
    assert report.balanced


def _random_bytes(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


# ---------------------------------------------------------------------------------------------
# Files that cannot be used at all


@pytest.mark.parametrize(
    ("data", "filename", "key"),
    [
        pytest.param(b"", "empty.csv", "ingest.empty_file", id="zero-bytes"),
        pytest.param(b"  \n\t\r\n   \n", "blank.csv", "ingest.empty_file", id="whitespace-only"),
        pytest.param(codecs.BOM_UTF8, "bom.csv", "ingest.empty_file", id="bom-only"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n" + _random_bytes(4096), "photo.csv", "ingest.binary_file", id="png"
        ),
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            "report.csv",
            "ingest.binary_file",
            id="pdf",
        ),
        pytest.param(
            gzip.compress(HEADER.encode() + b"C1,2024-01-01,1\n"),
            "orders.csv.gz",
            "ingest.binary_file",
            id="gzip",
        ),
        pytest.param(
            _random_bytes(4096, seed=11), "junk.bin", "ingest.binary_file", id="random-bytes"
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "old.xls",
            "ingest.legacy_xls",
            id="legacy-xls-ole",
        ),
        # Excel saves a password-protected workbook in an OLE container, whatever its age.
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "protected.xlsx",
            "ingest.bad_excel",
            id="password-protected-xlsx",
        ),
        pytest.param(
            b"PK\x03\x04" + _random_bytes(300),
            "broken.xlsx",
            "ingest.bad_excel",
            id="zip-that-is-no-workbook",
        ),
    ],
)
def test_unusable_files(ingest, data, filename, key):
    _assert_problem(ingest(data, filename=filename), key, {})


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(HEADER, id="header"),
        pytest.param(HEADER + "\n\n  \n", id="header-and-blank-lines"),
    ],
)
def test_header_only(ingest, text):
    _assert_problem(
        ingest(text), "ingest.header_only", {"columns": "customer_id, order_date, amount"}
    )


def test_file_over_the_size_limit(ingest):
    data = (HEADER + "C1,2024-01-01,10\n" * 2000).encode()  # 34,030 bytes
    result = ingest(data, max_bytes=10_000)
    # Sizes in MiB, like Streamlit's server.maxUploadSize that the page passes on.
    _assert_problem(
        result, "ingest.too_large", {"size_mb": 34_030 / 2**20, "limit_mb": 10_000 / 2**20}
    )
    assert len(data) == 34_030
    # No order ID: 2,000 identical lines are 2,000 purchases (the default row policy).
    result = ingest(data, max_bytes=len(data))
    _assert_counts(result, kept=2000, set_aside={})
    assert result.report.rule_counts["identical_rows"] == 1999


def test_size_limit_reads_back_in_the_configured_unit():
    # Regression: a 500 MB upload limit (500 * 1024 * 1024 bytes) was reported as "524 MB".
    limit = 5 * 1024 * 1024
    problem = sniff(b"a,b\n" * (limit // 4 + 1), "big.csv", max_bytes=limit).problem
    assert (problem.key, problem.params["limit_mb"]) == ("ingest.too_large", 5.0)


def test_a_thousand_columns(ingest):
    header = ",".join(f"c{i}" for i in range(1000))
    row = ",".join(str(i) for i in range(1000))
    _assert_problem(
        ingest(f"{header}\n{row}\n"), "ingest.too_many_columns", {"n": 1000, "limit": 500}
    )


# ---------------------------------------------------------------------------------------------
# Files that read, but not as a usable table


def test_no_column_usable_as_customer_id_date_or_amount(ingest):
    text = "Name,Note,Phone\nAnn,likes tea,555-0100\nBo,likes coffee,555-0101\n"
    _assert_problem(
        ingest(text),
        "ingest.missing_required",
        {"fields": ALL_GROUPS, "columns": ["Name", "Note", "Phone"]},
    )


def test_only_the_amount_is_missing(ingest):
    text = "customer,date,notes\nC1,2024-01-01,first\nC2,2024-01-02,second\n"
    _assert_problem(
        ingest(text),
        "ingest.missing_required",
        {"fields": [("amount", "unit_price")], "columns": ["customer", "date", "notes"]},
    )


def test_wrong_delimiter_forced_gives_one_column_and_missing_fields(ingest):
    text = HEADER + "C1,2024-01-01,10\nC2,2024-01-02,12\n"
    raw = read_raw(text.encode(), "orders.csv", delimiter=";")
    assert list(raw.frame.columns) == ["customer_id,order_date,amount"]
    # The one column's name contains "customer id", so the guess gives it to customer_id;
    # date and amount are still needed, and the message lists the single odd column.
    _assert_problem(
        ingest(text, delimiter=";"),
        "ingest.missing_required",
        {
            "fields": [("order_date",), ("amount", "unit_price")],
            "columns": ["customer_id,order_date,amount"],
        },
    )


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(
            "客户ID,订单日期,金额\nC1,2024-01-01,10\n".encode("gbk"),
            "utf-8",
            id="utf8-forced-on-gbk",
        ),
        pytest.param("name,amount\nZoë,10\n".encode("cp1252"), "utf-8", id="utf8-forced-on-cp1252"),
        pytest.param("name,amount\nZoë,10\n".encode(), "utf-16", id="utf16-forced-on-utf8"),
        pytest.param(
            codecs.BOM_UTF16_LE + "name\tamount\r\nZoë\t10\r\n".encode("utf-16-le"),
            "gb18030",
            id="gb18030-forced-on-utf16",
        ),
    ],
)
def test_wrong_encoding_forced(ingest, data, encoding):
    _assert_problem(ingest(data, encoding=encoding), "ingest.bad_encoding", {"encoding": encoding})


def test_all_dates_unparseable(ingest):
    text = HEADER + "C1,next tuesday,10\nC2,TBD,12\nC3,??,9\nC4,,3\n"
    _assert_problem(
        ingest(text),
        "ingest.no_dates",
        {"column": "order_date", "examples": "next tuesday, TBD, ??"},
    )


def test_all_amounts_unparseable(ingest):
    text = HEADER + "C1,2024-01-01,ten\nC2,2024-01-02,free\n"
    _assert_problem(
        ingest(text), "ingest.no_amounts", {"column": "amount", "examples": "ten, free"}
    )


# ---------------------------------------------------------------------------------------------
# Files with some bad rows: exact counts


def test_text_in_number_columns(ingest):
    text = (
        HEADER
        + "C1,2024-01-01,10\nC2,2024-01-02,ten\nC3,2024-01-03,12.5\nC4,2024-01-04,see note\nC5,2024-01-05,€\nC6,2024-01-06,$7\n"
    )
    result = ingest(text)
    _assert_counts(result, kept=3, set_aside={"unparseable_amount": 3})
    sample = result.report.samples["unparseable_amount"]
    assert sample[["row", "customer_id", "amount"]].values.tolist() == [
        [3, "C2", "ten"],
        [5, "C4", "see note"],
        [6, "C5", "€"],
    ]


def test_impossible_dates(ingest):
    text = (
        HEADER
        + "C1,2024-02-29,1\nC2,2023-02-29,2\nC3,2024-02-30,3\nC4,31/04/2024,4\nC5,2024-13-01,5\nC6,30/04/2024,6\nC7,9999-12-31,7\n"
    )
    result = ingest(text)
    _assert_counts(result, kept=2, set_aside={"unparseable_date": 5})
    assert result.report.samples["unparseable_date"]["customer_id"].tolist() == [
        "C2",
        "C3",
        "C4",
        "C5",
        "C7",
    ]


def test_ragged_rows(ingest):
    text = (
        HEADER
        + "C1,2024-01-01,1\nC2,2024-01-02\nC3,2024-01-03,3,,\nC4\nC5,2024-01-05,5\n"
        + '"C6, Jr",2024-01-06\n'
    )
    result = ingest(text)
    _assert_counts(result, kept=2, set_aside={"ragged_row": 4})
    assert result.report.samples["ragged_row"]["row"].tolist() == [3, 4, 5, 7]
    assert result.report.samples["ragged_row"]["line"].tolist()[:3] == [
        "C2,2024-01-02",
        "C3,2024-01-03,3,,",
        "C4",
    ]


def test_every_row_ragged(ingest):
    result = ingest(HEADER + "C1\nC2\nC3,2024-01-01,1,1\n")
    _assert_counts(result, kept=0, set_aside={"ragged_row": 3})


def test_formula_like_cells_are_kept_as_text_and_noted(ingest):
    text = (
        "customer_id,order_date,amount,product\n"
        "\"=cmd|' /C calc'!A0\",2024-01-01,10,Tea\n"
        "C2,2024-01-02,11,+SUM(1)\n"
        "C3,2024-01-03,12,@x\n"
        "C4,2024-01-04,13,-2+3\n"
        "C5,2024-01-05,-2+3,Tea\n"
    )
    result = ingest(text)
    # The last row's amount "-2+3" is not a number: set aside, not evaluated.
    _assert_counts(result, kept=4, set_aside={"unparseable_amount": 1})
    assert result.table["customer_id"].tolist() == ["=cmd|' /C calc'!A0", "C2", "C3", "C4"]
    assert result.table["product"].tolist() == ["Tea", "+SUM(1)", "@x", "-2+3"]
    notes = [(n.key, n.params) for n in result.report.notes]
    assert notes == [
        ("note.formula_cells", {"column": "customer_id", "count": 1}),
        ("note.formula_cells", {"column": "product", "count": 3}),
    ]
    assert "note.formula_cells" in EN and "note.formula_cells" in ZH


@pytest.mark.parametrize("position", [40, 20_000], ids=["in-first-8kb", "further-in"])
def test_nul_bytes_in_the_middle(ingest, position):
    # Regression: a NUL in the first 8 KB used to make the whole file "binary", while one
    # further in stayed inside a customer id. Stray NULs are now dropped wherever they are.
    body = "".join(f"C{i},2024-01-{i % 28 + 1:02d},{i}.50\n" for i in range(1500))
    data = (HEADER + body).encode()
    cut = data.index(b"\n", position) - 2  # inside the last field of some line
    damaged = data[:cut] + b"\x00\x00" + data[cut:]
    result = ingest(damaged)
    _assert_counts(result, kept=1500, set_aside={})
    assert not result.table["customer_id"].astype(str).str.contains("\x00").any()
    # Nothing silent: the removal is reported.
    assert [(n.key, n.params) for n in result.report.notes] == [("note.nul_bytes", {"count": 2})]


def test_several_sheets(ingest, make_xlsx):
    data = make_xlsx(
        {
            "Read me": [["This workbook holds the 2024 orders"]],
            "Orders": [
                ["customer_id", "order_date", "amount"],
                ["C1", "2024-01-05", 10],
                ["C2", "2024-01-06", "ten"],
                [None, "2024-01-07", 5],
            ],
            "Returns": [["customer_id", "order_date", "amount"], ["C1", "2024-02-01", -10]],
        }
    )
    raw = read_raw(data, "book.xlsx")
    # Several sheets: the page asks which one; the first is read until then.
    assert raw.info.sheets == ("Read me", "Orders", "Returns")
    assert list(raw.frame.columns) == ["This workbook holds the 2024 orders"]
    _assert_problem(ingest(data, filename="book.xlsx"), "ingest.header_only")
    _assert_counts(
        ingest(data, filename="book.xlsx", sheet="Orders"),
        kept=1,
        set_aside={"missing_customer_id": 1, "unparseable_amount": 1},
    )
    _assert_counts(
        ingest(data, filename="book.xlsx", sheet="Returns"), kept=0, set_aside={"return_refund": 1}
    )


@pytest.mark.parametrize("zero_amounts", ["keep", "set_aside"])
def test_huge_file_with_exact_counts(ingest, zero_amounts):
    """200,000 generated lines with bad rows planted at known positions."""
    n = 200_000
    lines = []
    for i in range(n):
        if i % 1000 == 1:  # 200 rows without a customer id
            lines.append(f"O{i},,2024-01-01,5.00")
        elif i % 1000 == 2:  # 200 unreadable dates
            lines.append(f"O{i},C{i % 5000},2024-02-30,5.00")
        elif i % 1000 == 3:  # 200 returns
            lines.append(f"O{i},C{i % 5000},2024-01-01,-5.00")
        elif i % 1000 == 4:  # 200 ragged lines
            lines.append(f"O{i},C{i % 5000},2024-01-01")
        elif i % 1000 == 5:  # 200 exact copies of the line before (a return, see above)
            lines.append(lines[i - 2])
        else:
            lines.append(
                f"O{i},C{i % 5000},2023-{i % 12 + 1:02d}-{i % 28 + 1:02d},{i % 500}.{i % 100:02d}"
            )
    text = "order_id,customer_id,order_date,amount\n" + "\n".join(lines) + "\n"
    result = ingest(text, policy=RowPolicy("set_aside", zero_amounts))
    # Line i % 1000 == 5 repeats line i - 2 (a return): with order IDs an identical line is
    # a duplicate by default. The other lines have amount "0.00" where i % 500 == 0 (then
    # i % 100 == 0 too): i = 0, 500, 1000, ... (400 zero amounts), kept unless chosen.
    zero = 400 if zero_amounts == "set_aside" else 0
    _assert_counts(
        result,
        kept=n - 200 * 5 - zero,
        set_aside={
            "ragged_row": 200,
            "missing_customer_id": 200,
            "unparseable_date": 200,
            "duplicate": 200,
            "return_refund": 200,
            **({"zero_amount": 400} if zero else {}),
        },
    )
    assert result.report.policy == RowPolicy("set_aside", zero_amounts)
    assert result.report.rule_counts == {"identical_rows": 200, "zero_amounts": 400}
    assert result.report.rows_read == n
    assert result.report.samples["ragged_row"]["row"].tolist()[:2] == [6, 1006]
    assert result.report.samples["duplicate"]["row"].tolist()[:2] == [7, 1007]
