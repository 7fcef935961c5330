"""Shared helpers for the ingest tests: a fixed "today" and one-call ingest (make_xlsx is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from core.ingest import IngestResult, build_table, guess_mapping, read_raw
from core.schema import TableKind

# Every build in these tests runs "on" this day, so that future-date rules are stable.
TODAY = date(2024, 6, 30)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def ingest() -> Callable[..., IngestResult]:
    """Read, map by the automatic guess (or `mapping`), and build, as the upload page does."""

    def run(
        data: str | bytes,
        kind: TableKind = "transactions",
        *,
        filename: str = "upload.csv",
        mapping: dict[str, str | None] | None = None,
        **options: object,
    ) -> IngestResult:
        read_options = {
            k: options.pop(k)
            for k in ("encoding", "delimiter", "sheet", "max_bytes")
            if k in options
        }
        raw = read_raw(data.encode() if isinstance(data, str) else data, filename, **read_options)
        if raw.problem is not None:
            return IngestResult(None, None, raw.problem)
        if mapping is None:
            mapping = guess_mapping(raw.frame, kind).columns
        options.setdefault("today", TODAY)
        return build_table(raw, kind, mapping, **options)

    return run
