"""Downloads that are safe to open in a spreadsheet, and honest about what Excel cannot hold."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pandas as pd

# Excel's limit on the characters of one cell ("Total number of characters that a cell
# can contain: 32,767", Microsoft's "Excel specifications and limits"); openpyxl cuts
# longer text to this length with only a Python warning.
EXCEL_CELL_LIMIT = 32_767
# Rows of one worksheet ("1,048,576 rows", same page), the header included.
EXCEL_ROW_LIMIT = 1_048_576
# Control characters a worksheet cannot store (the set openpyxl refuses with
# IllegalCharacterError, which would make the whole Excel download fail).
_NOT_IN_EXCEL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# OWASP "CSV injection": a cell starting with one of these is run as a formula by
# Excel, LibreOffice and Google Sheets. Prefixing a single quote makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _safe_name(name: object) -> object:
    return ("'" + name) if isinstance(name, str) and name.startswith(_FORMULA_START) else name


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy where every text cell that a spreadsheet would run is prefixed with '.

    Numbers stay numbers (a negative amount is not a formula); only text cells change;
    categoricals become text. Columns are handled by position, so a table with repeated
    column names (two columns both labelled "Variant") is safe too.
    """
    safe = frame.copy()
    for position in range(safe.shape[1]):
        series = safe.iloc[:, position]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("object").where(series.notna(), None)
            safe.isetitem(position, series)
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("str")
            risky = text.str.startswith(_FORMULA_START) & series.notna()
            safe.isetitem(position, text.mask(risky, "'" + text).where(series.notna(), None))
    safe.columns = [_safe_name(c) for c in safe.columns]
    return safe


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes for download: formulas neutralised, UTF-8 with BOM so Excel shows Chinese correctly."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


@dataclass(frozen=True)
class ExcelFit:
    """What an Excel export changes in text cells (header included) so that Excel can hold them.

    cut: cells longer than `EXCEL_CELL_LIMIT` characters, cut to that length.
    cleaned: cells with control characters a worksheet cannot store, those characters removed.
    rows_left_out: rows past the last one a worksheet holds (pandas would refuse the table).
    The CSV export keeps all of them whole.
    """

    cut: int = 0
    cleaned: int = 0
    rows_left_out: int = 0


def _excel_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    room = EXCEL_ROW_LIMIT - 1  # the header takes the first row
    return frame.iloc[:room], max(len(frame) - room, 0)


def _fit_text(value: object) -> tuple[object, bool, bool]:
    if not isinstance(value, str):
        return value, False, False
    cleaned = _NOT_IN_EXCEL.sub("", value)
    was_cleaned = cleaned != value
    if len(cleaned) > EXCEL_CELL_LIMIT:
        return cleaned[:EXCEL_CELL_LIMIT], True, was_cleaned
    return cleaned, False, was_cleaned


def _fit_for_excel(safe: pd.DataFrame) -> tuple[pd.DataFrame, ExcelFit]:
    """The formula-safe table with every text cell made storable by Excel, and the count of each change."""
    cut = cleaned = 0
    fitted = safe.copy()
    for position in range(fitted.shape[1]):
        series = fitted.iloc[:, position]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        text = series.dropna()
        text = text[text.map(lambda v: isinstance(v, str))]
        needs = text.str.len().gt(EXCEL_CELL_LIMIT) | text.str.contains(_NOT_IN_EXCEL)
        if not needs.any():
            continue
        values = series.astype(object).copy()
        for index in needs[needs].index:
            new, was_cut, was_cleaned = _fit_text(series.at[index])
            values.at[index] = new
            cut += was_cut
            cleaned += was_cleaned
        fitted.isetitem(position, values)
    names = []
    for name in fitted.columns:
        new, was_cut, was_cleaned = _fit_text(name)
        names.append(new)
        cut += was_cut
        cleaned += was_cleaned
    fitted.columns = names
    return fitted, ExcelFit(cut=cut, cleaned=cleaned)


def _all_fit(values: list[str]) -> bool:
    # ≥ rather than >: the formula prefix can add one character. One join and one
    # regex search over the column: 200,000 comments take about 30 ms, where a
    # per-cell check takes most of a second on every rerun of the page.
    return max(map(len, values), default=0) < EXCEL_CELL_LIMIT and not _NOT_IN_EXCEL.search(
        "\n".join(values)
    )


def _texts(series: pd.Series) -> list[str]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = pd.Series(series.cat.categories)
    elif not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
        return []  # numbers, dates and flags are not text cells
    return [v for v in series.tolist() if isinstance(v, str)]


def excel_fit(frame: pd.DataFrame) -> ExcelFit:
    """How many text cells `to_safe_excel(frame)` has to cut or clean for Excel (without writing it).

    Counts after the formula prefix is added, exactly as the export does; a table whose
    every text is short and printable is answered without copying it.
    """
    frame, rows_left_out = _excel_rows(frame)
    columns = [str(c) for c in frame.columns]
    if _all_fit(columns) and all(_all_fit(_texts(frame.iloc[:, i])) for i in range(frame.shape[1])):
        return ExcelFit(rows_left_out=rows_left_out)
    fit = _fit_for_excel(neutralise_formulas(frame))[1]
    return ExcelFit(cut=fit.cut, cleaned=fit.cleaned, rows_left_out=rows_left_out)


def to_safe_excel(frame: pd.DataFrame, sheet_name: str = "customers") -> bytes:
    """An .xlsx download with formulas neutralised (openpyxl would store "=..." text as a live formula).

    Text Excel cannot hold is made to fit (see `ExcelFit`; `excel_fit` counts it) rather
    than failing or being cut silently by openpyxl.
    """
    buffer = io.BytesIO()
    safe, _ = _fit_for_excel(neutralise_formulas(_excel_rows(frame)[0]))
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=sheet_name[:31], index=False)
    return buffer.getvalue()
