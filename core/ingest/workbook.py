"""Check an .xlsx workbook before any Excel reader expands it.

A workbook is a zip of XML parts. Its compressed size says little about what a reader
will allocate: a 1.6 KB file with one cell at A1 and one at XFD1048576 makes a reader
allocate the whole 17-billion-cell grid, and a 3 MB file can hold a gigabyte of sheet
XML. `check_workbook` looks at the zip directory (declared sizes, compression ratio,
encryption) and then streams each XML part in blocks, counting rows and cells, the
grid the cell references span and the longest run of text, and stops as soon as a
budget is passed. It holds one block at a time (about 1 MB), whatever the workbook.

A part that is larger than the zip directory declares fails the zip's own size and CRC
check while it is streamed here, so no reader sees it either.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
import zlib
from dataclasses import dataclass

from core.ingest.problems import Problem

# The grid one sheet may span (rows x columns, as the cell references place them) and
# the cells or distinct texts it may hold: 1,000,000 rows of 15 columns. Reading a
# sheet takes about 250 bytes a cell (measured: 1.5 million cells, 390 MB at the
# reader's peak), so a sheet within this budget fits the reader's 4 GB
# (core.ingest.isolate.MEMORY_BYTES).
MAX_CELLS = 15_000_000
# Bytes one part of the workbook may take once unpacked.
MAX_PART_BYTES = 512 * 1024 * 1024
# Bytes all parts together may take once unpacked.
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
# Compression no real spreadsheet reaches (sheet XML compresses 5-50 to 1), for parts
# that are large once unpacked.
MAX_RATIO = 200
RATIO_MIN_BYTES = 32 * 1024 * 1024
# Bytes of text in one cell (Excel allows 32,767 characters: at most about 200 KB of
# escaped UTF-8 XML).
MAX_CELL_BYTES = 1024 * 1024
# Parts in the zip; seconds the whole check may take.
MAX_PARTS = 10_000
MAX_SECONDS = 30.0

_BLOCK = 1 << 20
# Patterns that start with a literal, which the regex engine finds quickly. Cell
# references (r="AB12") are only on cells; r="12" (digits only) only on rows.
_COLUMN = re.compile(rb' r="([A-Z]{1,3})[0-9]')
_ROW_NUMBER = re.compile(rb' r="[A-Z]{0,3}([0-9]{1,9})"')
_PREFIX = re.compile(rb"<(\w+:)(?:worksheet|sst)\b")
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\sref="([A-Z]{1,3})?([0-9]{1,9})?(?::([A-Z]{1,3})([0-9]{1,9}))?"'
)


def column_number(letters: bytes | str) -> int:
    """Excel's column number of a column name: A = 1, Z = 26, AA = 27, XFD = 16,384."""
    number = 0
    for char in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(char) - 64
    return number


@dataclass
class _Part:
    """What streaming one XML part found (for the budgets)."""

    rows: int = 0
    max_row: int = 0
    max_column: int = 0
    cells: int = 0
    strings: int = 0
    prefix: bytes = b""  # the namespace prefix of the part's tags ("x:"), if any
    shared_strings: bool = False


