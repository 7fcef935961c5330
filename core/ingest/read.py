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
import threading
import warnings
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from typing import Literal

import numpy as np
import pandas as pd

from core.ingest.header import SAMPLE_ROWS, column_names, first_row_is_header
from core.ingest.isolate import run_isolated
from core.ingest.problems import Problem, ProblemError
from core.ingest.workbook import check_workbook

FileFormat = Literal["csv", "excel"]

# Offered in the "file settings" override, in this order.
ENCODINGS: tuple[str, ...] = ("utf-8", "utf-8-sig", "gb18030", "cp1252", "latin-1", "utf-16")
DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")

DEFAULT_MAX_BYTES = 500 * 1024 * 1024
MAX_COLUMNS = 500
# Cells (lines x the first line's fields) a text file may hold: a 500 MB export of 8
# columns holds about 45 million. Reading takes about 35 bytes a cell (measured:
# read_raw on a 46 MB export of 4.3 million cells, 142 MB), so at most about 2 GB;
# a file of one or two short columns would take far more than its size.
MAX_TEXT_CELLS = 60_000_000
# A text file longer than this without a single line break is refused as not a table.
NO_BREAK_BYTES = 64 * 1024
# A quoted field running over more lines than this is a quotation mark never closed.
RUNAWAY_QUOTE_LINES = 100

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
    # Whether the first row holds the column names (False: it is a row of data, and the
    # columns are named Column 1, Column 2, …). Detected (`detect_header`) or chosen.
    header: bool = True
    # Quotation marks are text, not quoting (sentences with "quotes" in a tab-separated
    # file: quoting would join lines into one record). See `quotes_are_text`.
    quotes_as_text: bool = False


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
    # in between; row i + 1 in a file without a header), the usual case, so that nothing
    # is stored for it.
    row_numbers: np.ndarray | None = field(default=None, compare=False, repr=False)
    ragged_row_numbers: tuple[int, ...] = ()
    # Stray NUL bytes removed from a damaged text export (reported as a note).
    nul_bytes_removed: int = 0
    # Lines in UTF-8 in a file otherwise in a single-byte encoding (Windows-1252,
    # Latin-1): (first line, lines), each line read in its own encoding (a note).
    mixed_encoding: tuple[int, int] | None = None
    # A file all in UTF-8 read in Windows-1252 or Latin-1 as chosen: (first line with a
    # character that reads garbled, lines), a note.
    utf8_as_single_byte: tuple[int, int] | None = None
    # Hash of the file's bytes and reading settings: identifies the data in caches.
    source_digest: str = ""

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.ragged_lines)

    def spreadsheet_rows(self, positions: np.ndarray) -> np.ndarray:
        """Row numbers, as a spreadsheet shows the file, of the frame rows at `positions`."""
        positions = np.asarray(positions, dtype=np.int64)
        if self.row_numbers is None:
            return positions + (2 if self.info.header else 1)
        return self.row_numbers[positions]


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
        return _sniff_workbook(data)
    if data.startswith(_OLE_MAGIC):
        # A password-protected .xlsx is an OLE container too: it is not an old .xls.
        encrypted = filename.lower().endswith((".xlsx", ".xlsm"))
        return SniffResult(None, Problem("ingest.bad_excel" if encrypted else "ingest.legacy_xls"))
    if data.startswith(_BINARY_MAGIC) or _looks_binary(data):
        return SniffResult(None, Problem("ingest.binary_file"))
    if size > NO_BREAK_BYTES and b"\n" not in data and b"\r" not in data:
        # One long line is not a table (and not "empty"): say what it is.
        return SniffResult(None, Problem("ingest.no_line_breaks", {"size_mb": size / 2**20}))
    encoding = detect_encoding(data)
    text = data[:262144].decode(encoding, errors="replace")
    delimiter = detect_delimiter(text, filename)
    cells = _cells_bound(data, text, delimiter)
    if cells is not None:
        return SniffResult(None, Problem("ingest.too_many_cells", cells))
    return SniffResult(FileInfo("csv", encoding, delimiter, size_bytes=size))


def _cells_bound(data: bytes, head: str, delimiter: str) -> dict | None:
    """Lines x the first line's fields, when over MAX_TEXT_CELLS (the readers' memory)."""
    first = head.split("\n", 1)[0]
    columns = first.count(delimiter) + 1
    if len(data) // 2 * columns <= MAX_TEXT_CELLS:
        return None  # (a line takes 2 bytes at least: cheap, and the usual case)
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines * columns <= MAX_TEXT_CELLS:
        return None
    return {"rows": lines, "columns": columns, "cells": lines * columns, "limit": MAX_TEXT_CELLS}


