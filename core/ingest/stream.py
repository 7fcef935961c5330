"""Read a delimited file in chunks, for building a table without holding all its text cells.

`read_raw` turns the whole file into text cells (a Python-free but still large frame:
about twice the file). `open_stream` reads the same cells with the same reader
(pyarrow's, configured as `pandas.read_csv(engine="pyarrow", dtype=str)` configures
it) one block at a time, so that `build_from_source` can coerce each chunk and drop
its text. The rows, their numbering, ragged lines and problems are the same as
`read_raw`'s, and so is the decision whether the first row is a header
(`read.delimited_info`); files this reader does not handle the same way (Excel,
UTF-16, headers with blank names, quotation marks that are text, anything pyarrow
refuses) return None and go through `read_raw`.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

try:  # how pandas' readers rename repeated headers ("amount", "amount.1")
    from pandas.io.common import mangle_dupe_names
except ImportError:  # pragma: no cover - another pandas: files with repeated headers use read_raw
    mangle_dupe_names = None

from core.ingest.header import column_names
from core.ingest.problems import Problem
from core.ingest.read import (
    DEFAULT_MAX_BYTES,
    MAX_COLUMNS,
    FileInfo,
    _digest,
    delimited_info,
    number_rows,
    sniff,
    utf8_lines,
)

# Bytes of text parsed at a time: about 60,000 rows of a typical export.
BLOCK_BYTES = 4 << 20
# Rows the mapping guess looks at (mapping._SAMPLE_ROWS).
HEAD_ROWS = 2000

_STR = pd.StringDtype("pyarrow", na_value=np.nan)


class StreamFailed(Exception):
    """pyarrow stopped part-way through: read the file with `read_raw` instead."""


class StreamSource:
    """A delimited file's rows, chunk by chunk (a `RowSource` for `build_from_source`)."""

    def __init__(
        self, data: bytes, info: FileInfo, digest: str, nul_bytes: int, block_bytes: int
    ) -> None:
        self.data = data
        self.info = info
        self.encoding = info.encoding or "utf-8"
        self.delimiter = info.delimiter or ","
        self.block_bytes = block_bytes
        self.source_digest = digest
        self.nul_bytes_removed = nul_bytes
        # Files with lines in two encodings, or in UTF-8 read as a single-byte encoding,
        # never stream (`open_stream` leaves them to `read_raw`, which says so).
        self.mixed_encoding: tuple[int, int] | None = None
        self.utf8_as_single_byte: tuple[int, int] | None = None
        self.ragged_lines: tuple[str, ...] = ()
        self.ragged_row_numbers: tuple[int, ...] = ()
        self.ragged_count = 0
        self.rows = 0
        self._row_numbers: np.ndarray | None = None
        self._bad: list[str] = []
        reader = self._open()
        names = reader.schema.names
        self._raw_names = names
        self.columns = _clean_names(names) if info.header else column_names(len(names))
        # The first chunks, kept for the mapping guess and handed out again by chunks().
        self._first: list[pd.DataFrame] = []
        self._reader: pa_csv.CSVStreamingReader | None = reader
        rows = 0
        while rows < HEAD_ROWS:
            chunk = self._next(reader)
            if chunk is None:
                self._reader = None
                break
            self._first.append(chunk)
            rows += len(chunk)

    @property
    def empty(self) -> bool:
        """No row at all (read before any chunk is handed out)."""
        return self._reader is None and not any(len(chunk) for chunk in self._first or ())

    @property
    def head(self) -> pd.DataFrame:
        """The first rows (up to HEAD_ROWS), as `read_raw(...).frame.head()` would give them."""
        if not self._first:
            return self._empty()
        return pd.concat(self._first, ignore_index=True).head(HEAD_ROWS)

    def _empty(self) -> pd.DataFrame:
        return pd.DataFrame({name: pd.Series(dtype=_STR) for name in self.columns})

    def _open(self) -> pa_csv.CSVStreamingReader:
        def on_bad_line(row) -> str:
            self._bad.append(row.text.rstrip("\n"))
            return "skip"

        try:
            return pa_csv.open_csv(
                pa.BufferReader(self.data),
                read_options=pa_csv.ReadOptions(
                    encoding=self.encoding,
                    block_size=self.block_bytes,
                    autogenerate_column_names=not self.info.header,
                ),
                parse_options=pa_csv.ParseOptions(
                    delimiter=self.delimiter,
                    quote_char='"',
                    ignore_empty_lines=True,
                    invalid_row_handler=on_bad_line,
                ),
                convert_options=pa_csv.ConvertOptions(
                    default_column_type=pa.large_string(),
                    null_values=[],
                    strings_can_be_null=False,
                ),
            )
        except Exception as err:  # noqa: BLE001 - read_raw takes over
            raise StreamFailed(str(err)) from err

    def _next(self, reader: pa_csv.CSVStreamingReader) -> pd.DataFrame | None:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return None
        except Exception as err:  # noqa: BLE001 - read_raw takes over
            raise StreamFailed(str(err)) from err
        columns = {
            name: pd.Series(batch.column(i), dtype=_STR, copy=False)
            for i, name in enumerate(self.columns)
        }
        return pd.DataFrame(columns, index=pd.RangeIndex(batch.num_rows))

    def chunks(self) -> Iterator[pd.DataFrame]:
        first, reader = self._first, self._reader
        if first is None:  # a second pass: read again from the start
            self._bad = []
            reader = self._open()
            first = []
        self._first = None  # type: ignore[assignment] - the head is handed out once
        rows = 0
        yielded = False
        for chunk in first:
            rows += len(chunk)
            yielded = True
            yield chunk
        while reader is not None:
            chunk = self._next(reader)
            if chunk is None:
                break
            rows += len(chunk)
            yielded = True
            yield chunk
        self._reader = None
        if not yielded:
            yield self._empty()
        self._finish(rows)

    def _finish(self, rows: int) -> None:
        delimiter = self.delimiter
        ragged = tuple(line for line in self._bad if line.replace(delimiter, "").strip())
        self.rows = rows
        self.ragged_lines = ragged
        self.ragged_count = len(ragged)
        numbers, ragged_numbers = number_rows(
            self.data,
            self.encoding,
            delimiter,
            False,
            rows,
            len(self.columns),
            len(ragged),
            self.info.header,
        )
        self._row_numbers = numbers
        self.ragged_row_numbers = ragged_numbers

    def spreadsheet_rows(self, positions: np.ndarray) -> np.ndarray:
        positions = np.asarray(positions, dtype=np.int64)
        if self._row_numbers is None:
            return positions + (2 if self.info.header else 1)
        return self._row_numbers[positions]