class _Refused(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.problem = Problem(key, params)


def check_workbook(data: bytes, *, max_seconds: float = MAX_SECONDS) -> Problem | None:
    """The problem that keeps this .xlsx from being expanded, or None when it is within budget."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_directory(archive)
            deadline = time.monotonic() + max_seconds
            for info in archive.infolist():
                if _read_by_excel_readers(info.filename):
                    _scan_part(archive, info, deadline, max_seconds)
    except _Refused as refused:
        return refused.problem
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
    ):
        # Damaged, encrypted, an unknown compression, or a part that is not the size
        # its directory entry says.
        return Problem("ingest.bad_excel")
    return None


# Parts no Excel reader here opens (pictures, charts, drawings, themes, document
# properties, custom XML): bounded by the zip directory's sizes only.
_NOT_READ = ("docprops/", "customxml/", "xl/media/", "xl/drawings/", "xl/charts/", "xl/theme/")


def _read_by_excel_readers(name: str) -> bool:
    lower = name.lower()
    if lower.startswith(_NOT_READ):
        return False
    return lower.endswith((".xml", ".rels")) or "/worksheets/" in lower


def _check_directory(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise _Refused("ingest.bad_excel")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _Refused("ingest.bad_excel")  # encrypted
        size = info.file_size
        total += size
        if size > MAX_PART_BYTES:
            raise _Refused(
                "ingest.workbook_part_too_large",
                size_mb=size / 2**20,
                limit_mb=MAX_PART_BYTES / 2**20,
            )
        ratio = size / max(info.compress_size, 1)
        if size > RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise _Refused(
                "ingest.workbook_bomb", ratio=ratio, size_mb=size / 2**20, limit=MAX_RATIO
            )
    if total > MAX_TOTAL_BYTES:
        raise _Refused(
            "ingest.workbook_part_too_large",
            size_mb=total / 2**20,
            limit_mb=MAX_TOTAL_BYTES / 2**20,
        )


def _scan_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, deadline: float, max_seconds: float
) -> None:
    """Stream one part: cells, rows and span of a sheet, texts of the shared strings."""
    part = _Part()
    read = 0
    since_tag = 0  # bytes of text since the last "<"
    carry = b""
    first = True
    with archive.open(info) as stream:
        while True:
            block = stream.read(_BLOCK)
            if not block:
                break
            read += len(block)
            if read > MAX_PART_BYTES:  # (the zip module stops at the declared size first)
                raise _Refused(
                    "ingest.workbook_part_too_large",
                    size_mb=read / 2**20,
                    limit_mb=MAX_PART_BYTES / 2**20,
                )
            lt = block.find(b"<")
            if lt < 0:
                since_tag += len(block)
            else:
                since_tag += lt
                _check_cell_text(since_tag)
                since_tag = len(block) - block.rfind(b"<") - 1
            _check_cell_text(since_tag)
            text = carry + block
            cut = text.rfind(b"<")
            if cut < 0 or len(text) - cut > 4096:
                carry, text = b"", text
            else:
                carry, text = text[cut:], text[:cut]
            if first:
                _check_dimension(text)
                prefixed = _PREFIX.search(text)
                part.prefix = prefixed.group(1) if prefixed else b""
                part.shared_strings = b"<" + part.prefix + b"sst" in text
                first = False
            _count(part, text)
            if time.monotonic() > deadline:
                raise _Refused("ingest.workbook_too_slow", seconds=max_seconds)
        _count(part, carry)


def _check_cell_text(length: int) -> None:
    if length > MAX_CELL_BYTES:
        raise _Refused("ingest.workbook_huge_cell", limit_mb=MAX_CELL_BYTES / 2**20)


def _check_dimension(head: bytes) -> None:
    """The sheet's declared used area (`<dimension ref="A1:XFD1048576"/>`), when it has one."""
    match = _DIMENSION.search(head)
    if match is None:
        return
    first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:  # a single cell
        last_col, last_row = first_col, first_row
    if not (first_col and first_row and last_col and last_row):
        return
    rows = int(last_row) - int(first_row) + 1
    columns = column_number(last_col) - column_number(first_col) + 1
    _check_span(rows, columns)


def _check_span(rows: int, columns: int) -> None:
    if rows * columns > MAX_CELLS:
        raise _Refused(
            "ingest.workbook_dimension",
            rows=rows,
            columns=columns,
            cells=rows * columns,
            limit=MAX_CELLS,
        )


def _count(part: _Part, text: bytes) -> None:
    """Add a block's rows, cells and texts to `part`, and stop when a budget is passed.

    Tags are counted with `bytes.count` (with the namespace prefix the part uses, if
    any); the grid's extent from the largest row number and column name referenced.
    About 100 MB of sheet XML a second.
    """
    if not text:
        return
    prefix = part.prefix
    if part.shared_strings:
        part.strings += text.count(b"<" + prefix + b"si>") + text.count(b"<" + prefix + b"si ")
        if part.strings > MAX_CELLS:
            raise _Refused("ingest.workbook_cells", n=part.strings, limit=MAX_CELLS)
        return
    part.cells += text.count(b"<" + prefix + b"c ") + text.count(b"<" + prefix + b"c>")
    part.rows += text.count(b"<" + prefix + b"row ") + text.count(b"<" + prefix + b"row>")
    columns = set(_COLUMN.findall(text))  # a few distinct names per block
    if columns:
        longest = max(map(len, columns))
        last = max(c for c in columns if len(c) == longest)
        part.max_column = max(part.max_column, column_number(last))
    numbers = _ROW_NUMBER.findall(text)
    if numbers:
        part.max_row = max(part.max_row, max(map(int, numbers)))
    if part.cells > MAX_CELLS:
        raise _Refused("ingest.workbook_cells", n=part.cells, limit=MAX_CELLS)
    _check_span(max(part.rows, part.max_row), max(part.max_column, 1 if part.cells else 0))
