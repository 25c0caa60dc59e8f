"""Reading an uploaded CSV or XLSX into a table of text cells, whatever its quirks.

Handled here for every kind: UTF-8 with or without BOM (and UTF-16 with BOM), comma, semicolon
or tab delimiters, cells with trailing tabs or spaces, blank lines, and header names written
in different ways (`Order ID`, `order_id`, `Revenue (Rp)`). Cells stay text: each importer
parses numbers, money and dates per column, where it knows what the column holds.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from storage.errors import N_, Number
from storage.importers.base import ImportRejected
from storage.importers.uploads import Upload
from storage.importers.workbooks import XLSX_MAGIC, read_sheet, read_sheet_pieces, sheet_header

_NOT_UTF8 = N_(
    "{filename} is not UTF-8 text: save it as “CSV UTF-8” (or as .xlsx) and send it again."
)
_NOT_UTF16 = N_(
    "{filename} starts as UTF-16 text but is not: save it as “CSV UTF-8” (or as .xlsx) and send "
    "it again."
)
_BINARY = N_("{filename} is not a CSV or XLSX file.")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CONTROLS = bytes([*range(0, 9), 11, *range(14, 32), 127])  # not tab, LF, FF or CR
_UNIT = re.compile(r"\s*[\(\[]([^\)\]]*)[\)\]]\s*$")
_SPACES = re.compile(r"[\s_\-./]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass
class Table:
    """Text cells under normalised column names; `units` keeps what brackets said (`Rp`)."""

    frame: pd.DataFrame  # every cell a str, stripped; columns are normalised names
    original_names: dict[str, str]  # normalised → as written in the file
    units: dict[str, str]  # normalised → unit from "Revenue (Rp)"
    row_numbers: list[int]  # the spreadsheet row number of each frame row (header is row 1)

    def row_number(self, position: int) -> int:
        """The row a person sees in the spreadsheet for frame position `position`."""
        return self.row_numbers[position]

    def part(self, start: int, stop: int) -> Table:
        """Rows start..stop (positions) as a Table of their own."""
        return Table(
            frame=self.frame.iloc[start:stop].reset_index(drop=True),
            original_names=self.original_names,
            units=self.units,
            row_numbers=self.row_numbers[start:stop],
        )

    def drop_first_rows(self, count: int) -> None:
        """Skip rows that are not data (the localized description row of XLSX exports)."""
        self.frame = self.frame.iloc[count:].reset_index(drop=True)
        self.row_numbers = self.row_numbers[count:]


def normalise_header(name: str) -> tuple[str, str]:
    """`Revenue (Rp)` → (`revenue`, `Rp`); `Order ID\t` → (`order id`, ``); umlauts as a
    keyboard without them writes them: `Verkäufer-ID`, `Verkaeufer ID` → `verkaeufer id`."""
    name = name.replace("\ufeff", "").strip()
    unit = ""
    match = _UNIT.search(name)
    if match:
        unit = match.group(1).strip()
        name = name[: match.start()]
    return _SPACES.sub(" ", name).strip().lower().translate(_UMLAUTS), unit


def read_table(
    source: Upload | bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    keep: Callable[[str], bool] | None = None,
) -> Table:
    """Parse a CSV or XLSX file whole; raise ImportRejected with a plain reason when it is
    neither.

    `keep(normalised_name)` selects the columns to read: large exports have fifty columns of
    which an importer needs a handful, and skipping the rest saves most of the memory.
    """
    upload = Upload.of(source)
    _check_size(upload, filename, max_bytes)
    if is_xlsx(upload):
        wanted = None if keep is None else (lambda cell: keep(normalise_header(cell)[0]))
        frame = read_sheet(upload.read(), filename, max_bytes=max_bytes, keep=wanted)
    elif filename.lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise ImportRejected(
            N_("{filename} is not a readable Excel workbook: save it as .xlsx."), filename=filename
        )
    else:
        try:
            frame = _read_csv(upload, filename, keep)
        except UnicodeDecodeError:  # a character broken further into the file
            raise _not_text(upload.head(), filename) from None
    if frame.shape[1] == 0:
        raise ImportRejected(N_("{filename} has none of the expected columns."), filename=filename)
    return _tabulate(frame, filename)


def is_xlsx(upload: Upload) -> bool:
    return upload.head(len(XLSX_MAGIC)) == XLSX_MAGIC


def _check_size(upload: Upload, filename: str, max_bytes: int | None) -> None:
    size = upload.size
    if max_bytes is not None and size > max_bytes:
        raise ImportRejected(
            N_(
                "{filename} is {size} MB; the limit is {limit} MB. "
                "Split it by date range and import the parts."
            ),
            filename=filename,
            size=Number(size / 1e6, 1),
            limit=Number(max_bytes / 1e6),
        )
    if upload.is_blank():
        raise ImportRejected(N_("{filename} is empty."), filename=filename)


CHUNK_BYTES = 4 * 1024 * 1024  # of CSV text per chunk: some 40,000 rows of a KPI sheet
# Arrow's streaming reader parses this much at a time. It holds some thirty blocks read ahead,
# so its blocks are smaller than a chunk (a chunk is several of them): 4 MB blocks would cost
# some 140 MB, 1 MB blocks some 35 MB, at the same speed.
ARROW_BLOCK_BYTES = 1024 * 1024
CHUNK_ROWS = 200_000  # per chunk of a table read whole


def read_table_chunks(
    source: Upload | bytes,
    filename: str,
    *,
    max_bytes: int | None = None,
    keep: Callable[[str], bool] | None = None,
) -> Iterator[Table]:
    """The file as consecutive Tables with the same columns, row numbers running on, so that
    an import holds one chunk of text cells at a time instead of the whole file's.

    A UTF-8 CSV whose rows are all as wide as its header is streamed by Arrow block by block;
    any other file is read whole (XLSX is bounded by Excel's own limits) and then cut. A row
    that turns out malformed further into the stream is explained as `read_table` explains
    it, raised from the iterator (a caller inside a transaction then writes nothing)."""
    upload = Upload.of(source)
    _check_size(upload, filename, max_bytes)
    if is_xlsx(upload):
        wanted = None if keep is None else (lambda cell: keep(normalise_header(cell)[0]))
        pieces = read_sheet_pieces(upload.read(), filename, max_bytes=max_bytes, keep=wanted)
        yield from _tables_of(pieces, filename)
        return
    stream = _csv_stream(upload, filename, keep)
    if stream is None:
        whole = read_table(upload, filename, max_bytes=max_bytes, keep=keep)
        for start in range(0, len(whole.frame), CHUNK_ROWS):
            yield whole.part(start, start + CHUNK_ROWS)
        return
    import pyarrow as pa

    try:
        yield from _tables_of(_csv_frames(stream), filename)
    except pa.ArrowInvalid:
        read_table(upload, filename, max_bytes=max_bytes, keep=keep)  # raises, saying which row
        raise ImportRejected(
            N_("{filename} could not be read as CSV."), filename=filename
        ) from None


def _csv_frames(stream: Iterator[Any]) -> Iterator[pd.DataFrame]:
    """Arrow's batches a chunk at a time, as frames indexed by their row in the file."""
    import pyarrow as pa

    rows_before = 0  # rows of the file in earlier chunks, the header's included
    for batches in _in_chunks(stream):
        frame = _text_frame(pa.Table.from_batches(batches))
        frame.index = pd.RangeIndex(rows_before, rows_before + len(frame))
        rows_before += len(frame)
        yield frame


def _tables_of(frames: Iterator[pd.DataFrame], filename: str) -> Iterator[Table]:
    """Frames of text cells, the first with the header row, as Tables under its columns."""
    header: Table | None = None
    for frame in frames:
        if header is None:
            first = _tabulate(frame, filename)
            header = first.part(0, 0)  # the columns, without the rows
            yield first
            del first
        else:
            chunk = _rows_below(frame, header)
            if len(chunk.frame):
                yield chunk
    if header is None:
        raise ImportRejected(N_("{filename} has no rows."), filename=filename)


def _looks_binary(sample: bytes) -> bool:
    """NUL bytes, or more control characters than any text file has."""
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    return controls > max(1, len(sample) // 100)


def _not_text(head: bytes, filename: str) -> ImportRejected:
    """The refusal of a file that cannot be decoded, saying why as its first bytes suggest."""
    if head.startswith(_UTF16_BOMS):
        return ImportRejected(_NOT_UTF16, filename=filename)
    if _looks_binary(head[:4096]):
        return ImportRejected(_BINARY, filename=filename)
    return ImportRejected(_NOT_UTF8, filename=filename)


def _decode(data: bytes, filename: str, *, cut: bool = False) -> str:
    """Text of the file, or of its first bytes when `cut` (a character cut at their end is
    left out); binary files and broken text are refused."""
    encoding = "utf-16" if data.startswith(_UTF16_BOMS) else "utf-8-sig"
    if encoding == "utf-8-sig" and _looks_binary(data[:4096]):
        raise ImportRejected(_BINARY, filename=filename)
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data, final=not cut)
    except UnicodeDecodeError:
        raise _not_text(data, filename) from None


def _text_stream(upload: Upload, encoding: str) -> io.TextIOWrapper:
    """The file as text, decoded while read: a 200 MB export is never one big string. The
    caller closes it."""
    return io.TextIOWrapper(upload.open(), encoding=encoding, newline="")


def _encoding(upload: Upload, filename: str) -> str:
    """utf-16 (with its BOM) or utf-8-sig; refuses binary files and other encodings early."""
    head = upload.head(65536)
    _decode(head, filename, cut=upload.size > len(head))  # a clear refusal now, if any
    return "utf-16" if head.startswith(_UTF16_BOMS) else "utf-8-sig"


def _check_row_lengths(
    upload: Upload, encoding: str, delimiter: str, width: int, filename: str
) -> None:
    if encoding == "utf-8-sig" and not any(b'"' in block for block in upload.blocks()):
        # Without quotes a cell cannot hold the delimiter: counting it per line is enough,
        # and several times faster than the csv module on a million lines.
        separator = delimiter.encode()
        with upload.open() as lines:
            for number, line in enumerate(lines, start=1):
                cells = line.count(separator) + 1
                if cells != width and line.strip(b"\r\n" + separator + b" \t"):
                    line.decode("utf-8")  # a broken encoding is the better explanation, if so
                    raise _row_length(filename, number, cells, width)
        return
    with _text_stream(upload, encoding) as text:
        for number, row in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            if row and len(row) != width and any(cell.strip() for cell in row):
                raise _row_length(filename, number, len(row), width)


def _csv_layout(
    upload: Upload, encoding: str, filename: str, keep: Callable[[str], bool] | None
) -> tuple[str, list[str], list[int] | None]:
    """The delimiter, the header's cells and the positions of the columns to keep."""
    with _text_stream(upload, encoding) as text:
        first_line = next(iter(text), "").strip("\r\n")
    delimiter = max([",", ";", "\t"], key=first_line.count)
    header = next(csv.reader([first_line], delimiter=delimiter), [])
    usecols = None
    if keep is not None:
        usecols = [i for i, cell in enumerate(header) if keep(normalise_header(cell)[0])]
        if not usecols:
            raise ImportRejected(
                N_("{filename} has none of the expected columns."), filename=filename
            )
    return delimiter, header, usecols


def _read_csv(upload: Upload, filename: str, keep: Callable[[str], bool] | None) -> pd.DataFrame:
    encoding = _encoding(upload, filename)
    delimiter, header, usecols = _csv_layout(upload, encoding, filename, keep)
    if encoding == "utf-8-sig":
        fast = _read_csv_arrow(upload, delimiter, len(header), usecols)
        if fast is not None:
            return fast
    if usecols is not None:
        # Reading some columns would silently drop a row's extra cells (an unquoted comma in a
        # name shifts every value after it), so check the shape of every row first.
        try:
            _check_row_lengths(upload, encoding, delimiter, len(header), filename)
        except UnicodeDecodeError:
            raise _not_text(upload.head(), filename) from None
    try:
        with upload.open() as stream:
            return _read_csv_pandas(stream, encoding, delimiter, usecols)
    except UnicodeDecodeError:
        raise _not_text(upload.head(), filename) from None
    except (pd.errors.ParserError, ValueError) as error:
        shape = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if shape:
            expected, line, seen = shape.groups()
            raise _row_length(filename, int(line), int(seen), int(expected)) from None
        raise ImportRejected(
            N_("{filename} could not be read as CSV: {error}"), filename=filename, error=error
        ) from None


def _read_csv_pandas(
    stream: Any, encoding: str, delimiter: str, usecols: list[int] | None
) -> pd.DataFrame:
    """The general reader: any encoding we take, any row, blank lines kept in place."""
    return pd.read_csv(
        stream,
        encoding=encoding,
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        header=None,
        usecols=usecols,
        skip_blank_lines=False,
        engine="c",
        quoting=csv.QUOTE_MINIMAL,
    )


def _read_csv_arrow(
    upload: Upload, delimiter: str, width: int, usecols: list[int] | None
) -> pd.DataFrame | None:
    """The common case, read by Arrow's CSV reader (several times faster than pandas'): UTF-8,
    every row as wide as the header, no empty lines. None when the file is not that case; the
    general reader then reads it and explains what is wrong with it, by row.

    Arrow checks the width of every row, also of the columns not kept, and keeps the cells as
    text, empty cells as "" (never null).
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    options = _arrow_options(upload, delimiter, width, usecols)
    if options is None:
        return None
    try:
        with _arrow_source(upload) as source:
            table = pa_csv.read_csv(source, **options)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    return _text_frame(table)


def _arrow_options(
    upload: Upload, delimiter: str, width: int, usecols: list[int] | None, block_size: int = 0
) -> dict[str, Any] | None:
    """What Arrow's CSV readers are given for the fast path, or None when it does not apply."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    if width == 0:
        return None
    shape = scan_lines(upload)
    if shape.empty_lines:  # Arrow would skip empty lines, and shift every row number after them
        return None
    if shape.quotes % 2:  # a quote left open: Arrow would read to the end of the file as one cell
        return None
    names = [str(i) for i in range(width)]
    read_options = pa_csv.ReadOptions(column_names=names)
    if block_size:  # streamed: one block at a time (threads would parse far ahead)
        read_options.block_size = block_size
        read_options.use_threads = False
    return {
        "read_options": read_options,
        "parse_options": pa_csv.ParseOptions(
            delimiter=delimiter, newlines_in_values=shape.quotes > 0
        ),
        "convert_options": pa_csv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            include_columns=[names[i] for i in usecols] if usecols is not None else names,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    }


def _arrow_source(upload: Upload) -> Any:
    """The file for Arrow's readers, past its BOM: read by Arrow itself from disk (no Python
    call per block), or from the bytes of a file held in memory."""
    import pyarrow as pa

    source = (
        pa.OSFile(str(upload.path)) if upload.path is not None else pa.BufferReader(upload.read())
    )
    source.seek(len(codecs.BOM_UTF8) if upload.head(3) == codecs.BOM_UTF8 else 0)
    return source


def _text_frame(table: Any) -> pd.DataFrame:
    """An Arrow table of text columns named by position as a frame with integer columns."""
    import pyarrow as pa

    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow", np.nan)}.get)
    frame.columns = [int(name) for name in frame.columns]
    return frame


def _csv_stream(
    upload: Upload, filename: str, keep: Callable[[str], bool] | None
) -> Iterator[Any] | None:
    """Arrow's streaming reader over a CSV on the fast path (see `_read_csv_arrow`), or None."""
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    encoding = _encoding(upload, filename)
    if encoding != "utf-8-sig":
        return None
    delimiter, header, usecols = _csv_layout(upload, encoding, filename, keep)
    block_size = min(ARROW_BLOCK_BYTES, CHUNK_BYTES)
    options = _arrow_options(upload, delimiter, len(header), usecols, block_size)
    if options is None:
        return None
    source = _arrow_source(upload)
    try:
        reader = pa_csv.open_csv(source, **options)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        source.close()
        return None
    return _batches_of(reader, source)


def _in_chunks(batches: Iterator[Any]) -> Iterator[list[Any]]:
    """Arrow's record batches (one a block) gathered into lists of a chunk's worth."""
    per_chunk = max(1, CHUNK_BYTES // min(ARROW_BLOCK_BYTES, CHUNK_BYTES))
    chunk: list[Any] = []
    for batch in batches:
        chunk.append(batch)
        if len(chunk) == per_chunk:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _batches_of(reader: Any, source: Any) -> Iterator[Any]:
    """The reader's record batches; the file is closed once they are read (or abandoned)."""
    with source:
        yield from reader


@dataclass(frozen=True)
class LineShape:
    quotes: int  # how many double quotes the file holds
    empty_lines: bool  # whether any line is empty, whatever the line ends


def scan_lines(upload: Upload, block_size: int | None = None) -> LineShape:
    """The quotes and empty lines of a file, read a block at a time (LF, CRLF, CR line ends,
    or a mix of them; a pair of line ends may straddle two blocks)."""
    quotes, empty, previous = 0, False, b""
    blocks = upload.blocks() if block_size is None else upload.blocks(block_size)
    for block in blocks:
        if not previous:  # the first block: a line end straight after the BOM, if any
            start = len(codecs.BOM_UTF8) if block.startswith(codecs.BOM_UTF8) else 0
            empty = block[start : start + 1] in (b"\n", b"\r")
        quotes += block.count(b'"')
        if not empty:
            # Each pair costs a scan of the block; without any CR only one is needed.
            pairs = (b"\n\n", b"\n\r", b"\r\r") if b"\r" in block else (b"\n\n",)
            empty = any(pair in block for pair in pairs) or (
                previous[-1:] + block[:1] in (b"\n\n", b"\n\r", b"\r\r")
            )
        previous = block
    return LineShape(quotes, empty)


def _cleaned(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells stripped, and rows that are blank in every cell dropped (Excel leaves them after
    deleting data); each remaining row keeps its index, its position in the file."""
    frame = frame.fillna("")
    frame = frame.apply(lambda column: column.str.strip())
    return frame[(frame != "").any(axis=1)]


def _tabulate(frame: pd.DataFrame, filename: str) -> Table:
    frame = _cleaned(frame)
    row_numbers = (frame.index + 1).tolist()
    frame = frame.reset_index(drop=True)
    if frame.empty:
        raise ImportRejected(N_("{filename} has no rows."), filename=filename)
    header_cells = list(frame.iloc[0])
    names: list[str] = []
    original: dict[str, str] = {}
    units: dict[str, str] = {}
    for position, cell in enumerate(header_cells):
        name, unit = normalise_header(cell)
        if not name:
            name = f"column {position + 1}"
        if name in original:
            raise ImportRejected(
                N_("{filename} has the column {column} twice."),
                filename=filename,
                column=repr(cell),
            )
        names.append(name)
        original[name] = cell
        if unit:
            units[name] = unit
    body = frame.iloc[1:].reset_index(drop=True)
    if body.empty:
        raise no_rows_below_header(filename)
    body.columns = names
    # Columns without a header and without values are Excel's trailing empties.
    empty = [n for n in names if n.startswith("column ") and (body[n] == "").all()]
    body = body.drop(columns=empty)
    return Table(frame=body, original_names=original, units=units, row_numbers=row_numbers[1:])


def _rows_below(frame: pd.DataFrame, header: Table) -> Table:
    """Rows further into the file than `header`'s (its first chunk), under its columns."""
    frame = _cleaned(frame)
    row_numbers = (frame.index + 1).tolist()
    frame = frame.reset_index(drop=True)
    frame.columns = list(header.original_names)
    frame = frame[list(header.frame.columns)]
    return Table(frame, header.original_names, header.units, row_numbers)


def no_rows_below_header(filename: str) -> ImportRejected:
    return ImportRejected(
        N_("{filename} has column names but no rows below them: there is nothing to import."),
        filename=filename,
    )


def _row_length(filename: str, row: int, cells: int, width: int) -> ImportRejected:
    return ImportRejected(
        N_(
            "{filename}: row {row} has {cells} cells but the header has {width} (a value "
            "containing the delimiter must be in quotes)."
        ),
        filename=filename,
        row=row,
        cells=cells,
        width=width,
    )


def peek_header(
    source: Upload | bytes, filename: str, *, max_bytes: int | None = None
) -> list[str]:
    """The normalised column names of a file's first row, reading as little as possible."""
    upload = Upload.of(source)
    if is_xlsx(upload):
        cells = sheet_header(upload.read(), filename, max_bytes)
        return [normalise_header(cell)[0] for cell in cells]
    head = upload.head(65536)
    text = _decode(head, filename, cut=upload.size > len(head))
    if not text.strip():
        raise ImportRejected(N_("{filename} is empty."), filename=filename)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    return [
        normalise_header(cell)[0] for cell in next(csv.reader([first_line], delimiter=delimiter))
    ]
