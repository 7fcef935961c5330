"""Downloads that are safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

# OWASP "CSV injection": a cell starting with one of these is run as a formula by
# Excel, LibreOffice and Google Sheets. Prefixing a single quote makes it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy where every text cell that a spreadsheet would run is prefixed with '.

    Numbers stay numbers (a negative amount is not a formula); only text cells change.
    """
    safe = frame.copy()
    for column in safe.columns:
        series = safe[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("str")
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("str")
            risky = text.str.startswith(_FORMULA_START) & series.notna()
            safe[column] = text.mask(risky, "'" + text).where(series.notna(), None)
    safe.columns = [
        ("'" + c) if isinstance(c, str) and c.startswith(_FORMULA_START) else c
        for c in safe.columns
    ]
    return safe


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes for download: formulas neutralised, UTF-8 with BOM so Excel shows Chinese correctly."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8-sig")


def to_safe_excel(frame: pd.DataFrame, sheet_name: str = "customers") -> bytes:
    """An .xlsx download with formulas neutralised (openpyxl would store "=..." text as a live formula)."""
    import io

    buffer = io.BytesIO()
    safe = neutralise_formulas(frame)
    for column in safe.columns:
        # Excel cannot store time-zone-aware datetimes; categoricals become plain text.
        if isinstance(safe[column].dtype, pd.CategoricalDtype):
            safe[column] = safe[column].astype("str")
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=sheet_name[:31], index=False)
    return buffer.getvalue()
