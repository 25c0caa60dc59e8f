"""A file within the import limits is imported within the memory set aside for imports, and never
ends the process: an XLSX sheet is read by calamine a piece of its XML at a time, an import's
memory is estimated before it is read, one over what is free of SHOPBOT_IMPORT_MEMORY_MB waits
(and says so), and one over all of it is refused up front, saying how to split it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from app import build_app
from bot.imports.gate import QUEUED_TEXT, ImportGate, ImportSettings
from bot.imports.run import admit, import_file
from bot.settings import Settings
from devkit.offline import OfflineBot
from storage.db import exclusive_transaction
from storage.importers import ImportOptions, ImportRejected, Upload
from storage.importers import workbooks as workbooks_module
from storage.importers.memory import (
    READER_MB,
    SHARED_STRING_PER_BYTE,
    TABLE_PER_CSV_BYTE,
    TABLE_PER_XML_BYTE,
    check_memory,
    estimated_memory_mb,
)
from storage.importers.tables import read_table_chunks
from storage.importers.workbooks import column_letters, read_sheet_pieces
from storage.kpis.models import DailySellerKpi
from tests.slack_support import share_at_once
from tests.test_hostile_files import nothing_imported, settings_with
from tests.test_importers import kpi_rows, xlsx

TEAM = "TMEMORY"
SELLER = "7490000000007"
ADDRESS_SPACE = 1229 * 1024 * 1024  # the finding's 1.2 GB
NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ORDER_HEADER = [
    "Order ID",
    "Order Status",
    "Order Substatus",
    "Cancelation/Return Type",
    "Normal or Pre-order",
    "SKU ID",
    "Seller SKU",
    "Product Name",
    "Variation",
    "Quantity",
    "Sku Quantity of return",
    "SKU Unit Original Price",
    "SKU Subtotal Before Discount",
    "SKU Platform Discount",
    "SKU Seller Discount",
    "SKU Subtotal After Discount",
    "Shipping Fee After Discount",
    "Order Amount",
    "Order Refund Amount",
    "Created Time",
    "Paid Time",
    "Cancelled Time",
    "Buyer Username",
    "Recipient",
    "Phone #",
    "Country",
    "Payment Method",
    "Product Category",
]


def order_lines(lines: int) -> Iterator[list[str]]:
    """Seller Center order lines as the benchmark's export has them (bench/kpi.py)."""
    last = date(2026, 11, 21)
    for i in range(lines):
        order = (i * 7919) % (lines // 2 + 1)
        day = last - timedelta(days=order % 90)
        cents = 100 + (i * 31) % 49_900
        yield [
            f"57{order:016d}\t",
            "Cancelled" if order % 17 == 0 else "Completed",
            "",
            "",
            "Normal",
            f"1729{i % 5000:08d}",
            f"SKU{i % 300}",
            "Bamboo towel set",
            "Blue",
            str(1 + i % 3),
            "0",
            "$12.00",
            "$12.00",
            "$0.00",
            "$0.00",
            f"${cents // 100:,}.{cents % 100:02d}",
            "$0.00",
            "$1.00",
            "$0.00",
            f"{day.month:02d}/{day.day:02d}/{day.year} 9:30:33 AM\t",
            "",
            "",
            f"buyer{order % 90000}",
            "R",
            "(+1)555",
            "US",
            "Card",
            "Home",
        ]


def write_workbook(path: Path, rows: Iterator[list[str]]) -> None:
    """The rows as an XLSX of inline text cells, as openpyxl's write-only mode writes them (the
    benchmark's format, bench/run.py `write_xlsx`), written straight as XML: a million cells
    take seconds, not minutes."""
    with zipfile.ZipFile(io.BytesIO(xlsx([["x"]]))) as template:
        parts = {name: template.read(name) for name in template.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, content in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                book.writestr(name, content)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="%s"><sheetData>' % NS)
            block: list[str] = []
            for number, row in enumerate(rows, start=1):
                cells = "".join(
                    f'<c r="{column_letters(column)}{number}" t="inlineStr"><is><t>'
                    f"{escape(value)}</t></is></c>"
                    for column, value in enumerate(row, start=1)
                    if value
                )
                block.append(f'<row r="{number}">{cells}</row>')
                if len(block) == 5000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write("".join(block).encode() + b"</sheetData></worksheet>")


@pytest.fixture(scope="module")
def near_limit_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200,000-line order export XLSX, some 20 MB packed and 260 MB of sheet XML: within
    every limit (50 MB, 500 MB unpacked, 25 million cells), and enough to end a process held
    to 1.2 GB of address space when calamine read the sheet whole."""
    path = tmp_path_factory.mktemp("memory") / "orders.xlsx"
    write_workbook(path, iter([ORDER_HEADER, *order_lines(200_000)]))
    return path


_IMPORT_UNDER_A_LIMIT = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from bot.imports.run import admit, import_file
from bot.settings import load_settings
from storage.db import make_engine
from storage.importers import ImportOptions, Upload
from storage.schema import upgrade
from bot.imports.gate import ImportSettings
engine = make_engine(sys.argv[2])
upgrade(engine)
settings = load_settings({}, env_file=None, require_slack=False)
seed = b"date,seller_id,seller_name,category,gmv,orders\\n2026-11-01,%s,Shop 7,Home,1.00,1\\n"
import_file(engine, settings, seed % sys.argv[4].encode(), ImportOptions(sys.argv[5], "seed.csv"))
options = ImportOptions(
    sys.argv[5], "orders.xlsx", seller=sys.argv[4], dry_run=True,
    max_bytes=settings.section(ImportSettings).max_import_bytes,
)
summary = import_file(engine, settings, Upload.from_path(sys.argv[3]), options)
print(summary.rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux only"
)
def test_a_near_limit_xlsx_is_imported_under_a_1_2_gb_address_space(
    near_limit_export: Path, tmp_path: Path
) -> None:
    """The finding: this file ended the process ~7 s in (calamine's grid of the whole sheet,
    some 90 bytes a cell, on top of the app), and was resumed into the same end at every
    start. Read a piece at a time it is imported, holding ~450 MB resident, not ~730 MB."""
    url = f"sqlite:///{tmp_path / 'memory.db'}"
    arguments = [str(near_limit_export), SELLER, TEAM]
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_UNDER_A_LIMIT, str(ADDRESS_SPACE), url, *arguments],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        cwd=tmp_path,
        timeout=110,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows, _peak_mb = (int(word) for word in result.stdout.split())
    assert rows == 200_000


# ---- reading a sheet in pieces ---------------------------------------------------------------


def with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The workbook with `parts` written anew or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            if part.filename not in parts:
                archive.writestr(part, source.read(part.filename))
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def excel_style_book(rows: int = 400) -> bytes:
    """Shared strings, `x:` prefixed elements and a stale dimension, as some writers do."""
    strings = [b"date", b"seller_id", b"gmv", b"S1", b"S&amp;2"]
    sst = b'<sst xmlns="%s">%s</sst>' % (NS, b"".join(b"<si><t>%s</t></si>" % s for s in strings))
    header = b"".join(
        b'<x:c r="%s1" t="s"><x:v>%d</x:v></x:c>' % (column, i)
        for i, column in enumerate([b"A", b"B", b"C"])
    )
    body = b"".join(
        b'<x:row r="%d"><x:c r="A%d"><x:v>%d</x:v></x:c><x:c r="B%d" t="s"><x:v>%d</x:v></x:c>'
        b'<x:c r="C%d"><x:v>%d.5</x:v></x:c></x:row>' % (r, r, 46000 + r, r, 3 + r % 2, r, r)
        for r in range(2, rows + 1)
    )
    sheet = (
        b'<x:worksheet xmlns:x="%s"><x:dimension ref="A1:C2"/><x:sheetData>' % NS
        + b'<x:row r="1">'
        + header
        + b"</x:row>"
        + body
        + b"</x:sheetData></x:worksheet>"
    )
    return with_parts(
        xlsx([["x"]]), {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst}
    )


def unnumbered_rows_book(rows: int = 300) -> bytes:
    """Rows and cells without references: each takes the next row or column."""
    body = b"".join(
        b'<row><c t="inlineStr"><is><t>S%d</t></is></c><c><v>%d</v></c></row>' % (r, r)
        for r in range(rows)
    )
    sheet = (
        b'<worksheet xmlns="%s"><sheetData><row><c t="inlineStr"><is><t>seller_id</t></is></c>'
        b'<c t="inlineStr"><is><t>orders</t></is></c></row>%s</sheetData></worksheet>'
    ) % (NS, body)
    return with_parts(xlsx([["x"]]), {"xl/worksheets/sheet1.xml": sheet})


def openpyxl_book(rows: int = 300) -> bytes:
    """Dates, times and numbers, blank rows, a header below blank rows and an empty column A."""
    lines: list[list[object]] = [[None], [None, "date", "seller_id", "gmv", "live"]]
    for r in range(rows):
        lines.append(
            [None, datetime(2026, 11, 1) + timedelta(days=r % 30), f"S{r}", r * 1.25, None]
            if r % 7
            else [None]
        )
    return xlsx(lines)


BOOKS = {"excel-style": excel_style_book, "unnumbered": unnumbered_rows_book}
BOOKS["openpyxl"] = openpyxl_book


@pytest.mark.parametrize("book", BOOKS)
def test_a_sheet_read_in_pieces_is_the_sheet_read_whole(book: str) -> None:
    data = BOOKS[book]()
    whole = list(read_sheet_pieces(data, f"{book}.xlsx"))
    pieces = list(read_sheet_pieces(data, f"{book}.xlsx", piece_bytes=700))
    assert len(whole) == 1 and len(pieces) > 10
    assert [list(piece.columns) for piece in pieces] == [list(whole[0].columns)] * len(pieces)
    # Blank rows between two pieces are no piece's (they are dropped as blank anyway).
    together, alone = pd.concat(pieces).dropna(how="all"), whole[0].dropna(how="all")
    assert together.astype(object).equals(alone.astype(object))
    assert together.index.equals(alone.index)  # each row keeps its sheet row number


def test_the_pieces_give_the_values_a_person_sees() -> None:
    [frame] = read_sheet_pieces(excel_style_book(3), "book.xlsx")
    assert frame.astype(object).values.tolist() == [
        ["date", "seller_id", "gmv"],
        ["46002", "S1", "2.5"],
        ["46003", "S&2", "3.5"],
    ]
    [frame] = read_sheet_pieces(openpyxl_book(2), "dates.xlsx")
    assert frame.index[0] == 1  # the header is the sheet's row 2
    second = frame.dropna(how="all").iloc[1].dropna().tolist()
    assert second == ["2026-11-02 00:00:00", "S1", "1.25"]


def test_a_kpi_sheet_read_in_small_pieces_imports_as_its_csv(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = ["date", "seller_id", "seller_name", "category", "gmv", "orders", "live_views"]
    rows = [
        [f"2026-11-{1 + r % 28:02d}", f"S{r // 28}", f"Shop {r // 28}", "Home", f"{r}.25", r, r]
        for r in range(560)
    ]
    book = xlsx([header, *rows])
    monkeypatch.setattr(workbooks_module, "PIECE_XML_BYTES", 4096)
    chunks = list(read_table_chunks(book, "kpi.xlsx"))
    assert len(chunks) > 10
    assert [n for chunk in chunks for n in chunk.row_numbers] == list(range(2, 562))
    settings = settings_with()
    summary = import_file(engine, settings, book, ImportOptions(TEAM, "kpi.xlsx"))
    from_xlsx = sorted(kpi_rows(engine))
    csv = "\n".join(",".join(str(cell) for cell in row) for row in [header, *rows]).encode()
    import_file(engine, settings, csv, ImportOptions(TEAM, "kpi.csv"))
    assert summary.rows == 560
    assert sorted(kpi_rows(engine)) == from_xlsx
    with engine.connect() as connection:
        gmv = connection.execute(select(func.sum(DailySellerKpi.gmv_cents))).scalar_one()
    assert gmv == sum(r * 100 + 25 for r in range(560))


# ---- the estimate, and admission -------------------------------------------------------------


def book_shared_strings(megabytes: int) -> bytes:
    """A shared strings part that unpacks to some `megabytes` (random text: it packs 2 to 1)."""
    strings = [os.urandom(512).hex().encode() for _ in range(megabytes * 1024)]
    return b'<sst xmlns="%s">%s</sst>' % (NS, b"".join(b"<si><t>%s</t></si>" % s for s in strings))


def book_with_shared_strings(megabytes: int) -> bytes:
    """A one-day KPI sheet carrying shared strings that unpack to some `megabytes`."""
    book = xlsx([["date", "seller_id", "gmv", "orders"], ["2026-11-01", "S1", 5, 1]])
    return with_parts(book, {"xl/sharedStrings.xml": book_shared_strings(megabytes)})


def test_the_estimate_is_the_reader_plus_the_file_and_its_shared_strings() -> None:
    assert estimated_memory_mb(Upload.of(b"date,seller_id\n2026-11-01,S1\n")) == READER_MB
    assert estimated_memory_mb(Upload.of(xlsx([["seller_id"], ["S1"]]))) == READER_MB
    book = book_with_shared_strings(8)
    assert 3 <= len(book) // 2**20 <= 6
    shared = SHARED_STRING_PER_BYTE * unpacked(book, "xl/sharedStrings.xml")
    assert estimated_memory_mb(Upload.of(book)) == READER_MB + (len(book) + shared) // 2**20


def unpacked(book: bytes, part: str) -> int:
    """What a part of the workbook unpacks to, as its zip directory says."""
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return archive.getinfo(part).file_size


def test_a_kind_read_whole_is_estimated_with_its_table() -> None:
    """The KPI sheet and the order export stream; the other kinds hold their whole table."""
    csv = ("date,seller_id,gmv,orders\n" + "2026-11-01,S1,5,1\n" * 200_000).encode()
    upload, mb = Upload.of(csv), 1024 * 1024
    whole = READER_MB + TABLE_PER_CSV_BYTE * len(csv) // mb
    assert estimated_memory_mb(upload, streamed=False) == whole
    assert admit(settings_with(), upload, "kpi.csv").memory_mb == READER_MB
    assert admit(settings_with(), upload, "kpi.csv", "live-sessions").memory_mb == (
        estimated_memory_mb(upload, streamed=False)
    )
    book = Upload.of(book_with_shared_strings(2))
    with zipfile.ZipFile(io.BytesIO(book.read())) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    assert (
        estimated_memory_mb(book, streamed=False)
        == READER_MB
        + (book.size + SHARED_STRING_PER_BYTE * 2 * mb + TABLE_PER_XML_BYTE * sheet) // mb
    )


def test_an_import_over_the_whole_budget_is_refused_up_front_saying_how_to_split_it() -> None:
    book = Upload.of(book_with_shared_strings(32))
    assert check_memory(book, "orders.xlsx", 600) == estimated_memory_mb(book)
    with pytest.raises(ImportRejected) as refused:
        check_memory(book, "orders.xlsx", 400)
    needed = estimated_memory_mb(book)
    assert refused.value.describe() == (
        f"orders.xlsx needs about {needed} MB of memory to import, and imports here have 400 MB "
        "(SHOPBOT_IMPORT_MEMORY_MB). Split it by date range (or save it as CSV) and send the "
        "parts."
    )


def test_an_import_over_what_is_free_waits_and_says_so() -> None:
    gate = ImportGate(at_once=3, memory_mb=600)
    said: list[str] = []
    started: list[str] = []
    first_in, first_may_end = threading.Event(), threading.Event()

    def run(name: str, memory_mb: int, hold: threading.Event | None = None) -> None:
        with gate.turn(lambda: said.append(name), memory_mb):
            started.append(name)
            if hold is not None:
                first_in.set()
                hold.wait(10)

    first = threading.Thread(target=run, args=("big", 400, first_may_end))
    first.start()
    assert first_in.wait(10)
    run("small", 150)  # fits beside it: runs at once, says nothing
    waiting = threading.Thread(target=run, args=("second big", 300))
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive() and said == ["second big"] and started == ["big", "small"]
    first_may_end.set()
    first.join(10)
    waiting.join(10)
    assert started == ["big", "small", "second big"]


def test_an_estimate_over_the_budget_runs_alone_rather_than_never() -> None:
    gate = ImportGate(at_once=2, memory_mb=300)
    with gate.turn(memory_mb=5000):
        pass
    with gate.turn(memory_mb=300), gate.turn(memory_mb=0):
        pass


def test_a_file_over_the_budget_shared_in_a_dm_is_refused_before_it_is_read(
    settings: Settings, engine: Engine
) -> None:
    book = book_with_shared_strings(32)
    small = settings.with_section(ImportSettings(import_memory_mb=400))
    with OfflineBot(build_app, small, engine=engine) as bot:
        bot.client.file_share("U0MARIA", "orders.xlsx", book)
        bot.settle()
        dm = bot.sandbox.dm_channel("U0MARIA")
        [reply] = [c for c in bot.sandbox.calls("chat.postMessage") if c.params["channel"] == dm]
        assert bot.sandbox.refusals == []
    text = reply.params["text"]
    assert "orders.xlsx needs about" in text and "imports here have 400 MB" in text
    assert "Split it by date range" in text and QUEUED_TEXT not in text
    assert nothing_imported(engine)


def test_two_files_that_do_not_fit_the_budget_together_take_turns_and_say_so(
    settings: Settings, engine: Engine
) -> None:
    """Three imports may run at once here, but two of these files do not fit in 700 MB
    together: while the first is at work (held at the workspace's import lock, as a long
    import holds it), the second waits, and its sender is told; both land once it is done."""
    roomy = settings.with_section(ImportSettings(imports_at_once=3, import_memory_mb=700))
    with OfflineBot(build_app, roomy, engine=engine) as bot:
        books = [
            with_parts(
                xlsx([["date", "seller_id", "gmv", "orders"], [day, "S1", 5, 1]]),
                {"xl/sharedStrings.xml": book_shared_strings(32)},
            )
            for day in ("2026-11-01", "2026-11-02")
        ]
        estimates = [estimated_memory_mb(Upload.of(book)) for book in books]
        assert all(350 < mb <= 700 for mb in estimates) and sum(estimates) > 700
        with exclusive_transaction(engine, f"import:{bot.sandbox.team_id}"):
            files = [(f"kpi-{n}.xlsx", book) for n, book in enumerate(books)]
            share_at_once(bot, files, "Ev0MEM")
            [queued] = bot.sandbox.wait_for("chat.postMessage", timeout=30)
            assert queued.params["text"] == QUEUED_TEXT
        bot.settle(timeout=60)
        answers = [c.params["text"] for c in bot.sandbox.calls("chat.postMessage")[1:]]
        assert bot.sandbox.refusals == []
    assert len(answers) == 2 and all("Imported 1 row" in a for a in answers), answers
    with engine.connect() as connection:
        days = connection.execute(select(func.count()).select_from(DailySellerKpi)).scalar_one()
    assert days == 2
