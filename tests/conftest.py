"""Fixtures shared by the core and app tests."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from openpyxl import Workbook


@pytest.fixture
def make_xlsx() -> Callable[[dict[str, list[list[object]]]], bytes]:
    """Write a workbook with one sheet per item, in order: {"Orders": [[header...], [row...]]}."""

    def make(sheets: dict[str, list[list[object]]]) -> bytes:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for name, rows in sheets.items():
            sheet = workbook.create_sheet(name)
            for row in rows:
                sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    return make
