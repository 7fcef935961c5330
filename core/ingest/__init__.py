"""Data intake: read an upload, map its columns, coerce values and account for every row.

Typical use::

    raw = read_raw(data, "orders.csv")
    guess = guess_mapping(raw.frame, "transactions")
    result = build_table(raw, "transactions", guess.columns)

or, for large delimited files, `ingest_file(data, "orders.csv", "transactions")`, which
streams the file in chunks (`open_stream` + `build_from_source`) and never holds all its
text cells: the same result, in a fraction of the memory. Excel workbooks are read
whole (calamine returns a sheet at once) and then built in chunks.
"""

from __future__ import annotations

from datetime import date

from core.ingest.build import (
    REASONS,
    IngestResult,
    Note,
    QualityReport,
    build_from_source,
    build_table,
    needs_date_order,
    policy_counts,
)
from core.ingest.coerce import DateOrder, parse_dates, parse_flags, parse_numbers
from core.ingest.mapping import MappingGuess, guess_mapping, missing_required
from core.ingest.policy import (
    CHOICES,
    Choice,
    RowPolicy,
    Rule,
    default_policy,
    policy_rules,
    rule_key,
    with_choice,
)
from core.ingest.problems import Problem
from core.ingest.read import (
    DEFAULT_MAX_BYTES,
    DELIMITERS,
    ENCODINGS,
    FileInfo,
    RawTable,
    detect_header,
    read_raw,
    sniff,
)
from core.ingest.stream import BLOCK_BYTES, StreamFailed, StreamSource, open_stream
from core.schema import TableKind

__all__ = [
    "CHOICES",
    "DELIMITERS",
    "ENCODINGS",
    "REASONS",
    "Choice",
    "DateOrder",
    "FileInfo",
    "IngestResult",
    "MappingGuess",
    "Note",
    "Problem",
    "QualityReport",
    "RawTable",
    "RowPolicy",
    "Rule",
    "StreamSource",
    "build_from_source",
    "build_table",
    "default_policy",
    "detect_header",
    "guess_mapping",
    "ingest_file",
    "missing_required",
    "needs_date_order",
    "open_stream",
    "parse_dates",
    "parse_flags",
    "parse_numbers",
    "policy_counts",
    "policy_rules",
    "read_raw",
    "rule_key",
    "sniff",
    "with_choice",
]


def ingest_file(
    data: bytes,
    filename: str,
    kind: TableKind,
    *,
    date_order: DateOrder | None = None,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    block_bytes: int = BLOCK_BYTES,
    policy: RowPolicy | None = None,
) -> IngestResult:
    """Read, map by the automatic guess, and build in one step (demo data, tests, benchmarks).

    Delimited text is read in chunks (`open_stream`): each chunk is coerced and its
    text dropped, so memory stays near the file's size plus the typed table. The
    result is the same as `read_raw` + `guess_mapping` + `build_table`, which Excel
    workbooks and the few files the chunked reader leaves alone go through.
    `policy`: the row policy; None: the kind's default for the guessed mapping.
    """
    stream = open_stream(data, filename, max_bytes=max_bytes, block_bytes=block_bytes)
    if isinstance(stream, Problem):
        return IngestResult(None, None, stream)
    if stream is not None:
        guess = guess_mapping(stream.head, kind)
        try:
            return build_from_source(
                stream, kind, guess.columns, date_order=date_order, today=today, policy=policy
            )
        except StreamFailed:
            pass  # pyarrow refused a later block: read_raw's readers take over
    raw = read_raw(data, filename, max_bytes=max_bytes)
    if raw.problem is not None:
        return IngestResult(None, None, raw.problem)
    guess = guess_mapping(raw.frame, kind)
    return build_table(raw, kind, guess.columns, date_order=date_order, today=today, policy=policy)
