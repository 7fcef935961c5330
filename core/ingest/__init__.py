"""Data intake: read an upload, map its columns, coerce values and account for every row.

Typical use::

    raw = read_raw(data, "orders.csv")
    guess = guess_mapping(raw.frame, "transactions")
    result = build_table(raw, "transactions", guess.columns)
"""

from __future__ import annotations

from datetime import date

from core.ingest.build import (
    REASONS,
    IngestResult,
    Note,
    QualityReport,
    build_table,
    needs_date_order,
)
from core.ingest.coerce import DateOrder, parse_dates, parse_flags, parse_numbers
from core.ingest.mapping import MappingGuess, guess_mapping, missing_required
from core.ingest.problems import Problem
from core.ingest.read import DELIMITERS, ENCODINGS, FileInfo, RawTable, read_raw, sniff
from core.schema import TableKind

__all__ = [
    "DELIMITERS",
    "ENCODINGS",
    "REASONS",
    "DateOrder",
    "FileInfo",
    "IngestResult",
    "MappingGuess",
    "Note",
    "Problem",
    "QualityReport",
    "RawTable",
    "build_table",
    "guess_mapping",
    "ingest_file",
    "missing_required",
    "needs_date_order",
    "parse_dates",
    "parse_flags",
    "parse_numbers",
    "read_raw",
    "sniff",
]


def ingest_file(
    data: bytes,
    filename: str,
    kind: TableKind,
    *,
    date_order: DateOrder | None = None,
    today: date | None = None,
) -> IngestResult:
    """Read, map by the automatic guess, and build in one step (demo data, tests, benchmarks)."""
    raw = read_raw(data, filename)
    if raw.problem is not None:
        return IngestResult(None, None, raw.problem)
    guess = guess_mapping(raw.frame, kind)
    return build_table(raw, kind, guess.columns, date_order=date_order, today=today)
