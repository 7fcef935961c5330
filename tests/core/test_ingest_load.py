"""The one load path (core.ingest.load): what the Upload page shows before loading, and the load.

`preview_file` reads every row once (streamed where the file streams) and keeps only
the first rows; its row count, mapping guess, row-rule counts and day/month questions
must be what `read_raw` + `guess_mapping` + `policy_counts` / `needs_date_order` give
on the whole frame (the Upload page's figures before it stopped holding the frame),
and what the loaded table's report says. `ingest_file(mapping=, settings=)` must give
the table `read_raw(settings)` + `build_table(mapping)` gives.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import core.ingest.load as load
from core.ingest import (
    FilePreview,
    ReadSettings,
    RowPolicy,
    build_table,
    guess_mapping,
    ingest_file,
    needs_date_order,
    policy_counts,
    preview_file,
    preview_table,
    read_raw,
    survey_file,
    survey_rows,
)
from core.problems import Problem
from tests.core.test_ingest_chunks import assert_same

TODAY = date(2024, 6, 30)


def _orders(late_day_first: bool = True) -> bytes:
    """30 lines over several 200-byte blocks: identical lines, zero amounts, a line without
    a customer ID, and slash dates that only the last line decides (13/05: day first)."""
    lines = ["customer_id,order_date,amount"]
    for i in range(1, 29):
        lines.append(f"C{i % 7},0{i % 9 + 1}/0{i % 3 + 1}/2024,{(i % 4) * 5}.00")
    lines.append(lines[3])  # identical to line 3
    lines.append(",01/02/2024,0.00")  # no customer ID: not counted by the rules
    lines.append(f"C1,{'13/05/2024' if late_day_first else '05/05/2024'},12.00")
    return ("\n".join(lines) + "\n").encode()


def _whole_frame_figures(data: bytes, kind: str = "transactions", **read):
    """What the Upload page computed before, on the whole frame."""
    raw = read_raw(data, "x.csv", **read)
    mapping = guess_mapping(raw.frame, kind).columns
    return raw, mapping, policy_counts(raw, kind, mapping), needs_date_order(raw, kind, mapping)


@pytest.mark.parametrize("late_day_first", [True, False], ids=["decided-late", "ambiguous"])
def test_preview_of_a_streamed_file_has_the_whole_frames_figures(late_day_first):
    data = _orders(late_day_first)
    raw, mapping, counts, asks = _whole_frame_figures(data)
    preview = preview_file(data, "x.csv", "transactions", block_bytes=200)
    assert preview.problem is None
    assert preview.rows_read == raw.rows_read == 31
    pd.testing.assert_frame_equal(preview.head, raw.frame.head(len(preview.head)))
    assert preview.guess.columns == mapping
    # Counted by hand: line 29 repeats line 3; lines with amount 0 (i % 4 == 0: i = 4, 8,
    # ..., 28, seven of them) are zero amounts; the line without an ID counts for neither.
    assert preview.survey.rule_counts == counts == {"identical_rows": 1, "zero_amounts": 7}
    questions = [(q.column, q.evidence) for q in preview.survey.date_questions]
    assert questions == asks == ([] if late_day_first else [("order_date", "ambiguous")])
    if not late_day_first:
        # The examples are the column's first three cells, as the page showed them.
        assert preview.survey.date_questions[0].examples == tuple(raw.frame["order_date"][:3])
    # And the loaded table's report agrees with what was shown before loading.
    result = ingest_file(data, "x.csv", "transactions", mapping=mapping, date_order="dmy")
    assert result.report.rule_counts == preview.survey.rule_counts


def test_the_preview_holds_only_its_first_rows():
    # 60,000 rows: the head is 2,000 rows that share no buffer with the file's cells.
    lines = ["customer_id,order_date,amount"] + [
        f"C{i:06d},2024-01-{i % 28 + 1:02d},{i % 97}.50" for i in range(60_000)
    ]
    data = ("\n".join(lines) + "\n").encode()
    preview = preview_file(data, "big.csv", "transactions")
    assert preview.rows_read == 60_000 and len(preview.head) == 2_000

    def cells_bytes(frame: pd.DataFrame) -> int:
        """Bytes of the Arrow buffers a frame's text columns keep alive (a slice keeps all).

        (pandas' own Arrow array: converting it with pa.chunked_array would copy the slice.)
        """
        return sum(frame[name].array._pa_array.get_total_buffer_size() for name in frame)

    whole = cells_bytes(read_raw(data, "big.csv").frame)
    assert whole > 2_000_000
    assert cells_bytes(preview.head) < whole / 8  # 2,000 of 60,000 rows: about 1/30


@pytest.mark.parametrize(
    ("data", "settings"),
    [
        # Quotation marks as text: read_raw's csv-module reader.
        (b'id,comment,score\n1,"so "good",5\n2,fine,4\n1,"so "good",5\n', ReadSettings()),
        # Lines in two encodings (read_raw reads each line in its own).
        (
            "customer_id,order_date,amount,product\nC1,2024-01-05,5.00,Café\n".encode()
            + "C2,2024-01-06,0.00,Crème\n".encode("cp1252"),
            ReadSettings(encoding="cp1252"),
        ),
        # No header line, as the user says.
        (b"C1,2024-01-05,5.00\nC1,2024-01-05,5.00\nC2,2024-01-06,0\n", ReadSettings(header=False)),
    ],
    ids=["quotes-as-text", "mixed-encoding", "no-header"],
)
def test_files_read_whole_preview_and_load_as_before(data, settings):
    kind = "feedback" if data.startswith(b"id,comment") else "transactions"
    read = {k: v for k, v in vars(settings).items() if v is not None}
    raw, mapping, counts, asks = _whole_frame_figures(data, kind, **read)
    preview = preview_file(data, "x.csv", kind, settings)
    assert preview.problem is None
    assert preview.rows_read == raw.rows_read
    assert preview.columns == list(raw.frame.columns)
    assert (preview.mixed_encoding, preview.utf8_as_single_byte) == (
        raw.mixed_encoding,
        raw.utf8_as_single_byte,
    )
    assert preview.guess.columns == mapping
    assert preview.survey.rule_counts == counts
    assert [(q.column, q.evidence) for q in preview.survey.date_questions] == asks
    before = build_table(raw, kind, mapping, today=TODAY)
    assert_same(
        before, ingest_file(data, "x.csv", kind, mapping=mapping, settings=settings, today=TODAY)
    )


def test_a_workbook_sheet_previews_and_loads_as_read_raw_reads_it(make_xlsx):
    data = make_xlsx(
        {
            "Notes": [["nothing here"]],
            "Orders": [
                ["customer_id", "order_date", "amount"],
                ["C1", "2024-01-05", 10],
                ["C1", "2024-01-05", 10],
                ["C2", "2024-01-06", 0],
            ],
        }
    )
    settings = ReadSettings(sheet="Orders", header=True)
    preview = preview_file(data, "book.xlsx", "transactions", settings)
    assert preview.info.format == "excel" and preview.rows_read == 3
    assert preview.survey.rule_counts == {"identical_rows": 1, "zero_amounts": 1}
    raw = read_raw(data, "book.xlsx", sheet="Orders", header=True)
    before = build_table(raw, "transactions", preview.guess.columns, today=TODAY)
    loaded = ingest_file(
        data,
        "book.xlsx",
        "transactions",
        mapping=preview.guess.columns,
        settings=settings,
        today=TODAY,
    )
    assert_same(before, loaded)
    assert loaded.report.rows_kept == 3


def test_a_problem_comes_back_as_the_readers_problem():
    preview = preview_file(b"customer,date,amount\n", "x.csv", "transactions")
    assert preview == FilePreview(
        None, problem=Problem("ingest.header_only", {"columns": "customer, date, amount"})
    )
    survey = survey_file(b"", "x.csv", "transactions", {})
    assert survey.problem == Problem("ingest.empty_file")
    result = ingest_file(b"", "x.csv", "transactions", mapping={})
    assert result.problem == Problem("ingest.empty_file")


def test_survey_reads_again_only_for_a_column_it_depends_on(monkeypatch):
    data = _orders()
    preview = preview_file(data, "x.csv", "transactions")
    reads = []
    real = load.open_stream
    monkeypatch.setattr(load, "open_stream", lambda *a, **k: reads.append(1) or real(*a, **k))
    guessed = dict(preview.guess.columns)
    assert survey_file(data, "x.csv", "transactions", guessed, preview=preview) is preview.survey
    assert reads == []
    # Product is not read by the survey: still no second read.
    assert (
        survey_file(
            data, "x.csv", "transactions", {**guessed, "product": "amount"}, preview=preview
        )
        is preview.survey
    )
    # Without a customer ID the line without one counts: read again, one more zero amount.
    other = survey_file(
        data, "x.csv", "transactions", {**guessed, "customer_id": None}, preview=preview
    )
    assert reads == [1]
    assert other.rule_counts == {"identical_rows": 1, "zero_amounts": 8}
    assert (
        other.rule_counts
        == survey_rows(
            read_raw(data, "x.csv"), "transactions", {**guessed, "customer_id": None}
        ).rule_counts
    )


def test_preview_table_is_the_first_rows_as_they_will_be_read():
    data = _orders(late_day_first=False)
    preview = preview_file(data, "x.csv", "transactions")
    mapping = preview.guess.columns
    shown = preview_table(preview, "transactions", mapping, date_order="mdy", today=TODAY, rows=5)
    raw = read_raw(data, "x.csv")
    head = build_table(
        type(raw)(raw.frame.head(5), raw.info),
        "transactions",
        mapping,
        date_order="mdy",
        today=TODAY,
    )
    pd.testing.assert_frame_equal(shown.table, head.table)
    assert shown.table["order_date"].iloc[2] == pd.Timestamp("2024-04-01")  # 04/01 month first


def test_ingest_notes_are_problems_of_severity_info():
    data = b"customer_id,order_date,amount\nC1,2024-01-05,1.5\nC1,2024-01-05,1.5\nC2,2024-01-06,0\n"
    report = ingest_file(data, "x.csv", "transactions", today=TODAY).report
    assert report.notes == (
        Problem("note.identical_lines_kept", {"count": 1}, "info"),
        Problem("note.zero_amounts_kept", {"count": 1}, "info"),
    )


def test_reasons_table_of_the_quality_page():
    # The Data quality page's table: rows and share of the rows read per reason, in
    # REASONS order (the shares the page showed: 1 of 6 and 2 of 6).
    data = (
        b"customer_id,order_date,amount,order_id\n"
        b"C1,2024-01-05,10,A1\nC1,2024-01-05,10,A1\n,2024-01-05,3,A2\n"
        b"C2,2024-01-06,-4,A3\nC3,2024-01-07,5,A4\nC4,2024-01-08,6,A5\n"
    )
    report = ingest_file(
        data, "x.csv", "transactions", today=TODAY, policy=RowPolicy("set_aside")
    ).report
    table = report.reasons_table()
    assert table["reason"].tolist() == ["missing_customer_id", "duplicate", "return_refund"]
    assert table["rows"].tolist() == [1, 1, 1]
    assert table["share"].tolist() == pytest.approx([1 / 6, 1 / 6, 1 / 6])
    kept = ingest_file(
        b"customer_id,order_date,amount\nC1,2024-01-05,1\n", "x.csv", "transactions", today=TODAY
    )
    assert kept.report.reasons_table().empty
