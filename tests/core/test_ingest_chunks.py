"""Building in chunks (and streaming a file) gives exactly the table and report of one pass.

`build_table(..., chunk_rows=k)` and `ingest_file` (which streams delimited text
through `open_stream`) must agree with the whole-frame build on every row, reason,
sample, note and type, including where a chunk alone would decide differently from
the whole column (day/month order, decimal mark, float-written ids, the "C" prefix,
duplicates in different chunks).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from core.ingest import (
    StreamSource,
    build_from_source,
    build_table,
    guess_mapping,
    ingest_file,
    open_stream,
    read_raw,
)
from core.ingest.build import SAMPLE_SIZE

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2024, 6, 30)


def assert_same(a, b, label: str = "") -> None:
    assert a.problem == b.problem, label
    if a.table is None:
        assert b.table is None, label
        return
    pd.testing.assert_frame_equal(a.table, b.table, check_exact=True, obj=label)
    ra, rb = a.report, b.report
    for attr in ("kind", "rows_read", "rows_kept", "set_aside", "notes", "returns_rows"):
        assert getattr(ra, attr) == getattr(rb, attr), (label, attr)
    assert ra.returns_value == pytest.approx(rb.returns_value, rel=1e-12, abs=1e-9)
    assert list(ra.samples) == list(rb.samples), label
    for name in ra.samples:
        pd.testing.assert_frame_equal(ra.samples[name], rb.samples[name], obj=f"{label}:{name}")
    assert a.fingerprint == b.fingerprint, label
    assert rb.balanced


def whole(data: bytes, kind: str = "transactions", filename: str = "x.csv", **options):
    raw = read_raw(data, filename)
    if raw.problem is not None:
        return raw, None, None
    mapping = guess_mapping(raw.frame, kind).columns
    return raw, mapping, build_table(raw, kind, mapping, chunk_rows=10**9, **options)


def streamed(data: bytes, kind: str, mapping, block_bytes: int, filename: str = "x.csv", **opts):
    """open_stream + build_from_source, asserting the file really was read in several chunks."""
    stream = open_stream(data, filename, block_bytes=block_bytes)
    assert isinstance(stream, StreamSource)
    assert guess_mapping(stream.head, kind).columns == mapping
    chunks = []
    original = stream.chunks

    def counted():
        for chunk in original():
            chunks.append(len(chunk))
            yield chunk

    stream.chunks = counted  # type: ignore[method-assign]
    result = build_from_source(stream, kind, mapping, **opts)
    assert len(chunks) > 1, "the file fit in one block: make it longer or the block smaller"
    return result


def check_all_ways(data: bytes, kind: str = "transactions", *, block_bytes: int = 80, **opts):
    raw, mapping, one = whole(data, kind, **opts)
    assert one is not None and one.problem is None
    for k in (1, 2, 3, 7) if len(raw.frame) < 300 else (97, 1000):
        assert_same(one, build_table(raw, kind, mapping, chunk_rows=k, **opts), f"chunk_rows={k}")
    assert_same(one, streamed(data, kind, mapping, block_bytes, **opts), "streamed")
    assert_same(one, ingest_file(data, "x.csv", kind, block_bytes=block_bytes, **opts), "file")
    return one


TX = "customer_id,order_date,amount,order_id,status\n"


def test_every_reason_across_chunk_boundaries():
    rows = [
        "C1,2024-01-05,10.00,1001,paid",
        ",2024-01-05,10.00,1002,paid",  # missing id
        "C2,,10.00,1003,paid",  # missing date
        "C3,2024-02-30,10.00,1004,paid",  # unparseable date
        "C4,2024-01-06,,1005,paid",  # missing amount
        "C5,2024-01-06,abc,1006,paid",  # unparseable amount
        "C6,2030-01-01,5.00,1007,paid",  # future
        "C1,2024-01-05,10.00,1001,paid",  # duplicate of the first row, chunks later
        "C7,2024-01-07,-4.00,1008,paid",  # return
        "C8,2024-01-07,4.00,C1009,paid",  # cancelled by prefix (ids mostly digits)
        "C9,2024-01-07,4.00,1010,refunded",  # return by status
        "C9,2024-01-08,0,1011,paid",  # zero amount
        ",,,,",  # empty
        "C10,2024-01-09,=HYPERLINK(1),1012,paid",
        "C11,2024-01-09,7.50,1013,paid",
    ]
    one = check_all_ways((TX + "\n".join(rows * 3) + "\n").encode(), today=TODAY)
    # Row 8 repeats row 1; the second and third copies of the block repeat the first,
    # except the 8 rows an earlier reason sets aside (empty, missing or unreadable
    # id, date or amount, future date).
    assert one.report.set_aside["duplicate"] == 1 + 2 * (15 - 8)


def test_day_month_order_decided_by_a_late_chunk():
    # Early chunks are ambiguous (read day-first on their own); a late one is month-first.
    rows = [f"C{i},0{1 + i % 9}/0{1 + (i + 1) % 8}/2024,1.00,{i}" for i in range(40)]
    rows.append("C99,03/25/2024,2.00,99")
    one = check_all_ways(("customer_id,order_date,amount,order_id\n" + "\n".join(rows)).encode())
    assert one.table["order_date"].iloc[0] == pd.Timestamp("2024-01-02")  # 01/02 month-first


def test_day_month_order_given_by_the_user():
    rows = [f"C{i},0{1 + i % 9}/0{1 + i % 8}/2024,1.00" for i in range(40)]
    data = ("customer_id,order_date,amount\n" + "\n".join(rows)).encode()
    check_all_ways(data, date_order="mdy")
    check_all_ways(data, date_order="dmy")


def test_decimal_comma_decided_by_the_whole_column():
    # A semicolon file whose first rows only have dot-like thousands; later rows decide comma.
    rows = [f"C{i};2024-01-{1 + i % 28:02d};1.234" for i in range(30)]
    rows += [f"D{i};2024-02-{1 + i % 28:02d};{i},5" for i in range(40)]
    one = check_all_ways(
        ("customer_id;order_date;amount\n" + "\n".join(rows)).encode(), today=TODAY
    )
    assert ("note.decimal_comma", {"column": "amount"}) in [
        (n.key, n.params) for n in one.report.notes
    ]


@pytest.mark.parametrize("late", ["17999.0", "A17999"], ids=["all-float", "one-not-float"])
def test_float_written_ids_need_every_chunk(late):
    rows = [f"{17850 + i}.0,2024-01-{1 + i % 28:02d},3.00" for i in range(30)] + [
        f"{late},2024-02-01,3.00"
    ]
    one = check_all_ways(("CustomerID,InvoiceDate,amount\n" + "\n".join(rows)).encode())
    first = one.table["customer_id"].iloc[0]
    assert first == ("17850" if late == "17999.0" else "17850.0")


@pytest.mark.parametrize("digits", [30, 5], ids=["mostly-digits", "mostly-codes"])
def test_cancellation_prefix_decided_over_the_whole_file(digits):
    rows = [f"C{i},2024-01-0{1 + i % 9},2.00,{536000 + i}" for i in range(digits)]
    rows += [f"X{i},2024-01-0{1 + i % 9},2.00,C{537000 + i}" for i in range(10)]
    rows += [f"Y{i},2024-01-0{1 + i % 9},2.00,INV{i}" for i in range(10)]
    one = check_all_ways(("customer,date,amount,InvoiceNo\n" + "\n".join(rows)).encode())
    assert one.report.set_aside.get("return_refund", 0) == (10 if digits == 30 else 0)


def test_duplicate_customers_across_chunks():
    rows = [f"C{i % 13},2024-01-0{1 + i % 9},north" for i in range(45)]
    one = check_all_ways(
        ("customer_id,signup_date,region\n" + "\n".join(rows)).encode(), "customers"
    )
    assert one.report.set_aside["duplicate_customer"] == 45 - 13


def test_samples_capped_across_chunks_with_blank_and_ragged_lines():
    lines = []
    for i in range(3 * SAMPLE_SIZE):
        lines.append(f",2024-01-0{1 + i % 9},1.00")  # missing id
        if i % 50 == 0:
            lines.append("")  # blank line: shifts the row numbers
        if i % 97 == 0:
            lines.append("C1,2024-01-01")  # ragged
        lines.append(f"C{i},2024-01-0{1 + i % 9},1.00")
    one = check_all_ways(
        ("customer_id,order_date,amount\n" + "\n".join(lines)).encode(), block_bytes=4096
    )
    sample = one.report.samples["missing_customer_id"]
    assert len(sample) == SAMPLE_SIZE
    # Row 3 is blank and row 4 ragged; then each missing id is followed by a good row.
    assert sample["row"].iloc[:3].tolist() == [2, 6, 8]
    assert one.report.set_aside["ragged_row"] == len(range(0, 3 * SAMPLE_SIZE, 97))


def test_quoted_cells_nul_bytes_and_formula_cells():
    rows = [f'"C{i}","2024-01-0{1 + i % 9}","1,{i:03d}.50","=cmd|{i}"' for i in range(30)]
    data = ("customer_id,order_date,amount,product\n" + "\n".join(rows)).encode()
    data = data.replace(b"C7", b"C\x007")
    one = check_all_ways(data, block_bytes=200)
    keys = [n.key for n in one.report.notes]
    assert "note.nul_bytes" in keys and "note.formula_cells" in keys


@pytest.mark.parametrize("encoding", ["gb18030", "cp1252", "utf-8-sig"])
def test_encodings(encoding):
    name = "王芳" if encoding == "gb18030" else "José"
    symbol = {"gb18030": "元", "cp1252": "€"}.get(encoding, "¥")
    rows = [f"{name}{i},2024-03-{1 + i % 28:02d},{i}.5{symbol}" for i in range(40)]
    data = "客户ID,订单日期,金额\n" if encoding == "gb18030" else "customer_id,order_date,amount\n"
    check_all_ways((data + "\n".join(rows)).encode(encoding), block_bytes=200)


@pytest.mark.parametrize("kind", ["transactions", "customers", "feedback", "campaign"])
def test_demo_data(kind):
    data = (ROOT / "sample_data" / f"{kind}.csv").read_bytes()
    raw, mapping, one = whole(data, kind, f"{kind}.csv")
    assert one is not None
    assert_same(one, build_table(raw, kind, mapping, chunk_rows=997), "chunk_rows=997")
    assert_same(one, streamed(data, kind, mapping, 64 << 10, f"{kind}.csv"), "streamed")
    assert_same(one, ingest_file(data, f"{kind}.csv", kind), "ingest_file")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"customer_id,order_date,amount\n",
        b"customer_id,order_date,amount\nC1,2024-01-01\n",  # only a ragged line
        b"customer_id,order_date,amount,\nC1,2024-01-01,3,\nC2,2024-01-02,4,\n",  # blank name
        "customer_id,order_date,amount\nC1,2024-01-01,3\n".encode("utf-16"),
        b'customer_id,order_date,amount\n"C1\nC2",2024-01-01,3\n',  # newline inside quotes
    ],
    ids=["empty", "header-only", "only-ragged", "unnamed-column", "utf-16", "quoted-newline"],
)
def test_files_the_stream_leaves_to_read_raw_give_the_same_result(data):
    raw, mapping, one = whole(data)
    result = ingest_file(data, "x.csv", "transactions")
    if one is None:
        assert result.problem == raw.problem
    else:
        assert_same(one, result)


def test_stream_cells_and_names_match_read_raw():
    text = " Customer ,amount,amount,Datum\nC1,1,2,2024-01-01\n C2 ,,3,x\n"
    stream = open_stream(text.encode(), "x.csv")
    assert isinstance(stream, StreamSource)
    raw = read_raw(text.encode(), "x.csv")
    pd.testing.assert_frame_equal(stream.head, raw.frame)
    assert stream.columns == list(raw.frame.columns)


def test_huge_chunked_file_counts_every_row():
    buffer = io.StringIO()
    buffer.write("customer_id,order_date,amount\n")
    for i in range(20_000):
        cid = "" if i % 101 == 0 else f"C{i % 977:04d}"
        day = "2024-02-30" if i % 211 == 0 else f"2024-0{1 + i % 6}-{1 + i % 27:02d}"
        buffer.write(f"{cid},{day},{(i % 50) - 3}.25\n")
        if i % 1000 == 0:
            buffer.write(f"{cid},{day},{(i % 50) - 3}.25\n")  # an exact duplicate
    check_all_ways(buffer.getvalue().encode(), block_bytes=32 << 10)
