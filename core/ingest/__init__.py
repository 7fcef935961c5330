"""Data intake: read an upload, map its columns, coerce values and account for every row.

Typical use::

    result = ingest_file(data, "orders.csv", "transactions")

the one way a file is loaded (`core.ingest.load`): delimited text is streamed in
chunks (`open_stream` + `build_from_source`) and never held as text cells; Excel
workbooks are read whole (calamine returns a sheet at once, in a child process with a
memory limit) and built in chunks (`read_raw` + `build_table`). Before loading, the
Upload page holds only `preview_file(...)` (the first rows and the row count) and asks
`survey_file(...)` for the row rules' counts and the day/month questions; `mapping=`
and `settings=` then load the file as the user mapped and read it.
"""

from __future__ import annotations

from core.ingest.build import (
    REASONS,
    DateQuestion,
    IngestResult,
    QualityReport,
    RowSurvey,
    build_from_source,
    build_table,
    needs_date_order,
    policy_counts,
    survey_inputs,
    survey_rows,
)
from core.ingest.coerce import DateOrder, parse_dates, parse_flags, parse_numbers
from core.ingest.load import (
    PREVIEW_ROWS,
    FilePreview,
    ReadSettings,
    ingest_file,
    preview_file,
    preview_table,
    survey_file,
)
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
from core.ingest.stream import StreamSource, open_stream

__all__ = [
    "CHOICES",
    "DEFAULT_MAX_BYTES",
    "DELIMITERS",
    "ENCODINGS",
    "PREVIEW_ROWS",
    "REASONS",
    "Choice",
    "DateOrder",
    "DateQuestion",
    "FileInfo",
    "FilePreview",
    "IngestResult",
    "MappingGuess",
    "Problem",
    "QualityReport",
    "RawTable",
    "ReadSettings",
    "RowPolicy",
    "RowSurvey",
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
    "preview_file",
    "preview_table",
    "read_raw",
    "rule_key",
    "sniff",
    "survey_file",
    "survey_inputs",
    "survey_rows",
    "with_choice",
]
