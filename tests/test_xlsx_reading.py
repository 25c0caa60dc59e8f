"""XLSX files are read by calamine into the same text table a CSV gives: the same cells, the same
row numbers, with Excel's quirks (formula cells, dates stored as numbers, times, several sheets,
a header after blank rows), and a sheet whose cells span a huge, mostly empty grid is refused
before calamine would try to hold it."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from bot.imports.run import import_file
from storage.importers import ImportOptions, ImportRejected
from storage.importers.tables import peek_header, read_table
from storage.importers.workbooks import column_letters, column_number, sheet_extent
from tests.test_hostile_files import (
    HEADER,
    SHEET_NS,
    inline_row,
    nothing_imported,
    part_text,
    settings_with,
    with_part,
)
from tests.test_importers import kpi_rows, xlsx

TEAM = "TXLSX"


def same_rows_as_csv(rows: list[list[str]]) -> tuple[bytes, bytes]:
    """The rows as a CSV and as an XLSX of text cells (None: an empty cell)."""
    csv = "\n".join(",".join(cell or "" for cell in row) for row in rows).encode()
    return csv, xlsx([list(row) for row in rows])


def test_an_xlsx_reads_as_the_same_table_as_the_csv_of_its_rows() -> None:
    rows = [
        ["Order ID", "Order Status", "Quantity", "Created Time"],
        ["Platform unique order ID.", "Status", "Number", "Time"],
        ["576000000000000001\t", "Completed", "2", "12/15/2025 9:30:33 AM\t"],
        ["", "", "", ""],
        ["576000000000000002\t", " Cancelled ", "1", "12/16/2025 9:30:33 AM\t"],
    ]
    csv, book = same_rows_as_csv(rows)
    from_csv, from_xlsx = read_table(csv, "orders.csv"), read_table(book, "orders.xlsx")
    assert from_xlsx.frame.astype(object).equals(from_csv.frame.astype(object))
    assert from_xlsx.row_numbers == from_csv.row_numbers == [2, 3, 5]
    assert from_xlsx.original_names == from_csv.original_names


def test_numbers_dates_times_and_formula_results_read_as_a_person_sees_them() -> None:
    sheet = (
        SHEET_NS
        + b"<sheetData>"
        + inline_row(1, ["date", "seller_id", "gmv", "orders"])
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>2026-11-01</t></is></c>'
        + b'<c r="B2" t="inlineStr"><is><t>S1</t></is></c>'
        + b'<c r="C2"><f>10*2.5</f><v>25</v></c><c r="D2"><v>3</v></c></row>'
        + b"</sheetData></worksheet>"
    )
    book = with_part(xlsx([HEADER]), "xl/worksheets/sheet1.xml", part_text(sheet))
    table = read_table(book, "formulas.xlsx")
    assert table.frame.iloc[0].tolist() == ["2026-11-01", "S1", "25", "3"]

    typed = xlsx(
        [
            ["day", "at", "amount", "count", "duration"],
            [date(2026, 11, 1), datetime(2026, 11, 1, 9, 30, 33), 1234.5, 10, "0:45:00"],
        ]
    )
    workbook = Workbook()
    sheet_ = workbook.active
    assert sheet_ is not None
    sheet_.append(["duration"])
    sheet_.append([datetime(2026, 1, 1, 1, 23, 45).time()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(typed, "typed.xlsx").frame.iloc[0].tolist() == [
        "2026-11-01 00:00:00",
        "2026-11-01 09:30:33",
        "1234.5",
        "10",
        "0:45:00",
    ]
    assert read_table(buffer.getvalue(), "times.xlsx").frame.iloc[0].tolist() == ["01:23:45"]


def with_sheets_swapped(data: bytes) -> bytes:
    """The workbook with its two sheets listed the other way round: the first sheet is then
    the one stored in sheet2.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    book = source.read("xl/workbook.xml").decode()
    first, second = book.index("<sheet "), book.index("<sheet ", book.index("<sheet ") + 1)
    end = book.index("/>", second) + 2
    swapped = book[:first] + book[second:end] + book[first:second] + book[end:]
    return with_part(data, "xl/workbook.xml", part_text(swapped.encode()))


def test_the_first_sheet_is_read_whichever_part_holds_it(engine: Engine) -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Nothing to import here"])
    kpis = workbook.create_sheet("KPIs")
    kpis.append(HEADER)
    kpis.append([date(2026, 11, 1), "S1", 12, 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = with_sheets_swapped(buffer.getvalue())
    assert peek_header(data, "book.xlsx") == ["date", "seller id", "gmv", "orders"]
    import_file(engine, settings_with(), data, ImportOptions(TEAM, "book.xlsx"))
    assert [row[:3] for row in kpi_rows(engine)] == [(date(2026, 11, 1), 1200, 3)]


def far_cell(reference: str, row: int) -> bytes:
    xml = (
        SHEET_NS
        + b"<sheetData>"
        + inline_row(1, HEADER)
        + f'<row r="{row}"><c r="{reference}"><v>1</v></c></row>'.encode()
        + b"</sheetData></worksheet>"
    )
    return with_part(xlsx([HEADER]), "xl/worksheets/sheet1.xml", part_text(xml))


@pytest.mark.parametrize(
    ("reference", "row", "says"),
    [
        ("XFD1048576", 1048576, "has more than 1,525 rows of 16384 columns"),
        ("A1048576", 2, "has cells as far as D1048576 but little in them"),
        ("ZZ10000", 3, "has cells as far as ZZ10000 but little in them"),
    ],
)
def test_one_far_cell_is_refused_before_the_grid_is_built(
    engine: Engine, reference: str, row: int, says: str
) -> None:
    started = time.monotonic()
    with pytest.raises(ImportRejected) as rejected:
        import_file(
            engine, settings_with(), far_cell(reference, row), ImportOptions(TEAM, "f.xlsx")
        )
    assert time.monotonic() - started < 5
    assert says in rejected.value.describe()
    assert nothing_imported(engine)


def test_the_extent_is_measured_from_rows_and_references() -> None:
    rows = b"".join(
        f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="AB{n}"><v>2</v></c></row>'.encode()
        for n in range(3, 200_003)
    )
    extent = sheet_extent(io.BytesIO(SHEET_NS + b"<sheetData>" + rows + b"</sheetData>"))
    assert (extent.first_row, extent.last_row, extent.last_column) == (3, 200_002, 28)
    assert [column_number(column_letters(n)) for n in (1, 26, 27, 702, 703, 16384)] == [
        1,
        26,
        27,
        702,
        703,
        16384,
    ]


def test_cells_without_references_count_towards_the_width() -> None:
    unnamed = b"<row>" + b"<c/>" * 30_000 + b"<c><v>1</v></c></row>"
    extent = sheet_extent(io.BytesIO(SHEET_NS + b"<sheetData>" + unnamed + b"</sheetData>"))
    assert extent.last_column >= 30_001
