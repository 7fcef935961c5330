"""The one way a file becomes a table, and what the Upload page shows before it does.

`ingest_file` reads delimited text in chunks (`open_stream` + `build_from_source`) and
every other file (Excel, UTF-16, quotation marks read as text, lines in two encodings,
whatever pyarrow refuses) with `read_raw` + `build_table`. The demo, the Upload page,
the tests and the benchmarks all load through it.

While the user maps columns the Upload page holds a `FilePreview` (the first rows, the
row count, what the reader noticed, the mapping guess and the survey of the guessed
mapping), never the file's text cells: `preview_file` reads every row once, in chunks
where the file streams, and keeps only what it returns. `survey_file` reads the file
again only when the user maps a column the survey depends on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pandas as pd

from core.ingest.build import (
    CHUNK_ROWS,
    IngestResult,
    RowSource,
    RowSurvey,
    _FrameSource,
    build_from_source,
    build_table,
    survey_inputs,
    survey_rows,
)
from core.ingest.coerce import DateOrder
from core.ingest.mapping import MappingGuess, guess_mapping
from core.ingest.policy import RowPolicy
from core.ingest.problems import Problem
from core.ingest.read import DEFAULT_MAX_BYTES, FileInfo, RawTable, read_raw
from core.ingest.stream import BLOCK_BYTES, HEAD_ROWS, StreamFailed, StreamSource, open_stream
from core.schema import TableKind

# Rows of the file the Upload page shows as they are and as they will be read.
PREVIEW_ROWS = 20

T = TypeVar("T")


@dataclass(frozen=True)
class ReadSettings:
    """How to read a file: encoding, delimiter (text), sheet (Excel), whether the first row
    holds the column names, whether quotation marks are text. None: sniffed or detected,
    as `read_raw` does."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header: bool | None = None
    quotes_as_text: bool | None = None


@dataclass(frozen=True)
class FilePreview:
    """What the Upload page shows of a file before it is loaded.

    `head`: the first rows' text cells (up to `HEAD_ROWS`, what `guess_mapping` looks
    at), a copy that holds nothing else of the file. `rows_read`: every row, ragged
    lines included (as `RawTable.rows_read`). `mixed_encoding` and
    `utf8_as_single_byte`: as `RawTable`'s. `guess`: the mapping guessed for the
    table kind; `survey`: the rule counts and date questions of that mapping, read in
    the same pass. `problem`: why the file cannot be read with these settings (then
    `info`, `guess` and `survey` are None and `head` empty).
    """

    info: FileInfo | None
    head: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False)
    rows_read: int = 0
    mixed_encoding: tuple[int, int] | None = None
    utf8_as_single_byte: tuple[int, int] | None = None
    guess: MappingGuess | None = None
    survey: RowSurvey | None = None
    problem: Problem | None = None

    @property
    def columns(self) -> list[str]:
        return [str(name) for name in self.head.columns]


def _read(
    data: bytes,
    filename: str,
    settings: ReadSettings,
    use: Callable[[RowSource], T],
    *,
    max_bytes: int,
    block_bytes: int,
) -> T | Problem:
    """`use(source)` on the file's rows: streamed when the chunked reader takes the file,
    else read whole by `read_raw`; or the problem that stops the file."""
    stream = open_stream(
        data,
        filename,
        encoding=settings.encoding,
        delimiter=settings.delimiter,
        header=settings.header,
        quotes_as_text=settings.quotes_as_text,
        max_bytes=max_bytes,
        block_bytes=block_bytes,
    )
    if isinstance(stream, Problem):
        return stream
    if stream is not None:
        try:
            return use(stream)
        except StreamFailed:
            stream = None  # pyarrow refused a later block: read_raw's readers take over
    raw = read_raw(
        data,
        filename,
        encoding=settings.encoding,
        delimiter=settings.delimiter,
        sheet=settings.sheet,
        header=settings.header,
        quotes_as_text=settings.quotes_as_text,
        max_bytes=max_bytes,
    )
    if raw.problem is not None:
        return raw.problem
    return use(_FrameSource(raw, CHUNK_ROWS))


def _head(source: RowSource) -> pd.DataFrame:
    """The first HEAD_ROWS rows of a source (before its chunks are read)."""
    if isinstance(source, StreamSource):
        return source.head
    assert isinstance(source, _FrameSource)
    return source.raw.frame.head(HEAD_ROWS)