# Workbooks sniffed lately, by the hash of their bytes: the upload page sniffs a file
# for its settings, its header and its rows, and the check reads the whole workbook.
_SNIFFED_WORKBOOKS: OrderedDict[bytes, SniffResult] = OrderedDict()
_SNIFFED_KEEP = 16
_SNIFFED_LOCK = threading.Lock()


def _sniff_workbook(data: bytes) -> SniffResult:
    """A workbook checked before any reader expands it, then its sheet names read in a child
    process with a memory limit (see core.ingest.workbook and core.ingest.isolate)."""
    key = hashlib.blake2b(data, digest_size=16).digest()
    with _SNIFFED_LOCK:
        cached = _SNIFFED_WORKBOOKS.get(key)
    if cached is not None:
        return cached
    refused = check_workbook(data)
    if refused is not None:
        result = SniffResult(None, refused)
    else:
        try:
            sheets = run_isolated(_excel_sheets, data)
            result = SniffResult(FileInfo("excel", sheets=sheets, size_bytes=len(data)))
        except ProblemError as err:
            result = SniffResult(None, err.problem)
    with _SNIFFED_LOCK:
        _SNIFFED_WORKBOOKS[key] = result
        while len(_SNIFFED_WORKBOOKS) > _SNIFFED_KEEP:
            _SNIFFED_WORKBOOKS.popitem(last=False)
    return result


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
    header: bool | None = None,
    quotes_as_text: bool | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RawTable:
    """Read an upload into text cells. Sniffs whatever is not given.

    `header`: whether the first row holds the column names; None: detected
    (`first_row_is_header`). The table's `info.header` says which was used.
    `quotes_as_text`: read quotation marks as text, not quoting; None: detected
    (`quotes_are_text`). A quotation mark never closed is a problem
    ("ingest.unterminated_quote", naming its line) unless they are read as text.
    A file in Windows-1252 or Latin-1 with some lines in UTF-8 is read line by line,
    each line in its encoding, and says so (`mixed_encoding`).
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
    mixed = utf8_as_single_byte = None
    try:
        if info.format == "excel":
            chosen = sheet if sheet is not None else info.sheets[0]
            if chosen not in info.sheets:
                raise ProblemError("ingest.no_such_sheet", sheet=chosen)
            read = run_isolated(_read_excel, data, chosen, header)
            info = FileInfo(
                "excel", sheets=info.sheets, size_bytes=info.size_bytes, header=read.header
            )
        else:
            info = delimited_info(data, info, encoding, delimiter, header, quotes_as_text)
            found = utf8_lines(data, info.encoding or "utf-8")
            mixed = found[:2] if found is not None and found[2] else None
            if found is not None and not found[2]:
                # Every line is UTF-8 yet Windows-1252 or Latin-1 was chosen: read as
                # chosen ("CafÃ©"), and said so.
                utf8_as_single_byte = found[:2]
            text_data = data
            if mixed is not None:
                text_data = decode_lines(data, info.encoding or "cp1252").encode("utf-8")
            read = _read_delimited(text_data, replace(info, encoding="utf-8") if mixed else info)
            if not info.quotes_as_text:
                _check_runaway_quote(
                    text_data, replace(info, encoding="utf-8") if mixed else info, read
                )
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
        mixed_encoding=mixed,
        utf8_as_single_byte=utf8_as_single_byte,
        source_digest=_digest(data, info),
    )


def _digest(data: bytes, info: FileInfo) -> str:
    digest = hashlib.blake2b(data, digest_size=16)
    settings = (info.format, info.encoding, info.delimiter, info.sheets, info.header)
    digest.update(repr((*settings, info.quotes_as_text)).encode())
    return digest.hexdigest()


def delimited_info(
    data: bytes,
    sniffed: FileInfo,
    encoding: str | None,
    delimiter: str | None,
    header: bool | None,
    quotes_as_text: bool | None = None,
) -> FileInfo:
    """The reading settings of a delimited file: the sniffed ones, overridden where given.

    Decides, for both readers, whether quotation marks are text (unless
    `quotes_as_text` says) and (when `header` is None) whether the first row is a header.
    """
    chosen_encoding = encoding or sniffed.encoding or "utf-8"
    chosen_delimiter = delimiter or sniffed.delimiter or ","
    head = _head_text(data, chosen_encoding)
    as_text = (
        quotes_are_text(head, chosen_delimiter, whole=len(data) <= _HEAD_BYTES)
        if quotes_as_text is None
        else quotes_as_text
    )
    if header is None:
        header = first_row_is_header(_head_rows(head, chosen_delimiter, as_text))
    return FileInfo(
        "csv",
        chosen_encoding,
        chosen_delimiter,
        size_bytes=sniffed.size_bytes,
        header=header,
        quotes_as_text=as_text,
    )


def detect_header(
    data: bytes,
    filename: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> bool:
    """Whether `read_raw` with these settings takes the first row for the header (by default).

    Reads only the first rows. True when the file cannot be read (nothing to decide).
    """
    sniffed = sniff(data, filename, max_bytes=max_bytes)
    if sniffed.info is None:
        return True
    if sniffed.info.format == "excel":
        try:
            rows = run_isolated(_excel_rows, data, sheet or sniffed.info.sheets[0], SAMPLE_ROWS + 1)
        except ProblemError:
            return True
        return first_row_is_header(rows)
    try:
        codecs.lookup(encoding or sniffed.info.encoding or "utf-8")
    except LookupError:
        return True
    return delimited_info(data, sniffed.info, encoding, delimiter, None).header


# Text looked at to decide quoting and the header: the first rows of any usual export.
_HEAD_BYTES = 1 << 20


def _head_text(data: bytes, encoding: str) -> str:
    """The first MiB of the file as text, up to its last whole line (NUL bytes dropped)."""
    try:
        text = data[:_HEAD_BYTES].decode(encoding, errors="ignore")
    except LookupError:
        return ""
    if len(data) > _HEAD_BYTES:
        text = text[: text.rfind("\n") + 1] or text
    return text.replace("\x00", "").lstrip("\ufeff")


def _head_rows(text: str, delimiter: str, quotes_as_text: bool) -> list[list[str]]:
    """The first non-blank records of `text` (at most the header and SAMPLE_ROWS rows)."""
    rows: list[list[str]] = []
    quoting = csv.QUOTE_NONE if quotes_as_text else csv.QUOTE_MINIMAL
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting):
            if any(cell.strip() for cell in row):
                rows.append(row)
                if len(rows) > SAMPLE_ROWS:
                    break
    except csv.Error:
        pass  # the rows before the error decide
    return rows


def quotes_are_text(text: str, delimiter: str, *, whole: bool) -> bool:
    """Whether the quotation marks in a delimited text are part of the text, not quoting.

    A sentence file ("… a true masterpiece in a sea of faux "masterpieces.<TAB>1", the
    next line opening with a quote) read with CSV quoting joins hundreds of lines into
    one record. The quotes are text when the quoted reading is malformed (text after a
    closing quote, or a quote never closed) while every line, split as it stands, has
    the same number of fields, and few lines open a field with a quote (as a file
    quoted by its writer does). `text`: the first lines; `whole`: it is the whole file.
    """
    if '"' not in text:
        return False
    # (Split at line feeds only: str.splitlines would also split at U+0085 and U+2028.)
    lines = [line for line in text.split("\n") if line.replace(delimiter, "").strip()]
    widths = {line.count(delimiter) for line in lines}
    if len(widths) != 1 or widths == {0}:
        return False
    opening = re.compile(rf'(?:^|{re.escape(delimiter)})\s*"')
    if sum(1 for line in lines if opening.search(line)) * 2 >= len(lines):
        return False
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as err:
        # A quoted field cut off by the end of the sample says nothing.
        return whole or "unexpected end of data" not in str(err)
    return False


def _check_runaway_quote(data: bytes, info: FileInfo, read: _Delimited) -> None:
    """Raise "ingest.unterminated_quote" when a quoted field swallowed many lines.

    Cheap unless the file has far fewer records than lines: then the csv module
    follows the quoting to find the record that runs over RUNAWAY_QUOTE_LINES lines.
    """
    if b'"' not in data:
        return
    utf16 = (info.encoding or "").startswith("utf-16")
    content = data.decode(info.encoding or "utf-8") if utf16 else data
    records = len(read.frame) + len(read.ragged) + int(read.header)
    if _content_lines(content) - records <= RUNAWAY_QUOTE_LINES:
        return
    text = content if isinstance(content, str) else content.decode(info.encoding or "utf-8")
    found = runaway_quote(text.replace("\x00", ""), info.delimiter or ",")
    if found is not None:
        line, lines = found
        raise ProblemError("ingest.unterminated_quote", line=line, lines=lines)


def runaway_quote(
    text: str, delimiter: str, min_lines: int = RUNAWAY_QUOTE_LINES
) -> tuple[int, int] | None:
    """(line where the record starts, lines it runs over) of the first record over `min_lines` lines.

    A quotation mark that opens a field and is never closed (or only by a stray one
    far below) makes the rest of the file one cell. Lines are counted as a text
    editor does (line feeds).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    previous = 0
    try:
        for _ in reader:
            if reader.line_num - previous > min_lines:
                return previous + 1, reader.line_num - previous
            previous = reader.line_num
    except csv.Error:  # a field over the csv module's size limit: the same runaway
        total = text.count("\n") + (not text.endswith("\n"))
        return previous + 1, max(total - previous, min_lines + 1)
    return None


