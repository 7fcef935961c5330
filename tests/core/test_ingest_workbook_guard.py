"""Workbook bombs, built here as small files: each is refused before any Excel reader expands it.

Every case asserts the specific message key (in both catalogs), that the refusal is
quick, and that checking it allocates little (tracemalloc peak of the check itself;
the issue's originals took the server past 9 GB or aborted it). The second line of
defence, the reader's child process with a memory limit, is tested with functions
that blow up on purpose.
"""

from __future__ import annotations

import io
import os
import resource
import struct
import time
import tracemalloc
import zipfile

import pytest

from core.i18n import EN, ZH
from core.ingest import read_raw, sniff
from core.ingest.isolate import run_isolated
from core.ingest.problems import ProblemError
from core.ingest.workbook import MAX_CELLS, MAX_PART_BYTES, check_workbook, column_number

NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
_WORKBOOK = (
    b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    b"</Relationships>"
)
_SHARED = (
    b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>x</t></si></sst>"
)


def workbook(sheet_parts, shared: bytes = _SHARED, level: int = 9) -> bytes:
    """A minimal .xlsx whose first sheet's XML is the concatenation of `sheet_parts` (streamed in)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", shared)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for part in sheet_parts:
                sheet.write(part)
    return buffer.getvalue()


def sheet(rows: bytes, dimension: bytes = b"") -> list[bytes]:
    return [NS, dimension, b"<sheetData>", rows, b"</sheetData></worksheet>"]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # (KiB on Linux)


def refused(data: bytes, key: str, seconds: float = 5.0) -> dict:
    """Check `data` as an upload: refused with `key`, within `seconds`, the process barely growing.

    The process's peak resident size may grow by less than 200 MB during the check (the
    issue's originals took the server past 9 GB, or aborted it).
    """
    peak_before = _peak_rss_mb()
    start = time.monotonic()
    result = sniff(data, "bomb.xlsx")
    elapsed = time.monotonic() - start
    grown = _peak_rss_mb() - peak_before
    assert result.problem is not None, "the workbook was accepted"
    assert result.problem.key == key, result.problem
    assert key in EN and key in ZH
    # The message fills in with the problem's numbers, in both languages.
    EN[key].format(**result.problem.params)
    ZH[key].format(**result.problem.params)
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert grown < 200, f"the process grew by {grown:.0f} MB"
    return result.problem.params


def test_the_check_holds_one_block_at_a_time():
    # 8 MB of sheet XML within every budget: what the check allocates, traced.
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 10_000)
    )
    data = workbook([NS, b"<sheetData>", *[rows] * 20, b"</sheetData></worksheet>"], level=1)
    tracemalloc.start()
    try:
        assert check_workbook(data) is None
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * 2**20, f"the check allocated {peak / 2**20:.0f} MB"


def test_column_numbers():
    assert [column_number(c) for c in ("A", "Z", "AA", "AZ", "XFD")] == [1, 26, 27, 52, 16384]


def test_normal_workbook_passes_the_check_and_loads(make_xlsx):
    data = make_xlsx({"Orders": [["customer_id", "amount"], ["C1", 3.5], ["C2", 4]]})
    assert check_workbook(data) is None
    raw = read_raw(data, "orders.xlsx")
    assert raw.problem is None
    assert raw.frame.to_dict("list") == {"customer_id": ["C1", "C2"], "amount": ["3.5", "4"]}


def test_a1_and_xfd1048576_the_issues_1_6_kb_workbook():
    # One cell at A1 and one at the last cell of a sheet: the reader allocated the grid
    # between them (549,755,813,888 bytes) and aborted the server.
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>'
    )
    data = workbook(sheet(rows))
    assert len(data) < 2000
    params = refused(data, "ingest.workbook_dimension")
    assert (params["rows"], params["columns"]) == (1_048_576, 16_384)
    assert params["limit"] == MAX_CELLS


def test_declared_dimension_over_the_budget():
    rows = b'<row r="1"><c r="A1"><v>1</v></c></row>'
    data = workbook(sheet(rows, b'<dimension ref="A1:Z2000000"/>'))
    params = refused(data, "ingest.workbook_dimension")
    assert (params["rows"], params["columns"], params["cells"]) == (2_000_000, 26, 52_000_000)


def test_a_sheet_declaring_a_small_dimension_but_spanning_a_huge_grid():
    # The declared dimension lies (A1:B2): the cell references are what a reader allocates.
    rows = (
        b'<row r="1"><c r="A1"><v>1</v></c></row><row r="900000"><c r="ZZ900000"><v>2</v></c></row>'
    )
    data = workbook(sheet(rows, b'<dimension ref="A1:B2"/>'))
    params = refused(data, "ingest.workbook_dimension")
    assert (params["rows"], params["columns"]) == (900_000, 702)


def test_millions_of_small_rows_of_shared_strings_compressed_small():
    # 1,100,000 rows, each a shared string in A and T: 22 million cells of grid from a
    # file of about 10 MB (no <dimension> to go by).
    n = 1_100_000
    chunk = 10_000

    def rows():
        for start in range(1, n + 1, chunk):
            yield b"".join(
                b'<row r="%d"><c r="A%d" t="s"><v>0</v></c><c r="T%d" t="s"><v>0</v></c></row>'
                % (i, i, i)
                for i in range(start, min(start + chunk, n + 1))
            )

    data = workbook([NS, b"<sheetData>", *rows(), b"</sheetData></worksheet>"], level=1)
    assert len(data) < 16 * 2**20
    params = refused(data, "ingest.workbook_dimension")
    assert params["columns"] == 20
    assert params["rows"] * 20 > MAX_CELLS


def test_one_huge_cell():
    # The issue's 1.4 MB workbook with one huge cell reached 7.45 GB: here 3 MB of text
    # in one inline string, compressed to a few KB.
    big = b"A" * (3 * 2**20)
    rows = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + big + b"</t></is></c></row>"
    data = workbook(sheet(rows))
    assert len(data) < 64 * 1024
    params = refused(data, "ingest.workbook_huge_cell")
    assert params["limit_mb"] == 1


def test_one_huge_shared_string():
    shared = b"<sst><si><t>" + b"B" * (3 * 2**20) + b"</t></si></sst>"
    data = workbook(sheet(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared=shared)
    refused(data, "ingest.workbook_huge_cell")


def test_compression_ratio_of_a_bomb():
    # 40 MB of the same row compresses about 400 to one.
    row = b'<row><c t="s"><v>0</v></c></row>'
    data = workbook([NS, b"<sheetData>", *[row * 32_768] * 40, b"</sheetData></worksheet>"])
    params = refused(data, "ingest.workbook_bomb")
    assert params["ratio"] > 200


def test_a_part_over_the_byte_budget():
    # 520 MB once unpacked (rows of numbers written at level 1), a few MB compressed.
    block = b"".join(b"<row><c><v>%d</v></c></row>" % i for i in range(40_000))
    repeats = MAX_PART_BYTES // len(block) + 2
    data = workbook([NS, b"<sheetData>", *[block] * repeats, b"</sheetData></worksheet>"], level=1)
    params = refused(data, "ingest.workbook_part_too_large")
    assert params["size_mb"] > params["limit_mb"] == 512


def _declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten in its local and central headers."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    assert out[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", out, local + 22, size)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + name_length] == name.encode():
            struct.pack_into("<I", out, central + 24, size)
            return bytes(out)
        central = out.find(b"PK\x01\x02", central + 4)
    raise AssertionError("central directory entry not found")


def test_a_zip_lying_about_the_uncompressed_size():
    # A 5 MB sheet that its directory says is 1,000 bytes: streaming stops at the
    # declared size and the CRC does not match, so no reader sees it.
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 120_000)
    )
    original = workbook(sheet(rows), level=1)
    assert check_workbook(original) is None
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 5_000_000
    data = _declare_size(original, "xl/worksheets/sheet1.xml", 1000)
    refused(data, "ingest.bad_excel")


def test_a_truncated_or_encrypted_zip_is_a_bad_workbook(make_xlsx):
    data = make_xlsx({"Orders": [["a", "b"], [1, 2]]})
    refused(data[: len(data) // 2], "ingest.bad_excel")
    encrypted = bytearray(data)
    # The "encrypted" bit of the first local header and of every central entry.
    encrypted[6] |= 1
    position = encrypted.find(b"PK\x01\x02")
    while position >= 0:
        encrypted[position + 8] |= 1
        position = encrypted.find(b"PK\x01\x02", position + 4)
    refused(bytes(encrypted), "ingest.bad_excel")


# ---------------------------------------------------------------------------------------------
# The second line of defence: the reader runs in a child process with a memory limit


def test_a_reader_that_runs_out_of_memory_kills_only_its_child():
    before = os.getpid()
    with pytest.raises(ProblemError) as caught:
        run_isolated(bytearray, 8 * 1024**3, memory_bytes=256 * 2**20)
    assert caught.value.problem.key == "ingest.workbook_memory"
    assert caught.value.problem.params == {"limit_mb": 256}
    assert os.getpid() == before
    # The next file still reads.
    assert run_isolated(len, b"abc") == 3


def test_a_reader_that_aborts_the_process_kills_only_its_child():
    # What the Excel reader did on the 1.6 KB workbook ("memory allocation … failed").
    with pytest.raises(ProblemError) as caught:
        run_isolated(os.abort)
    assert caught.value.problem.key == "ingest.workbook_memory"
    assert run_isolated(sum, [1, 2, 3]) == 6


def test_a_reader_over_its_time_is_stopped():
    start = time.monotonic()
    with pytest.raises(ProblemError) as caught:
        run_isolated(time.sleep, 30, timeout=1.0)
    assert caught.value.problem.key == "ingest.workbook_too_slow"
    assert time.monotonic() - start < 10


def test_a_workbook_within_the_checks_but_over_the_memory_limit_is_refused(monkeypatch):
    # 200,000 rows of three cells pass every check; with 32 MB for the reader (instead
    # of 4 GB) the child runs out, and the user gets the message, not a dead server.
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>C%d</t></is></c><c r="B%d"><v>45000</v></c>'
        b'<c r="C%d"><v>%d.5</v></c></row>' % (i, i, i, i, i, i)
        for i in range(1, 200_001)
    )
    data = workbook(sheet(rows), level=1)
    assert check_workbook(data) is None
    monkeypatch.setattr("core.ingest.isolate.MEMORY_BYTES", 32 * 2**20)
    raw = read_raw(data, "big.xlsx")
    assert raw.problem is not None and raw.problem.key == "ingest.workbook_memory"
    assert raw.problem.params == {"limit_mb": 32}
    EN["ingest.workbook_memory"].format(**raw.problem.params)
    ZH["ingest.workbook_memory"].format(**raw.problem.params)
    # With the app's limit the same workbook reads.
    monkeypatch.undo()
    raw = read_raw(data, "big.xlsx")
    assert raw.problem is None and len(raw.frame) == 200_000  # (no header row: all data)


def test_a_reader_error_is_a_bad_workbook_and_problems_come_back():
    with pytest.raises(ProblemError) as caught:
        run_isolated(int, "not a number")
    assert caught.value.problem.key == "ingest.bad_excel"


def test_parts_no_reader_opens_are_not_streamed():
    # A 2 MB run of text in document properties: no reader opens it, so it is not a
    # "huge cell" (the directory's size checks still bound it).
    buffer = io.BytesIO()
    base = workbook(sheet(b'<row r="1"><c r="A1"><v>1</v></c></row>'))
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("docProps/custom.xml", b"<p>" + b"z" * (2 * 2**20) + b"</p>")
    assert check_workbook(buffer.getvalue()) is None
