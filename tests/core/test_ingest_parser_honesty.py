"""Parser honesty: a quotation mark never closed, lines in two encodings, a file without line breaks.

Each gets its specific message (in both catalogs, with the line where it starts), never
a table of one merged row, silent mojibake, or "empty".
"""

from __future__ import annotations

import time

import pytest

from core.i18n import EN, ZH
from core.ingest import build_table, guess_mapping, ingest_file, read_raw
from core.ingest.read import MAX_TEXT_CELLS, runaway_quote

HEADER = "customer_id,order_date,amount"


def _orders(n: int = 10_000) -> list[str]:
    """`n` lines: the header and n - 1 orders, C1 on line 2 … C{n-1} on line n."""
    return [HEADER] + [f"C{i},2024-01-{i % 28 + 1:02d},{i}.50" for i in range(1, n)]


def _messages(problem_or_note) -> tuple[str, str]:
    key, params = problem_or_note.key, problem_or_note.params
    return EN[key].format(**params), ZH[key].format(**params)


@pytest.mark.parametrize("line", [2, 37])
def test_a_quote_never_closed_names_its_line(line):
    # The file: the rows merged into one and the page said "Loaded: 0 of 1 rows kept".
    # (A ragged line 6 keeps the quotes from being taken for text automatically.)
    lines = _orders()
    lines[5] = "C5,2024-01-05,5.50,extra"
    lines[line - 1] = f'C{line - 1},"2024-01-02,37.50'
    data = ("\n".join(lines) + "\n").encode()
    for result in (read_raw(data, "orders.csv"), ingest_file(data, "orders.csv", "transactions")):
        assert result.problem is not None
        assert result.problem.key == "ingest.unterminated_quote"
        assert result.problem.params == {"line": line, "lines": 10_000 - line + 1}
        english, chinese = _messages(result.problem)
        assert f"line {line:,}" in english and f"第 {line:,} 行" in chinese
    # Offered: quotation marks read as text. Every line is then a row or a ragged line.
    raw = read_raw(data, "orders.csv", quotes_as_text=True)
    assert raw.problem is None
    assert raw.info.quotes_as_text
    assert (len(raw.frame), raw.ragged_lines) == (9_998, ("C5,2024-01-05,5.50,extra",))
    row = raw.frame[raw.frame["customer_id"] == f"C{line - 1}"]
    assert row["order_date"].tolist() == ['"2024-01-02']


def test_a_quote_closed_only_by_a_stray_quote_far_below():
    lines = _orders()
    lines[5] = "C5,2024-01-05,5.50,extra"
    lines[36] = 'C36,"2024-01-02,37.50'
    lines[4_999] = 'C4999,2024-01-02",1.00'
    data = ("\n".join(lines) + "\n").encode()
    raw = read_raw(data, "orders.csv")
    assert raw.problem is not None and raw.problem.key == "ingest.unterminated_quote"
    assert raw.problem.params == {"line": 37, "lines": 5_000 - 37 + 1}


def test_a_file_whose_quotes_are_all_text_reads_every_row():
    # Every line as wide as the header: the quote is taken for text without asking.
    lines = _orders()
    lines[36] = 'C36,"2024-01-02,37.50'
    raw = read_raw(("\n".join(lines) + "\n").encode(), "orders.csv")
    assert raw.problem is None and raw.info.quotes_as_text
    assert len(raw.frame) == 9_999


def test_quoted_cells_over_a_few_lines_are_not_a_runaway():
    lines = [HEADER + ",comment"] + [f'C{i},2024-01-01,{i},"fine"' for i in range(1, 500)]
    lines[40] = 'C40,2024-01-01,40,"one\ntwo\nthree, four"'
    raw = read_raw(("\n".join(lines) + "\n").encode(), "orders.csv")
    assert raw.problem is None
    assert len(raw.frame) == 499
    assert raw.frame["comment"].iloc[39] == "one\ntwo\nthree, four"
    assert runaway_quote("a,b\n" * 50 + '"x\n' + "y\n" * 101, ",") == (51, 102)
    assert runaway_quote("a,b\n" * 500, ",") is None