# Valid UTF-8 sequences of two to four bytes: rare in Windows-1252 or Latin-1 text
# ("Ã©" is what "é" in UTF-8 looks like there).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_SINGLE_BYTE = ("cp1252", "latin-1", "iso8859-1", "latin1", "windows-1252")


def utf8_lines(data: bytes, encoding: str) -> tuple[int, int, bool] | None:
    """(first line, lines, other lines too) in UTF-8 of a file read as Windows-1252 or Latin-1.

    A line is UTF-8 when it has a multi-byte UTF-8 sequence and decodes as UTF-8; "other
    lines too" when some lines have bytes that are not UTF-8 (the file is mixed). None
    when no line is UTF-8 or the encoding is not single-byte (the usual case costs one
    regex search).
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    if name not in _SINGLE_BYTE or data.isascii() or not _UTF8_SEQUENCE.search(data):
        return None
    first, count, other = 0, 0, False
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other = True
            continue
        if _UTF8_SEQUENCE.search(line):
            count += 1
            first = first or number
    return (first, count, other) if count else None


def mixed_encoding_lines(data: bytes, encoding: str) -> tuple[int, int] | None:
    """(first line, lines) in UTF-8, when a file read as Windows-1252 or Latin-1 also holds
    lines that are not UTF-8 (see `utf8_lines`)."""
    found = utf8_lines(data, encoding)
    return (found[0], found[1]) if found is not None and found[2] else None


def decode_lines(data: bytes, encoding: str) -> str:
    """Text of a file whose lines are in UTF-8 or in `encoding`: each line decoded in its own."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode(encoding, errors="replace"))
    return "\n".join(lines)


