"""Downloads neutralise spreadsheet formulas (OWASP CSV injection) and keep numbers as numbers."""

from __future__ import annotations

import io

import pandas as pd

from core.export import (
    EXCEL_CELL_LIMIT,
    ExcelFit,
    excel_fit,
    neutralise_formulas,
    to_safe_csv,
    to_safe_excel,
)


def test_formula_cells_get_a_leading_quote_and_numbers_do_not():
    frame = pd.DataFrame(
        {
            "customer_id": ["=cmd|' /C calc'!A0", "+SUM(1,2)", "@evil", "-2+3", "C001", None],
            "amount": [-12.5, 3.0, 0.0, 1.0, 2.0, 5.0],
            "note": pd.Series(["\tTAB", "ok", "=1", "x", "y", "z"], dtype="category"),
        }
    )
    safe = neutralise_formulas(frame)
    assert safe["customer_id"].tolist()[:5] == [
        "'=cmd|' /C calc'!A0",
        "'+SUM(1,2)",
        "'@evil",
        "'-2+3",
        "C001",
    ]
    assert pd.isna(safe["customer_id"].iloc[5])
    assert safe["amount"].tolist() == [-12.5, 3.0, 0.0, 1.0, 2.0, 5.0]
    assert safe["note"].tolist()[:3] == ["'\tTAB", "ok", "'=1"]
    # the input is untouched
    assert frame["customer_id"].iloc[0] == "=cmd|' /C calc'!A0"


def test_safe_csv_has_bom_and_round_trips_text():
    frame = pd.DataFrame({"客户": ["张三", '=HYPERLINK("http://x")'], "金额": [1.5, -2.0]})
    data = to_safe_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["客户"].tolist() == ["张三", '\'=HYPERLINK("http://x")']
    assert back["金额"].tolist() == [1.5, -2.0]


def test_formula_like_header_is_neutralised():
    assert list(neutralise_formulas(pd.DataFrame({"=x": [1]})).columns) == ["'=x"]


def test_excel_export_keeps_formula_text_inert():
    from openpyxl import load_workbook

    frame = pd.DataFrame(
        {
            "customer_id": ["=cmd|' /C calc'!A0", "00042"],
            "segment": pd.Categorical(["lost", "champions"]),
            "amount": [-1.5, 2.0],
        }
    )
    book = load_workbook(io.BytesIO(to_safe_excel(frame)))
    sheet = book.active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0] == ["customer_id", "segment", "amount"]
    assert cells[1] == ["'=cmd|' /C calc'!A0", "lost", -1.5]
    assert cells[2] == ["00042", "champions", 2.0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # no live formula


def test_repeated_column_names_export_as_csv_and_excel():
    # Regression: the campaign result table had two columns labelled "Variant" and
    # neutralise_formulas failed with "'DataFrame' object has no attribute 'dtype'".
    from openpyxl import load_workbook

    frame = pd.DataFrame(
        [["variant_a", "=1+1", 3.5, "lapsed"], ["variant_b", "ok", -1.0, None]],
        columns=["Variant", "Variant", "Lift", "Segment"],
    )
    frame["Segment"] = frame["Segment"].astype("category")
    safe = neutralise_formulas(frame)
    assert list(safe.columns) == ["Variant", "Variant", "Lift", "Segment"]
    assert safe.iloc[:, 1].tolist() == ["'=1+1", "ok"]
    assert safe.iloc[:, 2].tolist() == [3.5, -1.0]
    back = pd.read_csv(io.BytesIO(to_safe_csv(frame)), encoding="utf-8-sig")
    assert list(back.columns) == ["Variant", "Variant.1", "Lift", "Segment"]
    assert back["Variant.1"].tolist() == ["'=1+1", "ok"]
    sheet = load_workbook(io.BytesIO(to_safe_excel(frame))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Variant", "Variant", "Lift", "Segment"]
    assert rows[1] == ["variant_a", "'=1+1", 3.5, "lapsed"]
    assert rows[2] == ["variant_b", "ok", -1.0, None]


def _sheet_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


def test_excel_export_counts_the_cells_it_cuts_and_the_csv_keeps_them_whole():
    # 32,767 is Excel's documented limit on the characters of one cell; a 32,767-character
    # formula-like cell becomes 32,768 with its quote prefix, so it is cut too.
    long_comment = "ab" * 20_000  # 40,000 characters
    frame = pd.DataFrame(
        {
            "comment": [long_comment, "short", "=" + "x" * 32_767, "y" * 32_767, None],
            "label": pd.Categorical(["z" * 33_000, "a", "a", "a", "a"]),
            "amount": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    assert excel_fit(frame) == ExcelFit(cut=3, cleaned=0)
    rows = _sheet_rows(to_safe_excel(frame))
    assert rows[1][0] == long_comment[:EXCEL_CELL_LIMIT]
    assert rows[2][0] == "short"
    assert rows[3][0] == "'=" + "x" * 32_765
    assert rows[4][0] == "y" * 32_767  # exactly at the limit: whole
    assert len(rows[1][1]) == EXCEL_CELL_LIMIT
    back = pd.read_csv(io.BytesIO(to_safe_csv(frame)), encoding="utf-8-sig")
    assert back["comment"].iloc[0] == long_comment


def test_control_characters_are_removed_and_counted_instead_of_failing_the_excel_export():
    # openpyxl refuses \x0b (vertical tab) and the like with IllegalCharacterError.
    frame = pd.DataFrame({"comment\x07": ["line\x0bbreak", "tab\tand\nnewline", "ok"]})
    assert excel_fit(frame) == ExcelFit(cut=0, cleaned=2)  # one cell and the header
    rows = _sheet_rows(to_safe_excel(frame))
    assert rows == [["comment"], ["linebreak"], ["tab\tand\nnewline"], ["ok"]]


def test_an_ordinary_table_needs_no_change():
    frame = pd.DataFrame(
        {
            "customer_id": ["C1", "=1+1"],
            "when": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "segment": pd.Categorical(["lost", "champions"]),
            "amount": [1.5, -2.0],
        }
    )
    assert excel_fit(frame) == ExcelFit()


def test_rows_past_the_last_worksheet_row_are_counted_and_left_out_of_the_excel_file(
    monkeypatch,
):
    # Excel holds 1,048,576 rows (header included); openpyxl fails the whole download at
    # row 1,048,577 ("Row numbers must be between 1 and 1048576", tried by hand). Writing
    # a million rows takes minutes, so the limit is lowered here: the header and 3 rows.
    import core.export

    monkeypatch.setattr(core.export, "EXCEL_ROW_LIMIT", 4)
    frame = pd.DataFrame({"customer_id": ["C1", "C2", "C3", "C4", "C5"], "x": ["a" * 40_000] * 5})
    assert excel_fit(frame) == ExcelFit(cut=3, cleaned=0, rows_left_out=2)
    rows = _sheet_rows(to_safe_excel(frame))
    assert [r[0] for r in rows] == ["customer_id", "C1", "C2", "C3"]
    assert len(pd.read_csv(io.BytesIO(to_safe_csv(frame)), encoding="utf-8-sig")) == 5
