"""The first sheet of an uploaded XLSX, read without trusting what the file says about itself.

An XLSX is a zip of XML parts, and both layers can be made to explode: a few hundred KB that
unpack to gigabytes, a declared sheet size (`<dimension ref="A1:XFD1048576"/>`) or one far cell
that makes openpyxl fill in millions of empty ones, and XML that does not parse. Each is refused
here with a plain reason, before it costs more than a bounded amount of time and memory.
"""

from __future__ import annotations

import io
import logging
import struct
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any

import pandas as pd

from storage.importers.base import ImportRejected

log = logging.getLogger(__name__)

XLSX_MAGIC = b"PK\x03\x04"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # the upload limit when the caller names none
UNPACKED_PER_BYTE = 10  # the parts may unpack to ten times the upload limit …
UNPACKED_CAP = 1024 * 1024 * 1024  # … and never to more than 1 GiB
MAX_ENTRIES = 1000  # a workbook holds a few dozen parts
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's table of contents, read before anything else
MAX_RATIO = 100  # sheet XML packs 5–30 to 1; zip bombs pack 1000 to 1
RATIO_FLOOR = 1024 * 1024  # parts smaller than this cannot do harm, whatever their ratio
MAX_COLUMNS = 1000
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELLS = 25_000_000  # rows × columns read, empty cells included
HEADER_ROWS = 100  # the column names must be within the first rows
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")  # signature, disks, entries here, entries, size, …


def _unreadable(filename: str) -> ImportRejected:
    return ImportRejected(
        f"{filename} is not a readable Excel workbook: open it in Excel and save it again as "
        ".xlsx (or export it as CSV)."
    )


def unpacked_limit(max_bytes: int | None) -> int:
    """How much the parts of a workbook may unpack to, for an upload limit of `max_bytes`."""
    return min(UNPACKED_PER_BYTE * (max_bytes or DEFAULT_MAX_BYTES), UNPACKED_CAP)


def check_archive(data: bytes, filename: str, max_bytes: int | None = None) -> None:
    """Refuse a zip that would unpack to too much, or to too many parts, before opening it.

    The sizes come from the zip's own directory; Python's zipfile never unpacks a part to more
    than its declared size, so a part that lies about it is cut short (and then fails to parse).
    """
    end = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - _END_RECORD.size - 65535))
    if end < 0 or end + _END_RECORD.size > len(data):
        raise _unreadable(filename)
    _, _, _, _, entries, directory_bytes, _, _ = _END_RECORD.unpack_from(data, end)
    if entries > MAX_ENTRIES or directory_bytes > MAX_DIRECTORY_BYTES:
        raise ImportRejected(
            f"{filename} holds {entries:,} parts; an Excel workbook holds a few dozen. "
            "Open it in Excel and save it again as .xlsx, or export it as CSV."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _unreadable(filename) from None
    total, limit = sum(part.file_size for part in parts), unpacked_limit(max_bytes)
    if total > limit:
        raise ImportRejected(
            f"{filename} unpacks to {total / 1024 / 1024:,.0f} MB; the limit is "
            f"{limit / 1024 / 1024:,.0f} MB. Split it by date range and send the parts."
        )
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size / max(part.compress_size, 1)
            raise ImportRejected(
                f"{filename} is not an export I can read safely: its part {part.filename[:80]} "
                f"unpacks to {ratio:,.0f} times its packed size. Open it in Excel and save it "
                "again as .xlsx, or export it as CSV."
            )


@contextmanager
def _first_sheet(data: bytes, filename: str, max_bytes: int | None) -> Iterator[Any]:
    """The workbook's first sheet (openpyxl, read-only), checked and opened; whatever goes
    wrong inside openpyxl while it is read becomes a plain refusal."""
    from openpyxl import load_workbook

    check_archive(data, filename, max_bytes)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises whatever its XML and zip readers raise
        log.info("%s: openpyxl could not open it: %r", filename, error)
        raise _unreadable(filename) from None
    try:
        if not workbook.worksheets:
            raise ImportRejected(f"{filename} has no sheet with rows.")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared size would pad every row and the sheet to it
        yield sheet
    except ImportRejected:
        raise
    except Exception as error:
        log.info("%s: openpyxl could not read it: %r", filename, error)
        raise _unreadable(filename) from None
    finally:
        workbook.close()


def _header(sheet: Any, filename: str) -> tuple[int, list[str]]:
    """The sheet row number and the cells of the first row with anything in it, without the
    empty cells after the last name."""
    rows = sheet.iter_rows(max_row=HEADER_ROWS, max_col=MAX_COLUMNS + 1, values_only=True)
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(cell) for cell in row]
        while cells and not cells[-1].strip():
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise ImportRejected(
                f"{filename} has more than {MAX_COLUMNS:,} columns: export only the ones needed."
            )
        if cells:
            return number, cells
    raise ImportRejected(f"{filename} has no rows in its first sheet.")


def sheet_header(data: bytes, filename: str, max_bytes: int | None = None) -> list[str]:
    """The cells of the first sheet's first row that has any, as written."""
    with _first_sheet(data, filename, max_bytes) as sheet:
        return _header(sheet, filename)[1]


def read_sheet(
    data: bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    keep: Callable[[str], bool] | None = None,
) -> pd.DataFrame:
    """The first sheet's rows with anything in them, from its header row on, as text cells;
    each frame row's index is its sheet row number minus one. `keep(header cell)` selects the
    columns; the others are never stored."""
    with _first_sheet(data, filename, max_bytes) as sheet:
        header_row, header = _header(sheet, filename)
        width = len(header)
        kept = [i for i, name in enumerate(header) if keep is None or keep(name)]
        rows, numbers = [[header[i] for i in kept]], [header_row]
        last = min(MAX_ROWS, MAX_CELLS // width)
        body = sheet.iter_rows(min_row=header_row + 1, max_col=width, values_only=True)
        for number, row in enumerate(body, start=header_row + 1):
            if number > last:
                raise ImportRejected(
                    f"{filename} has more than {last:,} rows of {width} columns. Split it by "
                    "date range and send the parts."
                )
            if row.count(None) < len(row):  # not a blank row (openpyxl fills gaps with them)
                rows.append([cell_text(row[i]) if i < len(row) else "" for i in kept])
                numbers.append(number)
    return pd.DataFrame(rows, index=[n - 1 for n in numbers], dtype=str)


def cell_text(value: object) -> str:
    """A cell's value as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)
