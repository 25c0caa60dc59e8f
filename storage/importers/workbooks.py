"""The first sheet of an uploaded XLSX, read without trusting what the file says about itself.

An XLSX is a zip of XML parts, and both layers can be made to explode: a few hundred KB that
unpack to gigabytes, one far cell that makes a reader fill in billions of empty ones, and XML
that does not parse. Each is refused here with a plain reason, before it costs more than a
bounded amount of time and memory.

The sheet itself is read by calamine (Rust, through `fastexcel`) straight into Arrow text
columns, the form the CSV reader produces: several times faster than openpyxl and without a
Python object per cell. Calamine holds a sheet as one dense grid from its first to its last
cell, so the sheet's extent is measured on the XML stream first (`sheet_extent`): a single cell
at XFD1048576 would otherwise ask for half a terabyte and end the process. And since that grid
costs some 90 bytes a cell, twice the sheet's XML, calamine is given the sheet a piece of its
XML at a time (`read_sheet_pieces`): a 24 MB export within every limit no longer ends a process
held to 1.2 GB.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from lxml import etree

from storage.errors import N_, Number
from storage.importers.base import ImportRejected

if TYPE_CHECKING:
    import pyarrow as pa

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
DENSE_FREE_CELLS = 1_000_000  # a grid this small costs little however empty it is
HEADER_ROWS = 100  # the column names must be within the first rows
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")  # signature, disks, entries here, entries, size, …


def _too_wide(filename: str) -> ImportRejected:
    return ImportRejected(
        N_("{filename} has more than {most} columns: export only the ones needed."),
        filename=filename,
        most=Number(MAX_COLUMNS),
    )


def _unreadable(filename: str) -> ImportRejected:
    return ImportRejected(
        N_(
            "{filename} is not a readable Excel workbook: open it in Excel and save it again as "
            ".xlsx (or export it as CSV)."
        ),
        filename=filename,
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
            N_(
                "{filename} holds {entries} parts; an Excel workbook holds a few dozen. "
                "Open it in Excel and save it again as .xlsx, or export it as CSV."
            ),
            filename=filename,
            entries=Number(entries),
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _unreadable(filename) from None
    total, limit = sum(part.file_size for part in parts), unpacked_limit(max_bytes)
    if total > limit:
        raise ImportRejected(
            N_(
                "{filename} unpacks to {total} MB; the limit is "
                "{limit} MB. Split it by date range and send the parts."
            ),
            filename=filename,
            total=Number(total / 1024 / 1024),
            limit=Number(limit / 1024 / 1024),
        )
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * part.compress_size:
            ratio = part.file_size / max(part.compress_size, 1)
            raise ImportRejected(
                N_(
                    "{filename} is not an export I can read safely: its part {part} "
                    "unpacks to {ratio} times its packed size. Open it in Excel and save it "
                    "again as .xlsx, or export it as CSV."
                ),
                filename=filename,
                part=part.filename[:80],
                ratio=Number(ratio),
            )


@dataclass(frozen=True)
class SheetExtent:
    """Where a sheet's cells are: the grid calamine will hold is `last_row` × `last_column`."""

    first_row: int  # the row of the first cell with a value (1 when the XML does not say)
    last_row: int
    last_column: int
    xml_bytes: int


_STREAM_CHUNK = 4 * 1024 * 1024
_OVERLAP = 64  # a reference cut between two chunks is seen whole in the second
# A reference: a cell's (`r="AB12"`) or a row's (`r="12"`).
_REFERENCE = re.compile(rb'r="([A-Z]{0,3})([0-9]+)"')
_ROW_START = b'row r="'
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)>")
# A cell that does not start with its reference takes the next column after the one before.
_UNNAMED_CELL = re.compile(rb"<c[ />](?!r=)")
_UNNAMED_PREFIXED_CELL = re.compile(rb":c[ />](?!r=)")  # `<x:c>`, from writers that use prefixes