def _clean_names(raw_names: list[str]) -> list[str]:
    """Column names as pandas' reader and then `read._clean_frame` give them (no blank ones here)."""
    if mangle_dupe_names is None:
        if len(set(raw_names)) < len(raw_names):
            raise StreamFailed("repeated column names")
        names = [str(name) for name in raw_names]
    else:
        names = [str(name) for name in mangle_dupe_names(raw_names)]
    cleaned: list[str] = []
    seen: dict[str, int] = {}
    for name in names:
        label = name.strip().lstrip("\ufeff")
        seen[label] = seen.get(label, 0) + 1
        cleaned.append(label if seen[label] == 1 else f"{label}_{seen[label]}")
    return cleaned


def open_stream(
    data: bytes,
    filename: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool | None = None,
    quotes_as_text: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    block_bytes: int = BLOCK_BYTES,
) -> StreamSource | Problem | None:
    """A delimited upload ready to be read in chunks, the problem that stops it, or None.

    `header`: whether the first row holds the column names; `quotes_as_text`: whether
    quotation marks are text; None: detected, as `read_raw` detects them. None
    returned: the file needs `read_raw` (Excel, UTF-16, unnamed columns, quotation
    marks that are text, pyarrow refused it).
    """
    sniffed = sniff(data, filename, max_bytes=max_bytes)
    if sniffed.problem is not None:
        return sniffed.problem
    assert sniffed.info is not None
    if sniffed.info.format != "csv":
        return None
    chosen = encoding or sniffed.info.encoding or "utf-8"
    try:
        if codecs.lookup(chosen).name.startswith("utf-16"):
            return None
    except LookupError:
        return Problem("ingest.bad_encoding", {"encoding": chosen})
    info = delimited_info(data, sniffed.info, encoding, delimiter, header, quotes_as_text)
    if info.quotes_as_text:
        return None  # pyarrow always reads quotes as quoting
    if data.count(b'"') % 2 or utf8_lines(data, chosen) is not None:
        # A quotation mark never closed, or UTF-8 lines read as Windows-1252: read_raw
        # finds the line and says so (or reads each line in its encoding).
        return None
    if not _decodes(data, chosen):
        return Problem("ingest.bad_encoding", {"encoding": chosen})
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem("ingest.bad_encoding", {"encoding": chosen})
    nul_bytes = 0
    digest = _digest(data, info)
    if b"\x00" in data:
        nul_bytes = data.count(b"\x00")
        data = data.replace(b"\x00", b"")
    try:
        stream = StreamSource(data, info, digest, nul_bytes, block_bytes)
    except StreamFailed:
        return None
    if stream.empty:
        return None  # header only, or only ragged lines: read_raw says which
    names = stream.columns
    # read_raw names and drops blank columns over the whole file (without a header the
    # columns are Column 1, Column 2, … and every one is kept, by both readers).
    blank = any(not name.strip() or name.startswith(("Unnamed: ", "column_")) for name in names)
    raw_names = [str(raw) for raw in stream._raw_names]
    blank = blank or any(not raw.strip() or raw.startswith("Unnamed: ") for raw in raw_names)
    if info.header and blank:
        return None
    if len(names) > MAX_COLUMNS:
        return Problem("ingest.too_many_columns", {"n": len(names), "limit": MAX_COLUMNS})
    return stream


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether `data` is valid text in `encoding`, without holding the decoded text."""
    if data.isascii():
        return True  # every offered encoding other than UTF-16 extends ASCII
    decoder = codecs.getincrementaldecoder(encoding)()
    step = 1 << 22
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step], final=start + step >= len(data))
    except UnicodeDecodeError:
        return False
    return True
