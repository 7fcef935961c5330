"""Read an uploaded file into a table of raw text cells: format, encoding and delimiter sniffing.

Nothing is interpreted here: every cell stays a string ("" when empty), so that the
coercion step can count exactly what it could not read.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Literal

import numpy as np
import pandas as pd

from core.ingest.problems import Problem, ProblemError

FileFormat = Literal["csv", "excel"]

# Offered in the "file settings" override, in this order.
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030", "cp1252", "latin-1", "utf-16")
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
MAX_COLUMNS = 500

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, .doc
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")


@dataclass(frozen=True)
class FileInfo:
    """What sniffing found out about a file, shown to the user and overridable."""

    format: FileFormat
    encoding: str | None = None
    delimiter: str | None = None
    sheets: tuple[str, ...] = ()
    size_bytes: int = 0


@dataclass(frozen=True)
class RawTable:
    """A file read into text cells, plus the lines that could not be read as rows."""

    frame: pd.DataFrame
    info: FileInfo
    # Lines whose number of fields did not match the header: set aside, never lost.
    ragged_lines: tuple[str, ...] = ()
    problem: Problem | None = None
    # Row numbers as a spreadsheet shows the file, of the frame's rows and of the ragged
    # lines. None when row i sits on row i + 2 (header on row 1, no blank or ragged line
    # in between), the usual case, so that nothing is stored for it.
    row_numbers: np.ndarray | None = field(default=None, compare=False, repr=False)
    ragged_row_numbers: tuple[int, ...] = ()
    # Stray NUL bytes removed from a damaged text export (reported as a note).
    nul_bytes_removed: int = 0
    # Hash of the file's bytes and reading settings: identifies the data in caches.
    source_digest: str = ""

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.ragged_lines)

    def spreadsheet_rows(self, positions: np.ndarray) -> np.ndarray:
        """Row numbers, as a spreadsheet shows the file, of the frame rows at `positions`."""
        positions = np.asarray(positions, dtype=np.int64)
        return positions + 2 if self.row_numbers is None else self.row_numbers[positions]


@dataclass(frozen=True)
class SniffResult:
    info: FileInfo | None
    problem: Problem | None = None
    notes: tuple[str, ...] = field(default=())


def detect_encoding(data: bytes) -> str:
    """Guess the text encoding of a delimited file.

    UTF-8 (with or without BOM) and UTF-16 with BOM are certain; otherwise GB18030
    is chosen when the bytes decode as GB18030 *and* nearly all non-ASCII
    characters are common simplified Chinese (GB2312), because Latin-1 text often
    decodes as GB18030 too, but into rare ideographs. Everything else is read as
    Windows-1252 (a superset of Latin-1 for printable text), or Latin-1 when
    Windows-1252 cannot decode it.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if data.isascii():
        return "utf-8"  # (checked without building the text)
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _mostly_common_chinese(text):
        return "gb18030"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _mostly_common_chinese(text: str, sample_chars: int = 200_000) -> bool:
    non_ascii = [ch for ch in text[:sample_chars] if ord(ch) > 127]
    if not non_ascii:
        return False
    common = 0
    for ch in non_ascii:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(non_ascii) >= 0.9


def detect_delimiter(text: str, filename: str = "") -> str:
    """Pick the delimiter that splits the header and the first lines into the same number of fields.

    A candidate scores by (header field count equals the data's usual count, share
    of data lines with that usual count, the count itself). The header test is what
    keeps "1.234,56 €" in a semicolon file from voting for the comma.
    """
    lines = [line for line in text[:65536].splitlines() if line.strip()][:60]
    if len(lines) > 1 and not text[:65536].endswith(("\n", "\r")) and len(text) > 65536:
        lines = lines[:-1]  # the last line of the sample may be cut in half
    if not lines:
        return ","
    best, best_score = ",", (False, 0.0, 1, 0)
    preference = {"\t": 1} if filename.lower().endswith(".tsv") else {}
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        header, data = counts[0], counts[1:] or counts[:1]
        usual, n_usual = Counter(data).most_common(1)[0]
        if usual < 2:
            continue
        score = (header == usual, n_usual / len(data), usual, preference.get(delim, 0))
        if score > best_score:
            best, best_score = delim, score
    return best


