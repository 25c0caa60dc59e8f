"""Excel workbooks the team downloads (openpyxl, write-only so 100,000 rows stream through):
every export builds its sheet here, so every one keeps text as text the same way.

Every text cell is stored as a string, never a formula; one that a spreadsheet would take for
a formula (storage.formulas: it starts with `=`, `+`, `-` or `@`, or a tab or carriage return
before one) is also marked with the quote-prefix style, Excel's own "this is text", so editing
it keeps it text. The value is the text exactly as written: no apostrophe is added to it, so
the file imports back as it was written. Times are the team's local time, as Excel has no time
zones.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from storage.formulas import FORMULA_STARTS


def text_cell(sheet: Any, value: str) -> WriteOnlyCell | str:
    """A cell that shows `value` as typed and never evaluates it.

    Most text is written as it is (openpyxl stores any string as text unless it starts with
    `=` or is an error code such as `#N/A`); only the rest pays for a cell object of its own,
    which is most of the cost of a large export."""
    formula_like = value.startswith(FORMULA_STARTS)
    if not formula_like and value not in ERROR_CODES:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl reads a leading = as a formula
    if formula_like:
        cell.quotePrefix = True
    return cell


def local_time(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """The team's wall-clock time of an instant, for Excel (which has no time zones)."""
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def workbook(
    sheet_name: str, columns: Sequence[tuple[str, int]], rows: Iterable[list[Any]]
) -> bytes:
    """XLSX bytes: a bold header row of `columns` (name, width), then the rows; a str value
    becomes a text cell (never a formula), other values are written as they are."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    count = 0
    for row in rows:
        count += 1
        sheet.append([text_cell(sheet, v) if isinstance(v, str) else v for v in row])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