def _detached(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a few rows that shares no buffer with the file's (Arrow slices would)."""
    return pd.DataFrame(
        {name: pd.Series(frame[name].tolist(), dtype=frame[name].dtype) for name in frame},
        index=pd.RangeIndex(len(frame)),
        columns=frame.columns,
    )


def ingest_file(
    data: bytes,
    filename: str,
    kind: TableKind,
    *,
    mapping: dict[str, str | None] | None = None,
    settings: ReadSettings | None = None,
    date_order: DateOrder | None = None,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    block_bytes: int = BLOCK_BYTES,
    policy: RowPolicy | None = None,
) -> IngestResult:
    """Read, map and build a table in one step: the one way a file is loaded.

    Delimited text is read in chunks (`open_stream`): each chunk is coerced and its
    text dropped, so memory stays near the file's size plus the typed table. The
    result is the same as `read_raw` + `build_table`, which Excel workbooks and the
    few files the chunked reader leaves alone go through.
    `mapping`: canonical field -> column; None: the automatic guess (`guess_mapping`
    on the first rows). `settings`: how to read the file; None: sniffed and detected.
    `policy`: the row policy; None: the kind's default for the mapping.
    """

    def build(source: RowSource) -> IngestResult:
        chosen = mapping if mapping is not None else guess_mapping(_head(source), kind).columns
        return build_from_source(
            source, kind, chosen, date_order=date_order, today=today, policy=policy
        )

    found = _read(
        data,
        filename,
        settings or ReadSettings(),
        build,
        max_bytes=max_bytes,
        block_bytes=block_bytes,
    )
    return IngestResult(None, None, found) if isinstance(found, Problem) else found


def preview_file(
    data: bytes,
    filename: str,
    kind: TableKind,
    settings: ReadSettings | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> FilePreview:
    """The first rows, the row count, the mapping guess and its survey of a file read with
    `settings`, as a table of `kind`: one pass over every row (in chunks where the file
    streams), keeping only what the preview holds."""

    def look(source: RowSource) -> FilePreview:
        head = _head(source)
        guess = guess_mapping(head, kind)
        head = _detached(head)
        survey = survey_rows(source, kind, guess.columns)
        return FilePreview(
            source.info,  # type: ignore[attr-defined]
            head,
            survey.rows + source.ragged_count,
            getattr(source, "mixed_encoding", None),
            getattr(source, "utf8_as_single_byte", None),
            guess,
            survey,
        )

    found = _read(
        data,
        filename,
        settings or ReadSettings(),
        look,
        max_bytes=max_bytes,
        block_bytes=block_bytes,
    )
    return FilePreview(None, problem=found) if isinstance(found, Problem) else found


def survey_file(
    data: bytes,
    filename: str,
    kind: TableKind,
    mapping: dict[str, str | None],
    settings: ReadSettings | None = None,
    *,
    preview: FilePreview | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> RowSurvey:
    """`survey_rows` of a file read with `settings`: the row rules' counts and the day/month
    questions of the whole file, before it is loaded (the same counts as the report's).

    `preview`: the file's preview with the same settings; its survey is returned, without
    reading the file again, when `mapping` maps the columns it depends on the same way.
    """
    surveyed = preview.survey if preview is not None else None
    if surveyed is not None and surveyed.inputs == survey_inputs(kind, mapping):
        return surveyed
    found = _read(
        data,
        filename,
        settings or ReadSettings(),
        lambda source: survey_rows(source, kind, mapping),
        max_bytes=max_bytes,
        block_bytes=block_bytes,
    )
    return RowSurvey({}, problem=found) if isinstance(found, Problem) else found


def preview_table(
    preview: FilePreview,
    kind: TableKind,
    mapping: dict[str, str | None],
    *,
    date_order: DateOrder | None = None,
    policy: RowPolicy | None = None,
    today: date | None = None,
    rows: int = PREVIEW_ROWS,
) -> IngestResult:
    """The first `rows` rows of a previewed file as they will be read (typed, mapped)."""
    if preview.info is None:
        return IngestResult(None, None, preview.problem)
    head = RawTable(preview.head.head(rows).reset_index(drop=True), preview.info)
    return build_table(head, kind, mapping, date_order=date_order, policy=policy, today=today)