def test_lines_in_utf8_inside_a_windows_1252_file_are_read_in_their_own_encoding():
    lines = [(HEADER + ",product").encode()] + [
        f"C{i},2024-01-05,{i}.00,Tea".encode() for i in range(1, 100)
    ]
    lines[10] = "C10,2024-01-10,3.00,Café crème".encode()  # line 11, UTF-8
    lines[20] = "C20,2024-01-10,3.00,Café noir".encode("cp1252")  # line 21
    lines[30] = "C30,2024-01-10,3.00,Crème brûlée".encode()  # line 31, UTF-8
    data = b"\n".join(lines) + b"\n"
    raw = read_raw(data, "orders.csv")
    assert raw.problem is None
    assert raw.info.encoding == "cp1252"
    assert raw.mixed_encoding == (11, 2)
    # Not "CafÃ© crÃ¨me": each line in its own encoding.
    assert raw.frame["product"].iloc[[9, 19, 29]].tolist() == [
        "Café crème",
        "Café noir",
        "Crème brûlée",
    ]
    result = ingest_file(data, "orders.csv", "transactions")
    notes = [n for n in result.report.notes if n.key == "note.mixed_encoding"]
    assert [n.params for n in notes] == [{"line": 11, "count": 2}]
    english, chinese = _messages(notes[0])
    assert "line 11" in english and "第 11 行" in chinese


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_file_in_one_encoding_is_not_mixed(encoding):
    lines = [HEADER + ",product"] + [f"C{i},2024-01-05,{i}.00,Café {i}" for i in range(1, 50)]
    raw = read_raw(("\n".join(lines) + "\n").encode(encoding), "orders.csv")
    assert raw.problem is None and raw.mixed_encoding is None
    assert raw.frame["product"].iloc[0] == "Café 1"


def test_fifty_megabytes_without_a_line_break_is_not_called_empty():
    data = b"abc,def," * (50 * 2**20 // 8)
    start = time.monotonic()
    raw = read_raw(data, "orders.csv")
    assert time.monotonic() - start < 2
    assert raw.problem is not None and raw.problem.key == "ingest.no_line_breaks"
    assert raw.problem.params == {"size_mb": 50.0}
    english, chinese = _messages(raw.problem)
    assert "50.0 MB" in english and "50.0 MB" in chinese
    assert ingest_file(data, "orders.csv", "transactions").problem == raw.problem


def test_a_short_file_without_a_line_break_is_a_header_only():
    raw = read_raw(b"customer_id,order_date,amount", "orders.csv")
    assert raw.problem is not None and raw.problem.key == "ingest.header_only"


def test_a_utf8_file_read_as_windows_1252_by_choice_says_so():
    lines = [HEADER + ",product"] + [f"C{i},2024-01-05,{i}.00,Tea" for i in range(1, 50)]
    lines[7] = "C7,2024-01-05,7.00,Café crème"  # line 8
    lines[9] = "C9,2024-01-05,9.00,Crème brûlée"  # line 10
    data = ("\n".join(lines) + "\n").encode()
    raw = read_raw(data, "orders.csv", encoding="cp1252")
    assert raw.problem is None
    # Read as chosen (the choice is the user's), and said so with the first line.
    assert raw.frame["product"].iloc[6] == "CafÃ© crÃ¨me"
    assert (raw.mixed_encoding, raw.utf8_as_single_byte) == (None, (8, 2))
    built = build_table(raw, "transactions", guess_mapping(raw.frame, "transactions").columns)
    notes = [n for n in built.report.notes if n.key == "note.utf8_as_single_byte"]
    assert [n.params for n in notes] == [{"line": 8, "count": 2}]
    english, chinese = _messages(notes[0])
    assert "line 8" in english and "第 8 行" in chinese
    result = ingest_file(data, "orders.csv", "transactions")  # detected: UTF-8, no note
    assert not [n for n in result.report.notes if "utf8" in n.key or "mixed" in n.key]
    raw_default = read_raw(data, "orders.csv")
    assert raw_default.utf8_as_single_byte is None
    assert raw_default.frame["product"].iloc[6] == "Café crème"


def test_a_text_file_over_the_cell_budget_is_refused_before_it_is_read():
    # 61 columns by 1,000,001 lines: 61 million cells in 61 MB.
    data = ",".join(["a"] * 61).encode() + b"\n" + (b"," * 60 + b"\n") * 1_000_000
    start = time.monotonic()
    raw = read_raw(data, "wide.csv")
    assert time.monotonic() - start < 3
    assert raw.problem is not None and raw.problem.key == "ingest.too_many_cells"
    assert raw.problem.params == {
        "rows": 1_000_001,
        "columns": 61,
        "cells": 61_000_061,
        "limit": MAX_TEXT_CELLS,
    }
    _messages(raw.problem)
    assert ingest_file(data, "wide.csv", "transactions").problem == raw.problem
    # A usual file is read.
    assert read_raw(b"a,b,c,d,e,f,g,h\n" + b"1,2,3,4,5,6,7,8\n" * 10, "ok.csv").problem is None