def column_number(letters: str) -> int:
    """`A` → 1, `Z` → 26, `AA` → 27, `XFD` → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _after(name: str, alphabet: str, longest: int) -> str:
    """A regular expression for the names over `alphabet` (in its order) that come after
    `name`, counting a longer name as later: `AB` → longer names, `A[C-Z]`, `[B-Z].`."""
    first, last = alphabet[0], alphabet[-1]
    later = [f"[{first}-{last}]{{{len(name) + 1},{longest}}}"] if len(name) < longest else []
    for i, symbol in enumerate(name):
        if symbol != last:
            following = alphabet[alphabet.index(symbol) + 1]
            rest = f"[{first}-{last}]{{{len(name) - i - 1}}}"
            later.append(f"{name[:i]}[{following}-{last}]{rest}")
    return "|".join(later) or "(?!)"


def _beyond(last_row: int, last_column: int) -> re.Pattern[bytes]:
    """A reference to a row after `last_row` or a column after `last_column`. Searched for
    chunk by chunk, it finds nothing in an ordinary sheet (whose rows come in order and whose
    width its first rows show), so the scan stays one fast search per chunk."""
    rows = _after(str(last_row) if last_row else "", "0123456789", 8)
    columns = _after(column_letters(last_column), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 3)
    return re.compile(rf'r="(?:[A-Z]{{0,3}}(?:{rows})"|(?:{columns})[0-9])'.encode())


def _widest_unnamed_row(text: bytes) -> int:
    """Cells without a reference take the next column: count them row by row (an upper
    bound; rare, as Excel names every cell)."""
    return max(row.count(b"<c") + row.count(b":c ") for row in text.split(b"row>"))


def sheet_extent(stream: IO[bytes]) -> SheetExtent:
    """The rows and columns a sheet's cells span, from one pass over its XML.

    The last row element of each chunk gives the rows so far; any reference beyond what was
    seen so far is then searched for, and only when one is there are the chunk's references
    read one by one. An ordinary sheet costs one search per chunk."""
    first_row, last_row, last_column, size = 0, 0, 0, 0
    tail, unnamed = b"", _UNNAMED_CELL
    while chunk := stream.read(_STREAM_CHUNK):
        if not size and b"<sheetData" not in chunk:
            unnamed = _UNNAMED_PREFIXED_CELL
        size += len(chunk)
        text, tail = tail + chunk, chunk[-_OVERLAP:]
        row_start = text.rfind(_ROW_START)
        if row_start >= 0 and (last := _REFERENCE.match(text, row_start + 4)):
            last_row = max(last_row, int(last.group(2)))
        if _beyond(last_row, last_column).search(text):
            for letters, number in _REFERENCE.findall(text):
                last_row = max(last_row, int(number))
                last_column = max(last_column, column_number(letters.decode()))
        if unnamed.search(text):
            last_column = max(last_column, _widest_unnamed_row(text))
        if not first_row and (value := _VALUE.search(text)):
            reference = _REFERENCE.search(text, text.rfind(b' r="', 0, value.start()) + 1)
            first_row = int(reference.group(2)) if reference else 1
    return SheetExtent(first_row or 1, last_row, last_column, size)


# The parts are untrusted: no entities, no network, no trees beyond lxml's size limits.
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False}
_XML_ERRORS = (etree.LxmlError, KeyError, ValueError, OSError, zipfile.BadZipFile, EOFError)

Element = Any  # lxml's elements (lxml ships no type hints)


def _elements(stream: IO[bytes], events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
    """(event, element) of an XML part as it is read, never the whole tree at once."""
    return etree.iterparse(stream, events=events, **_PARSER_OPTIONS)


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _attribute(element: Element, name: str) -> str | None:
    """An attribute by its local name, whatever namespace prefix the writer used."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The part that holds the workbook's first sheet, as workbook.xml and its rels name it."""
    relation = None
    with archive.open("xl/workbook.xml") as book:
        for _, element in _elements(book):
            if _local(element.tag) == "sheet":
                relation = _attribute(element, "id")
                break
    if relation is None:
        raise ValueError("no sheet")
    with archive.open("xl/_rels/workbook.xml.rels") as rels:
        for _, element in _elements(rels):
            if _local(element.tag) == "Relationship" and element.get("Id") == relation:
                target = element.get("Target", "")
                if target.startswith("/"):
                    return target.lstrip("/")
                return posixpath.normpath(posixpath.join("xl", target))
    raise ValueError("no sheet part")


