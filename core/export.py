"""Downloads that are safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

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


def to_safe_excel(frame: pd.DataFrame, sheet_name: str = "customers") -> bytes:
    """An .xlsx download with formulas neutralised (openpyxl would store "=..." text as a live formula)."""
    buffer = io.BytesIO()
    safe = neutralise_formulas(frame)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=sheet_name[:31], index=False)
    return buffer.getvalue()
