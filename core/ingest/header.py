"""Whether the first row of a file names its columns or is already a row of data.

Files without a header line are common (the UCI "Sentiment Labelled Sentences": a
sentence, a tab and 0/1 on each line; exports of some tools). Taking their first row
for names loses a row and names a column "1". The decision is made here, once, on the
first rows as text cells; `read_raw` and `open_stream` both follow it, and the Upload
page shows it and lets the user change it.

Conservative by construction: the first row is taken for data only when at least one
of its cells is plainly a value of the column below it (a number over numbers, a date
over dates, a 0/1 over 0/1, a sentence over sentences, a code of the shape the column
holds, a value that recurs below) and none of its cells reads as a name (a word over
numbers, dates or flags; a word that is none of a few categories below it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import pandas as pd

from core.ingest.coerce import MISSING_TOKENS, parse_dates, parse_flags, parse_numbers

# Rows below the first one that the decision looks at.
SAMPLE_ROWS = 200
# A header cell this long, with spaces, over a column of sentences is a sentence.
SENTENCE_CHARS = 40

Evidence = Literal["data", "name", "none"]
ColumnKind = Literal["flag", "number", "date", "text"]

# Two letters in a row (any script): what a word, and so a name, has and a number or code lacks.
_WORD = re.compile(r"[^\W\d_]{2}")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def column_names(n: int) -> list[str]:
    """The names given to the columns of a file without a header line: Column 1, Column 2, …"""
    return [f"Column {i + 1}" for i in range(n)]


def first_row_is_header(rows: Sequence[Sequence[str]]) -> bool:
    """Whether `rows[0]` holds the column names (True) or is the first row of data (False).

    `rows`: the first rows of the file as text cells (blank lines left out). Rows
    below the first with another number of cells do not take part.
    """
    if not rows:
        return True
    first = [str(cell).strip() for cell in rows[0]]
    body = [[str(c).strip() for c in row] for row in rows[1 : SAMPLE_ROWS + 1]]
    body = [row for row in body if len(row) == len(first)]
    if not body or not any(first):
        return True
    # A first row that recurs verbatim below may be a header repeated in a joined export:
    # values found again below then say nothing.
    repeated = first in body
    evidence = [
        _cell_evidence(cell, [row[j] for row in body], repeated) for j, cell in enumerate(first)
    ]
    if _column_numbers(first):
        return True  # 1, 2, 3, …: numbered columns, a header
    return "name" in evidence or "data" not in evidence


def _column_numbers(first: list[str]) -> bool:
    """Whether the first row's cells are 0, 1, 2, … or 1, 2, 3, … (column numbers)."""
    cells = [cell for cell in first if cell]
    if len(cells) < 2 or not all(cell.isdigit() for cell in cells):
        return False
    numbers = [int(cell) for cell in cells]
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1)


def _present(values: list[str]) -> list[str]:
    return [v for v in values if v.lower() not in MISSING_TOKENS]


def _kind(values: pd.Series) -> ColumnKind:
    """What a column below the first row holds, from its present values."""
    flags = parse_flags(values)
    if not flags.failed.any() and values.str.lower().nunique() <= 2:
        return "flag"
    if parse_numbers(values).failed.mean() <= 0.1:
        return "number"
    plain = values.str.fullmatch(r"\d{1,6}(\.\d+)?").mean() > 0.5
    if not plain and parse_dates(values).failed.mean() <= 0.1:
        return "date"
    return "text"


def _is_number(cell: str) -> bool:
    return not parse_numbers(pd.Series([cell])).failed.iloc[0]


def _is_date(cell: str) -> bool:
    return not _PLAIN_NUMBER.fullmatch(cell) and not parse_dates(pd.Series([cell])).failed.iloc[0]


def _is_flag(cell: str) -> bool:
    return not parse_flags(pd.Series([cell])).failed.iloc[0]


def _year(cell: str) -> bool:
    return cell.isdigit() and len(cell) == 4 and 1900 <= int(cell) <= 2100


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _sentence(cell: str) -> bool:
    """Prose: over SENTENCE_CHARS characters, most of its words words (not numbers, codes).

    Chinese has no spaces: 20 Chinese characters or more make a sentence.
    """
    if len(_CJK.findall(cell)) >= 20:
        return True
    tokens = cell.split()
    if len(cell) <= SENTENCE_CHARS or len(tokens) < 4:
        return False
    return sum(1 for token in tokens if _WORD.search(token)) / len(tokens) >= 0.6


def _shape(cell: str) -> str:
    """A value's outline: runs of letters as a, of digits as 9 ("C-0012" -> "a-9")."""
    return re.sub(r"9+", "9", re.sub(r"\d", "9", re.sub(r"[^\W\d_]+", "a", cell)))


def _cell_evidence(cell: str, below: list[str], repeated: bool) -> Evidence:
    """Whether a first-row cell reads as a value of the column below ("data") or as its name."""
    if not cell or cell.lower() in MISSING_TOKENS:
        return "none"
    present = _present(below)
    if not present:
        return "none"
    values = pd.Series(present, dtype=str)
    kind = _kind(values)
    word = bool(_WORD.search(cell))
    if kind == "flag":
        if _is_flag(cell) and not word:
            return "data"  # 1 over 0/1
        if _is_flag(cell) and cell.lower() in set(values.str.lower()):
            return "data"  # positive over positive/negative
        return "name" if word else "none"
    if kind == "number":
        if _is_number(cell):
            # 2023, 2024 over amounts: years naming columns of a pivot table.
            if _year(cell) and not values.map(_year).all():
                return "none"
            return "data"
        return "name" if word or _is_date(cell) else "none"
    if kind == "date":
        if _is_date(cell):
            return "data"
        return "name" if word else "none"
    return _text_evidence(cell, values, repeated)


def _text_evidence(cell: str, values: pd.Series, repeated: bool) -> Evidence:
    """A first-row cell over a column of text (names, categories, codes, sentences)."""
    if not repeated and cell in set(values):
        return "data"
    lengths = values.str.len()
    if (
        _sentence(cell)
        and not any(mark in cell for mark in "?？")  # a survey question names its answers
        and not cell.endswith((":", "："))
        and values.map(_sentence).mean() >= 0.5
    ):
        return "data"
    shares = values.map(_shape).value_counts(normalize=True)
    common = shares.index[0]
    if shares.iloc[0] >= 0.8 and re.search(r"[9@]", common) and _shape(cell) == common:
        return "data"  # C0012 over C0001, C0002, …; an e-mail over e-mails
    few = values.nunique() <= max(10, len(values) // 5)
    if len(values) >= 5 and few and lengths.max() <= SENTENCE_CHARS and _WORD.search(cell):
        return "name"  # Region over North, South, … (and not one of them)
    return "none"