def _cell_texts(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")


def _shared_strings(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings at the positions `wanted`, reading no further than the last one."""
    found: dict[int, str] = {}
    if not wanted or "xl/sharedStrings.xml" not in archive.namelist():
        return found
    last, position = max(wanted), 0
    with archive.open("xl/sharedStrings.xml") as strings:
        for _, element in _elements(strings):
            if _local(element.tag) != "si":
                continue
            if position in wanted:
                found[position] = _cell_texts(element)
            element.clear()
            position += 1
            if position > last:
                break
    return found


def _header_cells(archive: zipfile.ZipFile, part: str, filename: str) -> list[str]:
    """The cells of the first row with a value, as written, without the empty ones after the
    last name; read cell by cell, so a row of a million cells costs no more than its first."""
    cells: dict[int, tuple[str | None, str]] = {}  # column → (type, raw value)
    with archive.open(part) as sheet:
        rows = 0
        column = 0
        for event, element in _elements(sheet, ("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "row":
                    rows, column = rows + 1, 0
                continue
            if tag == "c":
                reference = element.get("r")
                column = column_number(reference.rstrip("0123456789")) if reference else column + 1
                value = _cell_value(element)
                if value:
                    if column > MAX_COLUMNS:
                        raise _too_wide(filename)
                    cells[column] = (element.get("t"), value)
                element.clear()
            elif tag == "row":
                if cells or rows >= HEADER_ROWS:
                    break
                element.clear()
    if not cells:
        raise ImportRejected(N_("{filename} has no rows in its first sheet."), filename=filename)
    shared = {int(v) for t, v in cells.values() if t == "s" and v.isdigit()}
    strings = _shared_strings(archive, shared)
    texts = [""] * max(cells)
    for column, (kind, value) in cells.items():
        texts[column - 1] = strings.get(int(value), "") if kind == "s" else value
    return texts


def _cell_value(cell: Element) -> str:
    """The raw value of a cell element: a shared-string index, inline text or a number."""
    if cell.get("t") == "inlineStr":
        return "".join(_cell_texts(child) for child in cell if _local(child.tag) == "is")
    for child in cell:
        if _local(child.tag) == "v":
            return child.text or ""
    return ""


def _open_checked(data: bytes, filename: str, max_bytes: int | None) -> zipfile.ZipFile:
    check_archive(data, filename, max_bytes)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _unreadable(filename) from None


def sheet_header(data: bytes, filename: str, max_bytes: int | None = None) -> list[str]:
    """The cells of the first sheet's first row that has any, as written."""
    with _open_checked(data, filename, max_bytes) as archive:
        try:
            return _header_cells(archive, _first_sheet_part(archive), filename)
        except ImportRejected:
            raise
        except _XML_ERRORS as error:
            log.info("%s: its first sheet could not be read: %r", filename, error)
            raise _unreadable(filename) from None


def _checked_extent(data: bytes, filename: str, max_bytes: int | None) -> SheetExtent:
    """The first sheet's extent, refused when the grid it spans is too large or mostly air."""
    with _open_checked(data, filename, max_bytes) as archive:
        try:
            with archive.open(_first_sheet_part(archive)) as sheet:
                extent = sheet_extent(sheet)
        except _XML_ERRORS as error:
            log.info("%s: its first sheet could not be read: %r", filename, error)
            raise _unreadable(filename) from None
    width = max(extent.last_column, 1)
    cells = extent.last_row * width
    if extent.last_row > MAX_ROWS or cells > MAX_CELLS:
        last = min(MAX_ROWS, MAX_CELLS // width)
        raise ImportRejected(
            N_(
                "{filename} has more than {last} rows of {width} columns. Split it by date range "
                "and send the parts."
            ),
            filename=filename,
            last=Number(last),
            width=width,
        )
    if cells > DENSE_FREE_CELLS and cells > extent.xml_bytes:
        raise ImportRejected(
            N_(
                "{filename} has cells as far as {cell} but "
                "little in them: open it in Excel, delete the empty rows and columns after the "
                "data, and save it again (or export it as CSV)."
            ),
            filename=filename,
            cell=f"{column_letters(width)}{extent.last_row}",
        )
    return extent


def _calamine_columns(data: bytes, filename: str) -> pa.RecordBatch:
    """Every cell of the first sheet as Arrow text (null where empty), calamine's grid from
    its first cell on."""
    import fastexcel

    try:
        sheet = fastexcel.read_excel(data).load_sheet(
            0, header_row=None, dtypes="string", eager=True
        )
    except BaseException as error:  # calamine's errors, and a panic, which is no Exception
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        log.info("%s: calamine could not read it: %r", filename, error)
        raise _unreadable(filename) from None
    return sheet


PIECE_XML_BYTES = 16 * 1024 * 1024  # of sheet XML read by calamine at a time (it holds ~3×)
_WORKSHEET = re.compile(rb"<((?:\w+:)?)worksheet[\s>]")
_SHEET_DATA = re.compile(rb"<((?:\w+:)?)sheetData\b[^>]*?(/?)>")
_SHEET_DATA_END = re.compile(rb"</(?:\w+:)?sheetData>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")  # calamine would size the grid by it
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]+)"')
_MOST_HEAD_BYTES = 16 * 1024 * 1024  # what may come before the rows (sheet views, columns …)


@dataclass(frozen=True)
class _SheetXml:
    """A sheet's XML cut between its rows: the part before them, the rows a piece at a time
    (each ending before a row starts), and how a piece is closed."""

    head: bytes
    tail: bytes
    row_tag: bytes  # `<row`, or `<x:row` from writers that use prefixes
    pieces: Iterator[bytes]
    part: str  # the sheet's part in the workbook
    template: bytes  # the workbook without its sheets (`_without_sheets`)


def _sheet_xml(
    archive: zipfile.ZipFile, part: str, stream: IO[bytes], piece_bytes: int
) -> _SheetXml:
    buffer = b""
    while (opening := _SHEET_DATA.search(buffer)) is None:
        block = stream.read(_STREAM_CHUNK)
        if not block or len(buffer) > _MOST_HEAD_BYTES:
            raise ValueError("no sheetData")
        buffer += block
    root = _WORKSHEET.search(buffer)
    if root is None:
        raise ValueError("no worksheet")
    prefix, empty = opening.group(1), opening.group(2) == b"/"
    head = _DIMENSION.sub(b"", buffer[: opening.end() - len(opening.group(2)) - 1]) + b">"
    tail = b"</" + prefix + b"sheetData></" + root.group(1) + b"worksheet>"
    row_tag = b"<" + prefix + b"row"
    rest = b"" if empty else buffer[opening.end() :]
    pieces = _row_pieces(stream, rest, row_tag, piece_bytes, empty)
    return _SheetXml(head, tail, row_tag, pieces, part, _without_sheets(archive))


def _row_pieces(
    stream: IO[bytes], rest: bytes, row_tag: bytes, piece_bytes: int, done: bool
) -> Iterator[bytes]:
    """The rows of the sheet in pieces of about `piece_bytes`, each cut where a row starts."""
    buffer = bytearray(rest)
    searched = 0  # where the end of the rows was looked for up to
    while True:
        if not done:
            block = stream.read(_STREAM_CHUNK)
            buffer += block
            end = _rows_end(buffer, searched)
            if end >= 0:
                del buffer[end:]
            done = end >= 0 or not block
        while len(buffer) > piece_bytes and (cut := _row_cut(buffer, row_tag, piece_bytes)) > 0:
            yield bytes(buffer[:cut])
            del buffer[:cut]
        searched = max(0, len(buffer) - _OVERLAP)
        if done:
            break
    if buffer.strip():
        yield bytes(buffer)


def _rows_end(buffer: bytearray, start: int) -> int:
    """Where `</sheetData>` (or `</x:sheetData>`) starts after `start`, -1 if it does not."""
    while (at := buffer.find(b"sheetData>", start)) >= 0:
        opening = buffer.rfind(b"<", max(0, at - _OVERLAP), at)
        if opening >= 0 and _SHEET_DATA_END.match(buffer, opening):
            return opening
        start = at + 1
    return -1


def _row_cut(rows: bytes | bytearray, row_tag: bytes, piece_bytes: int) -> int:
    """Where a piece of about `piece_bytes` of `rows` ends: where the last row that starts
    within them starts (or, for one long row, the next row), -1 when no row follows."""
    before = _row_start(rows, row_tag, 1, piece_bytes, last=True)
    return before if before > 0 else _row_start(rows, row_tag, piece_bytes)


def _row_start(
    rows: bytes | bytearray,
    row_tag: bytes,
    start: int = 0,
    end: int | None = None,
    *,
    last: bool = False,
) -> int:
    """Where the first (or last) row element within rows[start:end] starts, -1 if none does
    (`<row` followed by a space or `>`, not `<rowBreaks`)."""
    end = len(rows) if end is None else end
    while (at := (rows.rfind if last else rows.find)(row_tag, start, end)) >= 0:
        if rows[at + len(row_tag) : at + len(row_tag) + 1] in (b" ", b">"):
            return at
        if last:
            end = at + len(row_tag) - 1
        else:
            start = at + 1
    return -1


def _row_number(rows: bytes, row_tag: bytes, *, last: bool) -> int | None:
    """The number a piece's first (or last) row element gives itself, if it does."""
    start = _row_start(rows, row_tag, last=last)
    found = _ROW_NUMBER.match(rows, start) if start >= 0 else None
    return int(found.group(1)) if found else None


def _anchor_row(row: int, last_column: int, row_tag: bytes) -> bytes:
    """A row with a cell in column A and in the last column: calamine's grid for a piece then
    starts at column A and spans the sheet's width, whatever the piece's own cells are."""
    prefix = row_tag[1:-3]
    cells = b"".join(
        b'<%sc r="%s%d" t="inlineStr"><%sis><%st>.</%st></%sis></%sc>'
        % (prefix, column_letters(column).encode(), row, prefix, prefix, prefix, prefix, prefix)
        for column in sorted({1, last_column})
    )
    return b'%s r="%d">%s</%srow>' % (row_tag, row, cells, prefix)


def _without_sheets(archive: zipfile.ZipFile) -> bytes:
    """The workbook without its worksheets' XML (the shared strings, styles and workbook
    parts calamine needs): each piece is this plus one sheet part."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as template:
        for part in archive.infolist():
            if part.filename.startswith("xl/worksheets/") or part.is_dir():
                continue
            with archive.open(part) as source, template.open(part.filename, "w") as target:
                while block := source.read(_STREAM_CHUNK):
                    target.write(block)
    return out.getvalue()


def _piece_workbook(sheet: _SheetXml, xml: bytes) -> bytes:
    """The workbook with `xml` as its sheet."""
    out = io.BytesIO(sheet.template)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a") as book:
        book.writestr(zipfile.ZipInfo(sheet.part), xml, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def read_sheet_pieces(
    data: bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    keep: Callable[[str], bool] | None = None,
    piece_bytes: int | None = None,
) -> Iterator[pd.DataFrame]:
    """The first sheet's rows from its header row on, as text cells (empty cells as null), a
    piece of its XML at a time; each frame row's index is its sheet row number minus one, and
    every frame has the same columns. `keep(header cell)` selects them; the others are never
    converted.

    Calamine holds the grid it reads several times over (some 90 bytes a cell), so it is
    given the sheet a piece at a time, each piece a workbook of its own: the same shared
    strings and styles, and a sheet of some rows. An anchor row in each piece (before its rows,
    or after them in the first piece) pins calamine's grid to column A and the sheet's width,
    and says which row comes first; it is dropped from what is read."""
    extent = _checked_extent(data, filename, max_bytes)
    with _open_checked(data, filename, max_bytes) as archive:
        try:
            part = _first_sheet_part(archive)
            stream = archive.open(part)
        except _XML_ERRORS as error:
            log.info("%s: its first sheet could not be read: %r", filename, error)
            raise _unreadable(filename) from None
        with stream:
            try:
                sheet = _sheet_xml(archive, part, stream, piece_bytes or PIECE_XML_BYTES)
                yield from _read_pieces(sheet, extent, filename, keep)
            except ImportRejected:
                raise
            except (*_XML_ERRORS, zlib.error) as error:
                log.info("%s: its first sheet could not be read: %r", filename, error)
                raise _unreadable(filename) from None


def _read_pieces(
    sheet: _SheetXml, extent: SheetExtent, filename: str, keep: Callable[[str], bool] | None
) -> Iterator[pd.DataFrame]:
    """Each piece of the sheet read by calamine, its anchor row dropped (`read_sheet_pieces`)."""
    width = max(extent.last_column, 1)
    kept: list[int] | None = None
    last = 0  # the last sheet row of the pieces read so far
    for rows in sheet.pieces:
        first = last + 1 if kept is not None else extent.first_row
        own_last = _row_number(rows, sheet.row_tag, last=True)
        if kept is None:
            own_last = own_last or rows.count(sheet.row_tag)
            xml = sheet.head + rows + _anchor_row(own_last + 1, width, sheet.row_tag)
        else:
            first = _row_number(rows, sheet.row_tag, last=False) or first
            xml = sheet.head + _anchor_row(first - 1, width, sheet.row_tag) + rows
        last = own_last or last + rows.count(sheet.row_tag)
        batch = _calamine_columns(_piece_workbook(sheet, xml + sheet.tail), filename)
        del xml
        if kept is None:
            batch = batch.slice(0, batch.num_rows - 1)
            kept = _kept_columns(batch, filename, keep)
        else:
            batch = batch.slice(1)
        if batch.num_rows:
            yield _text_frame(batch, kept, first - 1)
        del batch
    if kept is None:
        raise ImportRejected(N_("{filename} has no rows in its first sheet."), filename=filename)


def read_sheet(
    data: bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    keep: Callable[[str], bool] | None = None,
) -> pd.DataFrame:
    """The whole first sheet as `read_sheet_pieces` reads it, in one frame."""
    return pd.concat(list(read_sheet_pieces(data, filename, max_bytes=max_bytes, keep=keep)))


def _kept_columns(
    batch: pa.RecordBatch, filename: str, keep: Callable[[str], bool] | None
) -> list[int]:
    """The positions of the header's columns that `keep` selects (the header is the first
    row with a value); the sheet is read only as wide as its header."""
    if batch.num_rows == 0:
        raise ImportRejected(N_("{filename} has no rows in its first sheet."), filename=filename)
    header = [cell_text(column[0].as_py()) for column in batch.columns]
    while header and not header[-1].strip():
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise _too_wide(filename)
    return [i for i, name in enumerate(header) if keep is None or keep(name)]


def _text_frame(batch: pa.RecordBatch, kept: list[int], start: int) -> pd.DataFrame:
    """The kept columns of a batch as a frame of text, its index the sheet rows minus one."""
    import pyarrow as pa

    columns = [_as_seen(batch.column(i)) for i in kept]
    frame = pa.table(columns, names=[str(i) for i in kept]).to_pandas(
        types_mapper={pa.string(): pd.StringDtype("pyarrow", np.nan)}.get
    )
    frame.columns = kept
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


_TIME_OF_DAY = "1899-12-31 "  # calamine's date for a cell that holds only a time


def _as_seen(column: pa.Array) -> pa.Array:
    """A cell holding only a time (a LIVE duration, say) as the time a person sees."""
    import pyarrow.compute as pc

    if pc.any(pc.starts_with(column, _TIME_OF_DAY)).as_py():
        column = pc.replace_substring_regex(column, f"^{_TIME_OF_DAY}", "")
    return column


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