@dataclass(frozen=True)
class _Delimited:
    """What a reader returns before the header is cleaned (see `RawTable` for the fields)."""

    frame: pd.DataFrame
    ragged: tuple[str, ...] = ()
    row_numbers: np.ndarray | None = None
    ragged_row_numbers: tuple[int, ...] = ()
    nul_bytes_removed: int = 0
    header: bool = True


def _read_delimited(data: bytes, info: FileInfo) -> _Delimited:
    """Split text into rows of the header's width; other lines are kept aside as ragged."""
    encoding, delimiter = info.encoding or "utf-8", info.delimiter or ","
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
    if info.quotes_as_text:  # pyarrow always reads quotes as quoting: the csv module
        read = _read_delimited_slowly(data.decode(encoding), delimiter, info.header, True)
    else:
        read = _split_rows(data, encoding, delimiter, utf16, info.header)
    return replace(read, nul_bytes_removed=nul_bytes, header=info.header)


def _split_rows(
    data: bytes, encoding: str, delimiter: str, utf16: bool, header: bool
) -> _Delimited:
    bad_lines: list[str] = []
    try:
        # pyarrow's reader is several times faster on large files and reports rows
        # with the wrong number of fields one by one.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            frame = pd.read_csv(
                io.BytesIO(data),
                sep=delimiter,
                header=0 if header else None,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                engine="pyarrow",
                on_bad_lines="warn",
            )
        for warning in caught:
            bad_lines.extend(_bad_lines_from_warning(str(warning.message)))
    except Exception:  # noqa: BLE001 - pyarrow refuses some valid files (and a header
        # without a line break after it); the csv module takes over
        return _read_delimited_slowly(data.decode(encoding), delimiter, header)
    if not header:
        frame.columns = column_names(frame.shape[1])
    # A line of blanks is a blank line, not a record (as in the slow reader).
    ragged = tuple(line for line in bad_lines if line.replace(delimiter, "").strip())
    numbers, ragged_numbers = number_rows(
        data, encoding, delimiter, utf16, len(frame), frame.shape[1], len(ragged), header
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
    header: bool = True,
) -> tuple[np.ndarray | None, tuple[int, ...]]:
    """Spreadsheet row numbers of the rows and ragged lines pyarrow read from `data`.

    (None, ()) when row i sits on row i + 2 (i + 1 without a header), the usual case,
    or when the numbering cannot be matched with what pyarrow read.
    """
    content = data.decode(encoding) if utf16 else data
    if not n_ragged and _content_lines(content) == n_rows + header:
        return None, ()
    # Blank or ragged lines shift the rows: number them as a spreadsheet would, in a
    # second pass (only for such files). Without quotes every line is one record and
    # numpy can count fields; otherwise the csv module follows the quoting.
    if not utf16 and b'"' not in data and b"\n" in data:
        numbers = _line_numbers(data, delimiter.encode("ascii"), n_fields, header)
    else:
        numbers = _record_numbers(data.decode(encoding), delimiter, n_fields, header)
    if numbers is None or len(numbers[0]) != n_rows or len(numbers[1]) != n_ragged:
        return None, ()  # the two readers disagree: do not claim numbers
    return np.asarray(numbers[0], dtype=np.int64), tuple(numbers[1])