def sniff(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SniffResult:
    """Find the format, encoding, delimiter (text) or sheet names (Excel) of an upload."""
    size = len(data)
    if size > max_bytes:
        # In MiB, the unit of Streamlit's server.maxUploadSize that the limit comes from.
        sizes = {"size_mb": size / 2**20, "limit_mb": max_bytes / 2**20}
        return SniffResult(None, Problem("ingest.too_large", sizes))
    if size == 0 or (not data[:65536].strip() and not data.strip()):
        return SniffResult(None, Problem("ingest.empty_file"))
    if data.startswith(_XLSX_MAGIC):
        try:
            sheets = _excel_sheets(data)
        except Exception:  # noqa: BLE001 - any failure here means "not a readable workbook"
            return SniffResult(None, Problem("ingest.bad_excel"))
        return SniffResult(FileInfo("excel", sheets=sheets, size_bytes=size))
    if data.startswith(_OLE_MAGIC):
        # A password-protected .xlsx is an OLE container too: it is not an old .xls.
        encrypted = filename.lower().endswith((".xlsx", ".xlsm"))
        return SniffResult(None, Problem("ingest.bad_excel" if encrypted else "ingest.legacy_xls"))
    if data.startswith(_BINARY_MAGIC) or _looks_binary(data):
        return SniffResult(None, Problem("ingest.binary_file"))
    encoding = detect_encoding(data)
    text = data[:262144].decode(encoding, errors="replace")
    return SniffResult(FileInfo("csv", encoding, detect_delimiter(text, filename), size_bytes=size))


def _looks_binary(data: bytes) -> bool:
    """Whether the first 8 KB hold many NUL bytes or control characters.

    Many NULs mean a binary file (or UTF-16 without its byte-order mark); a few
    stray ones do not make a text export binary, wherever they sit: they are
    dropped when the text is read.
    """
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    size = max(len(head), 1)
    if head.count(0) / size > 0.1:
        return True
    control = sum(1 for b in head if 0 < b < 32 and b not in (9, 10, 13, 12))
    return control / size > 0.05


def _excel_sheets(data: bytes) -> tuple[str, ...]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return tuple(workbook.sheet_names)


def read_raw(
    data: bytes,
    filename: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawTable:
    """Read an upload into text cells. Sniffs whatever is not given.

    Returns a `RawTable` whose `problem` is set (and frame empty) when the file
    cannot be used at all: empty, binary, header only, undecodable, and so on.
    """
    sniffed = sniff(data, filename, max_bytes=max_bytes)
    if sniffed.problem is not None:
        return RawTable(
            pd.DataFrame(), FileInfo("csv", size_bytes=len(data)), problem=sniffed.problem
        )
    info = sniffed.info
    assert info is not None
    try:
        if info.format == "excel":
            chosen = sheet if sheet is not None else info.sheets[0]
            if chosen not in info.sheets:
                raise ProblemError("ingest.no_such_sheet", sheet=chosen)
            read = _read_excel(data, chosen)
            info = FileInfo("excel", sheets=info.sheets, size_bytes=info.size_bytes)
        else:
            info = FileInfo(
                "csv",
                encoding or info.encoding,
                delimiter or info.delimiter,
                size_bytes=info.size_bytes,
            )
            read = _read_delimited(data, info.encoding or "utf-8", info.delimiter or ",")
        frame = _clean_frame(read.frame)
    except ProblemError as err:
        return RawTable(pd.DataFrame(), info, problem=err.problem)
    if frame.shape[1] > MAX_COLUMNS:
        return RawTable(
            pd.DataFrame(),
            info,
            problem=Problem("ingest.too_many_columns", {"n": frame.shape[1], "limit": MAX_COLUMNS}),
        )
    if len(frame) == 0 and not read.ragged:
        return RawTable(
            frame,
            info,
            problem=Problem(
                "ingest.header_only", {"columns": ", ".join(map(str, frame.columns[:8]))}
            ),
        )
    return RawTable(
        frame,
        info,
        read.ragged,
        row_numbers=read.row_numbers,
        ragged_row_numbers=read.ragged_row_numbers,
        nul_bytes_removed=read.nul_bytes_removed,
        source_digest=_digest(data, info),
    )


def _digest(data: bytes, info: FileInfo) -> str:
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(repr((info.format, info.encoding, info.delimiter, info.sheets)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class _Delimited:
    """What a reader returns before the header is cleaned (see `RawTable` for the fields)."""

    frame: pd.DataFrame
    ragged: tuple[str, ...] = ()
    row_numbers: np.ndarray | None = None
    ragged_row_numbers: tuple[int, ...] = ()
    nul_bytes_removed: int = 0


def _read_delimited(data: bytes, encoding: str, delimiter: str) -> _Delimited:
    """Split text into rows of the header's width; other lines are kept aside as ragged."""
    try:
        # Validate the encoding up front: a wrong override must give a clear message,
        # not mojibake. Decoding is cheap next to parsing.
        data.decode(encoding)
        utf16 = codecs.lookup(encoding).name.startswith("utf-16")
    except (UnicodeDecodeError, LookupError) as err:
        raise ProblemError("ingest.bad_encoding", encoding=encoding) from err
    # Nearly any even-length byte string decodes as UTF-16, and single-byte encodings
    # decode anything: the byte-order mark tells whether UTF-16 is right (files
    # without it were already refused as binary).
    if utf16 != data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ProblemError("ingest.bad_encoding", encoding=encoding)
    nul_bytes = 0
    if not utf16 and b"\x00" in data:
        # Stray NUL bytes (a damaged export) are not text in any of these encodings.
        nul_bytes = data.count(b"\x00")
        data = data.replace(b"\x00", b"")
    return replace(_split_rows(data, encoding, delimiter, utf16), nul_bytes_removed=nul_bytes)


def _split_rows(data: bytes, encoding: str, delimiter: str, utf16: bool) -> _Delimited:
    bad_lines: list[str] = []
    try:
        # pyarrow's reader is several times faster on large files and reports rows
        # with the wrong number of fields one by one.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                engine="pyarrow",
                on_bad_lines="warn",
            )
        for warning in caught:
            bad_lines.extend(_bad_lines_from_warning(str(warning.message)))
    except pd.errors.EmptyDataError as err:
        raise ProblemError("ingest.empty_file") from err
    except Exception:  # noqa: BLE001 - pyarrow refuses some valid files; the csv module takes over
        return _read_delimited_slowly(data.decode(encoding), delimiter)
    # A line of blanks is a blank line, not a record (as in the slow reader).
    ragged = tuple(line for line in bad_lines if line.replace(delimiter, "").strip())
    numbers, ragged_numbers = number_rows(
        data, encoding, delimiter, utf16, len(frame), frame.shape[1], len(ragged)
    )
    return _Delimited(frame, ragged, numbers, ragged_numbers)


def number_rows(
    data: bytes,
    encoding: str,
    delimiter: str,
    utf16: bool,
    n_rows: int,
    n_fields: int,
    n_ragged: int,
) -> tuple[np.ndarray | None, tuple[int, ...]]:
    """Spreadsheet row numbers of the rows and ragged lines pyarrow read from `data`.

    (None, ()) when row i sits on row i + 2, the usual case, or when the numbering
    cannot be matched with what pyarrow read.
    """
    content = data.decode(encoding) if utf16 else data
    if not n_ragged and _content_lines(content) == n_rows + 1:
        return None, ()
    # Blank or ragged lines shift the rows: number them as a spreadsheet would, in a
    # second pass (only for such files). Without quotes every line is one record and
    # numpy can count fields; otherwise the csv module follows the quoting.
    if not utf16 and b'"' not in data and b"\n" in data:
        numbers = _line_numbers(data, delimiter.encode("ascii"), n_fields)
    else:
        numbers = _record_numbers(data.decode(encoding), delimiter, n_fields)
    if numbers is None or len(numbers[0]) != n_rows or len(numbers[1]) != n_ragged:
        return None, ()  # the two readers disagree: do not claim numbers
    return np.asarray(numbers[0], dtype=np.int64), tuple(numbers[1])


def _line_numbers(data: bytes, delimiter: bytes, n_fields: int) -> tuple[np.ndarray, list[int]]:
    """`_record_numbers` for text without quotes, where lines are records: vectorised.

    The delimiter and newline are single ASCII bytes, which none of the supported
    encodings other than UTF-16 uses inside a multi-byte character.
    """
    cells = np.frombuffer(data, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(cells == 10) + 1))
    if starts[-1] == len(cells):
        starts = starts[:-1]  # the file ends with a newline
    bounds = np.append(starts, len(cells))
    delimiters = np.flatnonzero(cells == delimiter[0])
    fields = np.diff(np.searchsorted(delimiters, bounds)) + 1
    lengths = np.diff(bounds)
    # Lines that may be blank or ragged; the rest have the header's width. Few, so
    # each is looked at in Python.
    blank = []
    for i in np.flatnonzero((fields != n_fields) | (lengths <= 2)):
        line = data[bounds[i] : bounds[i + 1]].rstrip(b"\r\n")
        # As pyarrow and _is_blank see it: empty, or too few/many fields and nothing in them.
        if not line or (fields[i] != n_fields and not line.replace(delimiter, b"").strip()):
            blank.append(i)
    skipped = np.zeros(len(starts), dtype=bool)
    skipped[blank] = True
    header = int(np.argmin(skipped))  # the first line that is not blank
    skipped[: header + 1] = True
    is_ragged = (fields != n_fields) & ~skipped
    skipped |= is_ragged
    return np.flatnonzero(~skipped) + 1, (np.flatnonzero(is_ragged) + 1).tolist()


def _content_lines(content: str | bytes) -> int:
    """Lines up to the last non-blank character (so trailing newlines do not count)."""
    newline = "\n" if isinstance(content, str) else b"\n"
    tail = content[-65536:]
    trailing = tail[len(tail.rstrip()) :].count(newline)  # type: ignore[arg-type]
    return content.count(newline) - trailing + 1  # type: ignore[arg-type]


def _is_blank(row: list[str], n_fields: int) -> bool:
    """A record of nothing but blanks that does not even have the header's number of fields."""
    return len(row) != n_fields and not any(cell.strip() for cell in row)


def _record_numbers(text: str, delimiter: str, n_fields: int) -> tuple[list[int], list[int]] | None:
    """Spreadsheet row numbers of the rows and of the ragged lines, blank lines counted as rows."""
    kept: list[int] = []
    ragged: list[int] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header_seen = False
        for number, row in enumerate(reader, start=1):
            if not header_seen:
                header_seen = any(cell.strip() for cell in row)
            elif not _is_blank(row, n_fields):
                (kept if len(row) == n_fields else ragged).append(number)
    except csv.Error:
        return None
    return kept, ragged


def _read_delimited_slowly(text: str, delimiter: str) -> _Delimited:
    """The standard library's reader: slower, but takes any quoting and never drops a row unseen.

    pandas' own readers silently truncate or re-index rows with an extra field, so
    ragged rows are sorted out here, explicitly.
    """
    try:
        rows = enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)
        header: list[str] | None = None
        kept: list[list[str]] = []
        numbers: list[int] = []
        bad: list[str] = []
        bad_numbers: list[int] = []
        for number, row in rows:
            if header is None:
                if any(cell.strip() for cell in row):
                    header = row
            elif _is_blank(row, len(header)):
                continue  # a blank line is not a record
            elif len(row) == len(header):
                kept.append(row)
                numbers.append(number)
            else:
                bad.append(delimiter.join(row))
                bad_numbers.append(number)
        if header is None:
            raise ProblemError("ingest.empty_file")
    except csv.Error as err:
        raise ProblemError("ingest.unreadable_text", detail=str(err)[:200]) from err
    frame = (
        pd.DataFrame(kept, columns=header, dtype=str)
        if kept
        else pd.DataFrame(columns=header, dtype=str)
    )
    return _Delimited(frame, tuple(bad), np.asarray(numbers, dtype=np.int64), tuple(bad_numbers))


_PYARROW_BAD = re.compile(r"Expected \d+ columns, but found \d+: (.*)", re.S)


def _bad_lines_from_warning(message: str) -> list[str]:
    match = _PYARROW_BAD.search(message)
    return [match.group(1).rstrip("\n")] if match else []


def _read_excel(data: bytes, sheet: str) -> _Delimited:
    """The used area of a sheet as text cells; its first row is the header.

    calamine directly rather than pandas.read_excel: pandas would re-read text such as
    "007" as numbers, and take a blank row above the header for the header.
    """
    from python_calamine import CalamineWorkbook

    try:
        cells = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet)
        rows = cells.to_python(skip_empty_area=True)
    except Exception as err:  # noqa: BLE001 - calamine's errors mean "not a readable workbook"
        raise ProblemError("ingest.bad_excel") from err
    if not rows or not any(_excel_cell_to_text(v).strip() for v in rows[0]):
        raise ProblemError("ingest.empty_sheet", sheet=sheet)
    header = [_excel_cell_to_text(v) for v in rows[0]]
    body = [[_excel_cell_to_text(v) for v in row] for row in rows[1:]]
    frame = pd.DataFrame(body, columns=range(len(header)), dtype=str) if body else None
    if frame is None:
        frame = pd.DataFrame({i: pd.Series(dtype=str) for i in range(len(header))})
    frame.columns = header
    # Rows as Excel numbers them: the used area may start below row 1.
    first = cells.start[0] if cells.start else 0
    numbers = np.arange(len(body), dtype=np.int64) + first + 2 if first else None
    return _Delimited(frame, row_numbers=numbers)


def _excel_cell_to_text(value: object) -> str:
    """A typed Excel cell as the text a CSV export would have had."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time(0) else value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):  # date, time
        return value.isoformat()
    return str(value)


def _clean_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every column a unique, non-empty text name and make every cell text."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for i, name in enumerate(frame.columns):
        label = str(name).strip().lstrip("\ufeff")
        if not label or label.startswith("Unnamed: "):
            label = f"column_{i + 1}"
        seen[label] += 1
        names.append(label if seen[label] == 1 else f"{label}_{seen[label]}")
    frame = frame.copy(deep=False)
    frame.columns = names
    for name in frame.columns:
        column = frame[name]
        # Copy only columns that need it: a copy of a million text cells is tens of MB.
        if column.dtype != "str":
            frame[name] = column.fillna("").astype(str)
        elif column.hasnans:
            frame[name] = column.fillna("")
    # Drop columns that are entirely empty and unnamed (trailing delimiters).
    empty_unnamed = [
        c for c in frame.columns if c.startswith("column_") and not frame[c].str.strip().any()
    ]
    return frame.drop(columns=empty_unnamed)