def _line_numbers(
    data: bytes, delimiter: bytes, n_fields: int, header: bool = True
) -> tuple[np.ndarray, list[int]]:
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
    if header:
        skipped[: int(np.argmin(skipped)) + 1] = True  # up to the first line that is not blank
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


def _record_numbers(
    text: str, delimiter: str, n_fields: int, header: bool = True
) -> tuple[list[int], list[int]] | None:
    """Spreadsheet row numbers of the rows and of the ragged lines, blank lines counted as rows."""
    kept: list[int] = []
    ragged: list[int] = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header_seen = not header
        for number, row in enumerate(reader, start=1):
            if not header_seen:
                header_seen = any(cell.strip() for cell in row)
            elif not _is_blank(row, n_fields):
                (kept if len(row) == n_fields else ragged).append(number)
    except csv.Error:
        return None
    return kept, ragged


def _read_delimited_slowly(
    text: str, delimiter: str, has_header: bool = True, quotes_as_text: bool = False
) -> _Delimited:
    """The standard library's reader: slower, but takes any quoting and never drops a row unseen.

    pandas' own readers silently truncate or re-index rows with an extra field, so
    ragged rows are sorted out here, explicitly. Without a header, the first record
    that is not blank gives the width and is the first row.
    """
    quoting = csv.QUOTE_NONE if quotes_as_text else csv.QUOTE_MINIMAL
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
        rows = enumerate(reader, start=1)
        header: list[str] | None = None
        kept: list[list[str]] = []
        numbers: list[int] = []
        bad: list[str] = []
        bad_numbers: list[int] = []
        for number, row in rows:
            if header is None:
                if any(cell.strip() for cell in row):
                    header = row if has_header else column_names(len(row))
                    if not has_header:
                        kept.append(row)
                        numbers.append(number)
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


def _excel_sheet(data: bytes, sheet: str, nrows: int | None = None):
    """The sheet (for its start) and its used area's rows as Python values."""
    from python_calamine import CalamineWorkbook

    try:
        cells = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet)
        rows = cells.to_python(skip_empty_area=True, nrows=nrows)
    except Exception as err:  # noqa: BLE001 - calamine's errors mean "not a readable workbook"
        raise ProblemError("ingest.bad_excel") from err
    if not rows or not any(_excel_cell_to_text(v).strip() for v in rows[0]):
        raise ProblemError("ingest.empty_sheet", sheet=sheet)
    return cells, rows


def _excel_rows(data: bytes, sheet: str, nrows: int) -> list[list[str]]:
    """The first `nrows` rows of a sheet's used area as text cells."""
    _, rows = _excel_sheet(data, sheet, nrows)
    return [[_excel_cell_to_text(v) for v in row] for row in rows[:nrows]]


def _read_excel(data: bytes, sheet: str, header: bool | None = None) -> _Delimited:
    """The used area of a sheet as text cells; its first row is the header (`header`: None detects).

    calamine directly rather than pandas.read_excel: pandas would re-read text such as
    "007" as numbers, and take a blank row above the header for the header.
    """
    cells, rows = _excel_sheet(data, sheet)
    text = [[_excel_cell_to_text(v) for v in row] for row in rows]
    if header is None:
        header = first_row_is_header(text[: SAMPLE_ROWS + 1])
    names = text[0] if header else column_names(len(text[0]))
    body = text[1:] if header else text
    frame = pd.DataFrame(body, columns=range(len(names)), dtype=str) if body else None
    if frame is None:
        frame = pd.DataFrame({i: pd.Series(dtype=str) for i in range(len(names))})
    frame.columns = names
    # Rows as Excel numbers them: the used area may start below row 1.
    first = cells.start[0] if cells.start else 0
    numbers = np.arange(len(body), dtype=np.int64) + first + 1 + header if first else None
    return _Delimited(frame, row_numbers=numbers, header=header)


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
