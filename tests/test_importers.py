"""Importers: every quirk of the real exports is read right, and bad files change nothing."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.imports.run import describe_summary, import_file
from bot.settings import load_settings
from bot.shared.kpis.engine import snapshot
from bot.shared.periods import parse_period
from storage.importers import (
    KINDS,
    ImportOptions,
    ImportRejected,
    ImportSummary,
    Upload,
    importer_for,
    tables,
)
from storage.importers.tables import read_table
from storage.importers.values import counts, dates, decimal_style, durations_minutes, money_cents
from storage.kpis.models import DailySellerKpi, WeeklySellerKpi
from storage.kpis.reads import Scope
from storage.models import ImportBatch
from storage.sellers.models import Seller
from tests import kpi_data

TEAM = "TIMPORT"
SETTINGS = load_settings({}, env_file=None, require_slack=False)


def options(filename: str = "file.csv", **kwargs: object) -> ImportOptions:
    return ImportOptions(team_id=TEAM, filename=filename, **kwargs)  # type: ignore[arg-type]


def run(
    engine: Engine,
    data: bytes,
    filename: str = "file.csv",
    kind: str | None = None,
    **kwargs: object,
):  # type: ignore[no-untyped-def]
    return import_file(engine, SETTINGS, data, options(filename, **kwargs), kind)


def kpi_rows(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        return [
            tuple(r)
            for r in connection.execute(
                select(
                    DailySellerKpi.day,
                    DailySellerKpi.gmv_cents,
                    DailySellerKpi.orders,
                    DailySellerKpi.items_sold,
                    DailySellerKpi.buyers,
                    DailySellerKpi.live_sessions,
                    DailySellerKpi.live_minutes,
                    DailySellerKpi.live_views,
                    DailySellerKpi.live_gmv_cents,
                ).order_by(DailySellerKpi.day)
            )
        ]


def table_count(engine: Engine, model: type) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- pure column parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["$1,234.56", "$7.00"], [123456, 700]),
        (["€1.234,56", "35,91 €"], [123456, 3591]),
        (["BRL 35,91", "BRL 1.000,00"], [3591, 100000]),
        (["Rp 35.000", "Rp 120.500", "Rp 0"], [3500000, 12050000, 0]),
        (["1 234,50", "0,05"], [123450, 5]),
        (["-5.00", "(7.50)", "12"], [-500, -750, 1200]),
        (["9007199254740993.01"], [900719925474099301]),
        (
            ["US$ 12.00", "-$5.00", "$-5.00", "12.50 USD", "1'234.50"],
            [1200, -500, -500, 1250, 123450],
        ),
        (["R$ 1.234,56", "(R$ 2,00)", "1\u00a0234,50 \u20ac"], [123456, -200, 123450]),
        (["$12.5", "-0.5", "0.05", "(-3)"], [1250, -50, 5, 300]),
        (["$9,999,999,999,999,999.99"], [999999999999999999]),
    ],
)
def test_money_is_read_exactly_in_every_format(cells: list[str], expected: list[int]) -> None:
    table = read_table(("amount\n" + "\n".join(f'"{c}"' for c in cells)).encode(), "m.csv")
    column = money_cents(table, "amount")
    assert column.errors == []
    assert list(column.values) == expected


@pytest.mark.parametrize(
    "cell",
    ["$12345678901234567.00", "1O0.00", "12a.50", "$1$2.00", "\u0967\u0966.00", "\uff11\uff12.00"],
)
def test_money_with_letters_or_other_digits_inside_is_an_error(cell: str) -> None:
    """A currency stands before or after the number; anything else in it is a typo to fix,
    never a character to skip."""
    table = read_table(f'amount\n"{cell}"\n"$5.00"\n'.encode(), "m.csv")
    column = money_cents(table, "amount")
    assert [(e.row, e.value) for e in column.errors] == [(2, cell)]


def test_decimal_mark_is_decided_per_column() -> None:
    assert decimal_style(["1,234", "12,345"]) == "."
    assert decimal_style(["1,234", "12,5"]) == ","
    assert decimal_style(["35.000", "1.000.000"]) == ","
    assert decimal_style(["12"], locale_decimal=",") == ","


@pytest.mark.parametrize(
    ("cells", "prefer_us", "expected"),
    [
        (["12/15/2025 9:30:33 AM", "01/02/2025 1:00:00 PM"], True, [(2025, 12, 15), (2025, 1, 2)]),
        (["15/12/2025 09:30:33", "01/02/2025 13:00:00"], True, [(2025, 12, 15), (2025, 2, 1)]),
        (["05/06/2025", "07/08/2025"], True, [(2025, 5, 6), (2025, 7, 8)]),
        (["05/06/2025", "07/08/2025"], False, [(2025, 6, 5), (2025, 8, 7)]),
        (["2025-12-15", "2025-12-16 08:00:00"], True, [(2025, 12, 15), (2025, 12, 16)]),
        (["15.12.2025", "16.12.2025"], True, [(2025, 12, 15), (2025, 12, 16)]),
    ],
)
def test_dates_are_read_one_format_per_column(
    cells: list[str], prefer_us: bool, expected: list[tuple[int, int, int]]
) -> None:
    table = read_table(("when\n" + "\n".join(cells)).encode(), "d.csv")
    column = dates(table, "when", prefer_us=prefer_us)
    assert column.errors == []
    assert [d.date() for d in column.values] == [date(*e) for e in expected]


def test_a_date_that_fits_no_format_of_its_column_is_an_error() -> None:
    table = read_table(b"when\n12/15/2025\n2025-13-45\n", "d.csv")
    assert [e.row for e in dates(table, "when").errors] == [3]


def test_durations_and_counts() -> None:
    table = read_table(b'd,n\n1:02:03,"1,234"\n45:10,0\n1h 5m,7\n83,12\n', "x.csv")
    assert list(durations_minutes(table, "d").values) == [62, 45, 65, 83]
    assert list(counts(table, "n").values) == [1234, 0, 7, 12]


def test_header_quirks_bom_tabs_units_and_blank_lines() -> None:
    table = read_table("\ufeffOrder ID\t,Revenue (Rp)\n123\t,5\n\n456,6\n".encode(), "x.csv")
    assert list(table.frame.columns) == ["order id", "revenue"]
    assert table.units == {"revenue": "Rp"}
    assert list(table.frame["order id"]) == ["123", "456"]
    assert table.row_numbers == [2, 4]


QUIRKY_CSV = [
    "\ufeffOrder ID\t,Revenue (Rp)\r\n123\t,5\r\n456 , 6\r\n",
    'name;note;n\n"Casa; Bonita";"two\nlines";"1.234"\n Ünïcødé\u00a0;"""quoted""";7\n',
    "a\tb\tc\n1\t\t3\n,\t,\t,\n\t\t\n4\t5\t6",
    'gmv,orders\n"$1,234.56",10\n=1+2,@x\n,\n',
    "seller,gmv\rS1,1.00\rS2,2.00\r",
]


@pytest.mark.parametrize("text", QUIRKY_CSV)
def test_the_fast_csv_reader_reads_what_the_general_one_reads(text: str) -> None:
    """The common file goes through Arrow's reader; a blank line sends the same file through
    the general reader (which a blank line does not change): both must give the same table."""
    data = text.encode()
    header = text.lstrip("\ufeff").splitlines()[0]
    delimiter = max([",", ";", "\t"], key=header.count)
    width = header.count(delimiter) + 1
    assert tables._read_csv_arrow(Upload.of(data), delimiter, width, None) is not None
    fast, general = read_table(data, "q.csv"), read_table(data + b"\n\n", "q.csv")
    assert tables._read_csv_arrow(Upload.of(data + b"\n\n"), delimiter, width, None) is None
    pd.testing.assert_frame_equal(fast.frame, general.frame)
    assert (fast.row_numbers, fast.units, fast.original_names) == (
        general.row_numbers,
        general.units,
        general.original_names,
    )


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n1,2\n\n3,4\n",
        b"a,b\r\n1,2\r\n\r\n3,4\r\n",
        b"a,b\r1,2\r\r3,4\r",
        b"a,b\n\r1,2\n\r3,4\n\r",  # LF then CR: an empty line between the two
        b"\xef\xbb\xbf\na,b\n1,2\n",  # an empty line after the BOM
        b"\na,b\n1,2\n",
    ],
)
def test_files_with_empty_lines_take_the_general_reader(data: bytes) -> None:
    """Arrow's reader skips empty lines, which would shift the row numbers of every error."""
    assert tables._read_csv_arrow(Upload.of(data), ",", 2, None) is None


def test_row_numbers_count_empty_lines_whatever_the_line_ends() -> None:
    sheet = b"date,seller_id,gmv,orders\n\r2026-01-01,S1,1.00,1\n\r2026-01-02,S1,x,1\n\r"
    with pytest.raises(ImportRejected) as rejected:
        importer_for("kpi-sheet")(None, sheet, options())  # type: ignore[arg-type]
    assert [(e.row, e.value) for e in rejected.value.errors] == [(5, "x")]


@pytest.mark.parametrize("cell", ["\uff11\uff12", "\u0661\u0662", "\u096710"])
def test_digits_of_other_scripts_are_row_errors(cell: str) -> None:
    """Exports write ASCII digits; fullwidth, Arabic-Indic or Devanagari ones are refused."""
    sheet = f"date,seller_id,gmv,orders\n2026-01-01,S1,1.00,1\n2026-01-02,S1,{cell},{cell}\n"
    with pytest.raises(ImportRejected) as rejected:
        importer_for("kpi-sheet")(None, sheet.encode(), options())  # type: ignore[arg-type]
    assert {(e.row, e.column) for e in rejected.value.errors} == {(3, "gmv"), (3, "orders")}


# ---- the team KPI sheet ----------------------------------------------------------------------

SHEET = (
    "date,seller_id,seller_name,category,gmv,orders,items_sold,buyers,live_sessions,live_minutes,"
    "live_views,live_gmv\n"
    '2026-11-01,S1,Casa Bonita,Home & Living,"1,234.56",10,12,9,1,60,1000,100.00\n'
    "2026-11-02,S1,Casa Bonita,Home & Living,99.99,3,3,3,0,0,0,0\n"
)


def test_the_sheet_is_imported_and_reimport_updates(engine: Engine) -> None:
    first = run(engine, SHEET.encode())
    assert (first.kind, first.rows, first.new, first.updated) == ("kpi-sheet", 2, 2, 0)
    assert kpi_rows(engine) == [
        (date(2026, 11, 1), 123456, 10, 12, 9, 1, 60, 1000, 10000),
        (date(2026, 11, 2), 9999, 3, 3, 3, 0, 0, 0, 0),
    ]
    changed = SHEET.replace("99.99,3", "199.99,4") + (
        "2026-11-03,S1,Casa Bonita,Home & Living,1.00,1,1,1,0,0,0,0\n"
    )
    second = run(engine, changed.encode())
    assert (second.new, second.updated) == (1, 2)
    assert [r[:3] for r in kpi_rows(engine)] == [
        (date(2026, 11, 1), 123456, 10),
        (date(2026, 11, 2), 19999, 4),
        (date(2026, 11, 3), 100, 1),
    ]
    assert table_count(engine, Seller) == 1


def test_the_summary_says_what_each_count_counts(engine: Engine) -> None:
    run(engine, b"id,name,categories\nS7,Glow Lab,Beauty\nS8,Nova Home,Home & Living\n")
    sheet = run(engine, SHEET.encode())  # Casa Bonita's two days; the others are not in it
    assert sheet.sellers == 1
    assert describe_summary(sheet) == (
        "Imported 2 rows (kpi-sheet) for 01 Nov 2026 – 02 Nov 2026 (2 days) of 1 seller; "
        "seller-days: 2 new, 0 updated. 1 new seller added."
    )
    lines = [
        order_line("5761", "Completed", 2, "€1.000,50", "15/12/2025 09:30:33", "ann"),
        order_line("5761", "Completed", 1, "€20,00", "15/12/2025 09:30:33", "ann"),
        order_line("5764", "Versandt", 1, "€10,00", "16/12/2025 00:00:01", "ann"),
    ]
    orders = run(engine, xlsx([ORDER_HEADER, ORDER_HEADER, *lines]), "o.xlsx", seller="S8")
    assert describe_summary(orders) == (
        "Imported 3 order lines (orders) for 15 Dec 2025 – 16 Dec 2025 (2 days) of 1 seller; "
        "seller-days: 2 new, 0 updated."
    )


HOSTILE_TEXT = ['Home, "Garden" & Co', "Cuisine \\N \u00e9t\u00e9 \U0001f373", "Line\nbreak\tTab"]


def test_text_cells_reach_the_database_exactly_whatever_they_hold(engine: Engine) -> None:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    lines = [
        f"2026-11-0{i + 1},S{i},{cell(text)},{cell(text)},1.00,1"
        for i, text in enumerate(HOSTILE_TEXT)
    ]
    summary = run(
        engine, ("date,seller_id,seller_name,category,gmv,orders\n" + "\n".join(lines)).encode()
    )
    assert (summary.rows, summary.new) == (3, 3)
    with engine.connect() as connection:
        stored = connection.execute(
            select(DailySellerKpi.category, Seller.name)
            .join(Seller, Seller.id == DailySellerKpi.seller_id)  # type: ignore[arg-type]
            .order_by(DailySellerKpi.day)
        ).all()
    assert [tuple(r) for r in stored] == [(text, text) for text in HOSTILE_TEXT]


def test_postgresql_plans_with_fresh_statistics_after_a_large_import(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite plans these queries well without statistics")
    from storage.kpis.seller_days import ANALYZE_AFTER_ROWS

    def analyzed() -> int:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT analyze_count FROM pg_stat_user_tables "
                        "WHERE relname = 'dailysellerkpi'"
                    )
                ).scalar_one()
            )

    days = [date(2026, 1, 1) + timedelta(days=d) for d in range(100)]
    sellers = ANALYZE_AFTER_ROWS // len(days)
    lines = [f"{day},S{s},1.00,1" for day in days for s in range(sellers)]
    before = analyzed()
    run(engine, ("date,seller_id,gmv,orders\n" + "\n".join(lines[:100])).encode())
    assert analyzed() == before  # a small import leaves statistics to autovacuum
    large = ("date,seller_id,gmv,orders\n" + "\n".join(lines)).encode()
    run(engine, large, dry_run=True)
    assert analyzed() == before  # statistics gathered would outlive the rollback
    run(engine, large)
    assert analyzed() == before + 1


def test_the_sheet_as_xlsx_with_numbers_and_dates_as_cells(engine: Engine) -> None:
    data = xlsx(
        [
            ["Date", "Seller ID", "Seller name", "Category", "GMV", "Orders"],
            [date(2026, 11, 1), "S1", "Casa", "Home", 1234.5, 10],
            [date(2026, 11, 2), "S2", "Bella", "Beauty", 7, 1],
        ]
    )
    summary = run(engine, data, "sheet.xlsx")
    assert (summary.rows, summary.sellers) == (2, 2)
    assert [r[:3] for r in kpi_rows(engine)] == [
        (date(2026, 11, 1), 123450, 10),
        (date(2026, 11, 2), 700, 1),
    ]


def test_a_sheet_without_live_columns_keeps_live_figures(engine: Engine) -> None:
    run(engine, SHEET.encode())
    run(engine, b"date,seller_id,gmv,orders\n2026-11-01,S1,5.00,1\n")
    assert kpi_rows(engine)[0] == (date(2026, 11, 1), 500, 1, 12, 9, 1, 60, 1000, 10000)


def test_a_dry_run_saves_nothing_but_counts(engine: Engine) -> None:
    summary = run(engine, SHEET.encode(), dry_run=True)
    assert (summary.new, summary.updated, summary.dry_run) == (2, 0, True)
    assert kpi_rows(engine) == []
    assert table_count(engine, ImportBatch) == 0 and table_count(engine, Seller) == 0


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty"),
        (b"date,seller_id,gmv\n2026-11-01,S1,1\n", "I don't recognise the columns"),
        (b"\xff\xfe", "is empty"),
        ("date,seller_id,gmv,orders\n2026-11-01,S1,1,1\nCaf\xe9".encode("latin-1"), "not UTF-8"),
        (
            SHEET.encode() + b"2026-11-02,S1,Casa Bonita,Home & Living,5,1,1,1,0,0,0,0\n",
            "row 4, seller_id + date = 'S1 2026-11-02': repeats row 3",
        ),
        (SHEET.replace("99.99", "-99.99").encode(), "row 3, gmv = '-99.99': is negative"),
        (SHEET.replace("99.99", "lots").encode(), "row 3, gmv = 'lots': is not an amount"),
        (SHEET.replace("99.99", "=1+1").encode(), "row 3, gmv = '=1+1'"),
        (SHEET.replace(",3,3,3,", ",2.5,3,3,").encode(), "row 3, orders = '2.5'"),
        (SHEET.replace("2026-11-02", "2026-02-30").encode(), "row 3, date = '2026-02-30'"),
        (SHEET.replace("S1,Casa", ",Casa", 1).encode(), "row 2, seller_id = '': is empty"),
        (b'date;seller_id;gmv;orders\n2026-11-01;S1;1;"1\n', "could not be read"),
        (
            b"date,seller_id,gmv,orders\n2026-11-01,S1,1,1,9\n",
            "row 2 has 5 cells but the header has 4",
        ),
    ],
)
def test_bad_files_are_rejected_whole(engine: Engine, data: bytes, says: str) -> None:
    run(engine, SHEET.encode())
    before = kpi_rows(engine)
    with pytest.raises(ImportRejected) as rejected:
        run(engine, data)
    assert says in rejected.value.describe()
    assert kpi_rows(engine) == before
    assert table_count(engine, ImportBatch) == 1


def test_missing_columns_are_named(engine: Engine) -> None:
    with pytest.raises(ImportRejected, match="missing the columns “gmv”, “orders”"):
        run(engine, b"date,seller_id,category\n2026-11-01,S1,x\n", kind="kpi-sheet")


def test_a_file_over_the_limit_is_refused_unread(engine: Engine) -> None:
    huge = b"date,seller_id,gmv,orders\n" + b"2026-11-01,S1,1,1\n" * (200 * 1024 * 1024 // 18)
    with pytest.raises(ImportRejected, match=r"is 200\.0 MB; the limit is 50 MB"):
        run(engine, huge)
    assert kpi_rows(engine) == []


def test_many_errors_are_listed_first_ones_first(engine: Engine) -> None:
    lines = "".join(f"2026-11-01,S{i},x,{i}\n" for i in range(100))
    with pytest.raises(ImportRejected) as rejected:
        run(engine, f"date,seller_id,gmv,orders\n{lines}".encode())
    text = rejected.value.describe()
    assert text.startswith("file.csv was not imported: 50+ problems")
    assert "• row 2, gmv = 'x'" in text and "… and 40 more" in text


# ---- the Seller Center order export ---------------------------------------------------------

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
    "Order Amount",
    "Created Time",
    "Paid Time",
    "Cancelled Time",
    "Buyer Username",
    "Recipient",
    "Country",
]


def order_line(
    order: str,
    status: str,
    quantity: int,
    subtotal: str,
    created: str,
    buyer: str,
    cancelled: str = "",
) -> list[str]:
    line = dict.fromkeys(ORDER_HEADER, "")
    line.update(
        {
            "Order ID": order + "\t",
            "Order Status": status,
            "Quantity": str(quantity),
            "SKU Subtotal After Discount": subtotal,
            "Created Time": created + "\t",
            "Cancelled Time": cancelled,
            "Buyer Username": buyer,
            "Country": "DE",
        }
    )
    return [line[h] for h in ORDER_HEADER]


@pytest.fixture
def seller(engine: Engine) -> None:
    run(engine, b"id,name,categories\n7495,Casa Bonita,Home & Living; Kitchenware\n")


def test_orders_aggregate_to_seller_days_with_quirks(engine: Engine, seller: None) -> None:
    lines = [
        order_line("5761", "Completed", 2, "€1.000,50", "15/12/2025 09:30:33", "ann"),
        order_line("5761", "Completed", 1, "€20,00", "15/12/2025 09:30:33", "ann"),
        order_line("5762", "Storniert", 1, "€99,00", "15/12/2025 10:00:00", "bob"),
        order_line("5763", "Zugestellt", 3, "€5,25", "15/12/2025 23:59:59", "cy"),
        order_line("5764", "Versandt", 1, "€10,00", "16/12/2025 00:00:01", "ann"),
        order_line("5765", "Awaiting", 1, "€3,00", "16/12/2025 08:00:00", "dee", "16/12/2025"),
    ]
    description = ["Platform unique order ID.", *(["description"] * (len(ORDER_HEADER) - 1))]
    data = xlsx([ORDER_HEADER, description, *lines])
    summary = run(engine, data, "orders.xlsx", seller="casa bonita")
    assert (summary.kind, summary.rows, summary.new) == ("orders", 6, 2)
    rows = kpi_rows(engine)
    assert [r[:5] for r in rows] == [
        (date(2025, 12, 15), 102575, 2, 6, 2),
        (date(2025, 12, 16), 1000, 1, 1, 1),
    ]
    with engine.connect() as connection:
        category = connection.execute(select(DailySellerKpi.category)).scalars().first()
    assert category == "Home & Living"


def test_orders_need_a_known_seller(engine: Engine, seller: None) -> None:
    data = (
        ",".join(ORDER_HEADER)
        + "\n"
        + ",".join(order_line("1", "Completed", 1, "1.00", "12/15/2025 9:30:33 AM", "a"))
        + "\n"
    )
    with pytest.raises(ImportRejected, match="say which seller"):
        run(engine, data.encode())
    with pytest.raises(ImportRejected, match="Did you mean Casa Bonita"):
        run(engine, data.encode(), seller="Casa Bonta")


# ---- LIVE sessions and the seller registry --------------------------------------------------


def test_live_sessions_old_and_new_headers(engine: Engine, seller: None) -> None:
    old = (
        "Creator ID,Creator,Nickname,Launched Time,Duration,Revenue (Rp),Products,Viewers,Views,"
        "ACU,PCU,Comments,Shares,Likes,New Followers\n"
        "1,c,n,2025-12-15 19:00,1:30:00,Rp 150.000,3,10,900,5,9,20,5,100,3\n"
        "1,c,n,2025-12-15 21:00,30m,Rp 50.000,3,10,100,5,9,2,1,10,0\n"
    )
    summary = run(engine, old.encode(), "live.csv", seller="7495")
    assert summary.kind == "live-sessions"
    assert kpi_rows(engine) == [(date(2025, 12, 15), 0, 0, 0, 0, 2, 120, 1000, 20000000)]
    new = (
        "Start time,Duration,Attributed GMV,Attributed orders,Views,LIVE impressions,"
        "Product clicks,New followers,Likes,Comments,Shares\n"
        "12/16/2025 8:00 PM,45:00,$12.50,1,300,900,30,2,40,5,1\n"
    )
    run(engine, new.encode(), "live2.csv", seller="Casa Bonita")
    assert kpi_rows(engine)[1] == (date(2025, 12, 16), 0, 0, 0, 0, 1, 45, 300, 1250)


def test_a_days_live_figures_are_the_sums_of_all_its_sessions(engine: Engine, seller: None) -> None:
    header = "Creator ID,Creator,Nickname,Launched Time,Duration,Revenue,Viewers,Views,PCU\n"
    evening = header + "1,Ana,n,2025-12-15 19:00,1:30:00,150.00,10,900,9\n"
    late = header + "2,Lena,n,2025-12-15 21:00,30m,50.00,10,100,9\n"
    run(engine, evening.encode(), "evening.csv", seller="7495")
    run(engine, late.encode(), "late.csv", seller="7495")  # another export, the same day
    run(engine, evening.encode(), "evening.csv", seller="7495")  # again: nothing doubles
    assert kpi_rows(engine) == [(date(2025, 12, 15), 0, 0, 0, 0, 2, 120, 1000, 20000)]


def test_finer_files_win_over_the_kpi_sheet_whatever_the_order(
    engine: Engine, seller: None
) -> None:
    """The README's rule: the order export's sales and the LIVE sessions' sums stay on the
    seller-days they cover when a KPI sheet comes after them; the sheet fills the rest."""
    orders = [
        order_line("5761", "Completed", 2, "€1.000,50", "15/12/2025 09:30:33", "ann"),
        order_line("5761", "Completed", 1, "€20,00", "15/12/2025 09:30:33", "ann"),
        order_line("5763", "Zugestellt", 3, "€5,25", "15/12/2025 23:59:59", "cy"),
        order_line("5764", "Versandt", 1, "€10,00", "16/12/2025 00:00:01", "ann"),
    ]
    run(engine, xlsx([ORDER_HEADER, ORDER_HEADER, *orders]), "orders.xlsx", seller="7495")
    live = (
        "Creator ID,Creator,Nickname,Launched Time,Duration,Revenue,Viewers,Views,PCU\n"
        "1,c,n,2025-12-15 19:00,1:30:00,150.00,10,900,9\n"
        "1,c,n,2025-12-15 21:00,30m,50.00,10,100,9\n"
    )
    run(engine, live.encode(), "live.csv", seller="7495")
    sheet = (
        "date,seller_id,seller_name,category,gmv,orders,items_sold,buyers,live_sessions,"
        "live_minutes,live_views,live_gmv\n"
        "2025-12-14,7495,Casa Bonita,Home & Living,500.00,5,5,5,1,60,700,50.00\n"
        "2025-12-15,7495,Casa Bonita,Home & Living,2000.00,20,20,20,3,200,5000,900.00\n"
        "2025-12-16,7495,Casa Bonita,Home & Living,3000.00,30,30,30,1,50,400,10.00\n"
    )
    run(engine, sheet.encode(), "sheet.csv")
    assert kpi_rows(engine) == [
        (date(2025, 12, 14), 50000, 5, 5, 5, 1, 60, 700, 5000),  # the sheet alone
        (date(2025, 12, 15), 102575, 2, 6, 2, 2, 120, 1000, 20000),  # orders; sessions
        (date(2025, 12, 16), 1000, 1, 1, 1, 1, 50, 400, 1000),  # orders; the sheet's LIVE
    ]
    # The sums /kpi reads were brought in step with what was put back.
    with engine.connect() as connection:
        week = connection.execute(select(WeeklySellerKpi.gmv_cents)).scalars().all()
    assert sum(week) == 50000 + 102575 + 1000


def test_a_kpi_sheet_still_imports_after_a_long_history_of_order_exports(
    engine: Engine, seller: None
) -> None:
    """Order exports pile up (one a seller a week): the sheet keeps their days' sales however
    many there were, in one statement SQLite can still take (it refuses one a thousand terms
    deep)."""
    orders = [order_line("5761", "Completed", 2, "€100,00", "15/12/2025 09:30:33", "ann")]
    run(engine, xlsx([ORDER_HEADER, ORDER_HEADER, *orders]), "orders.xlsx", seller="7495")
    with Session(engine) as session:
        [done] = session.scalars(select(ImportBatch).where(ImportBatch.kind == "orders")).all()
        for week in range(1, 1200):  # earlier exports, of days before the sheet's
            day = date(2025, 12, 15) - timedelta(days=7 * week)
            session.add(
                ImportBatch(
                    team_id=done.team_id,
                    kind="orders",
                    filename=f"orders-{week}.xlsx",
                    sha256=f"{week:064d}",
                    seller_id=done.seller_id,
                    first_day=day,
                    last_day=day,
                )
            )
        session.commit()
    sheet = (
        "date,seller_id,seller_name,category,gmv,orders,items_sold,buyers\n"
        "2025-12-15,7495,Casa Bonita,Home & Living,2000.00,20,20,20\n"
        "2025-12-16,7495,Casa Bonita,Home & Living,3000.00,30,30,30\n"
    )
    run(engine, sheet.encode(), "sheet.csv")
    assert [row[:3] for row in kpi_rows(engine)] == [
        (date(2025, 12, 15), 10000, 1),  # the order export's
        (date(2025, 12, 16), 300000, 30),  # the sheet's
    ]


def test_the_seller_registry_updates_sellers(engine: Engine, seller: None) -> None:
    summary = run(
        engine,
        b"id,name,categories,market,owner,status\n"
        b"7495,Casa Bonita Home,Kitchenware,DE,U0MARIA,inactive\n"
        b"7496,Nova,Beauty Tools,FR,,\n",
    )
    assert (summary.kind, summary.new, summary.updated) == ("sellers", 1, 1)
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Seller.seller_key, Seller.name, Seller.category, Seller.owner_user_id, Seller.status
            ).order_by(Seller.seller_key)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("7495", "Casa Bonita Home", "Kitchenware", "U0MARIA", "inactive"),
        ("7496", "Nova", "Beauty Tools", None, "active"),
    ]
    with pytest.raises(ImportRejected) as rejected:
        run(engine, b"id,name,categories,owner\n1,A,B,@maria\n")
    assert "row 2, owner = '@maria': is not a Slack user ID" in rejected.value.describe()


def test_importers_are_found_by_kind() -> None:
    with pytest.raises(ImportRejected, match="Unknown kind 'invoices'"):
        importer_for("invoices")


def test_the_readme_names_every_import_kind_and_no_other() -> None:
    """The README keeps its prose; each kind the registry declares is named there, as people
    call it and by its name (`kind `kpi-sheet``), and no kind that is gone."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("\n## Imports\n", 1)[1].split("\n## ", 1)[0]
    prose = " ".join(section.split()).lower()
    for kind in KINDS:
        assert f"kind `{kind.name}`" in section, kind.name
        assert re.sub(r"^an? ", "", kind.described).lower() in prose, kind.described
    assert set(re.findall(r"kind `([\w-]+)`", readme)) == {kind.name for kind in KINDS}


def test_a_file_no_kind_recognises_is_answered_with_every_kind() -> None:
    with pytest.raises(ImportRejected) as rejected:
        run(None, b"when,who,what\n2026-11-01,S1,3\n")  # type: ignore[arg-type]
    for kind in KINDS:
        assert kind.described in rejected.value.message and kind.name in rejected.value.message


def test_two_imports_at_once_both_land_whole(engine: Engine) -> None:
    """Two replicas importing the same new days (and new sellers) at the same moment: one
    waits for the other, then updates what the first wrote."""
    import threading

    frame = kpi_data.generate(sellers=30)
    sheet = kpi_data.to_csv(frame)
    start = threading.Barrier(2)
    results: list[object] = []

    def import_once() -> None:
        start.wait()
        try:
            results.append(run(engine, sheet))
        except Exception as error:  # kept for the assertion below to show
            results.append(error)

    threads = [threading.Thread(target=import_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    summaries = [r for r in results if isinstance(r, ImportSummary)]
    assert len(summaries) == 2, results
    assert sorted((s.new, s.updated) for s in summaries) == [(0, len(frame)), (len(frame), 0)]
    assert table_count(engine, DailySellerKpi) == len(frame)
    assert table_count(engine, Seller) == 30
    period = parse_period("2026-09-02..2026-10-20", kpi_data.FIRST_DAY + timedelta(days=80))
    kpi_data.check_sellers(snapshot(engine, Scope(TEAM), period, ""), frame, period)


def test_on_sqlite_an_import_waits_longer_than_the_busy_timeout(tmp_path, monkeypatch) -> None:
    """SQLite gives up on its write lock after the busy timeout; an import behind a long one
    waits for its turn instead of failing."""
    import threading
    import time

    from storage import db
    from storage.schema import upgrade

    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 50)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    upgrade(engine)
    writing = threading.Event()

    def slow(done: int, total: int) -> None:
        writing.set()
        time.sleep(0.5)  # ten busy timeouts, with the write lock held

    results: list[object] = []

    def import_in_thread(sheet: str, **kwargs: object) -> None:
        try:
            results.append(import_file(engine, SETTINGS, sheet.encode(), options(**kwargs)))
        except Exception as error:  # kept for the assertion below to show
            results.append(error)

    first = threading.Thread(target=import_in_thread, args=(SHEET,), kwargs={"progress": slow})
    first.start()
    assert writing.wait(10)
    import_in_thread(SHEET.replace("S1,", "S2,"))
    first.join(10)
    assert [type(r).__name__ for r in results] == ["ImportSummary", "ImportSummary"], results
    assert table_count(engine, DailySellerKpi) == 4


def test_live_sessions_are_stored_one_by_one(engine: Engine, seller: None) -> None:
    from datetime import datetime

    from storage.reviews.models import LiveSession

    old = (
        "Creator ID,Creator,Nickname,Launched Time,Duration,Revenue (Rp),Orders Paid,Viewers,"
        "Views,ACU,PCU,Avg. Viewing Duration,Comments,Shares,Likes,New Followers,"
        "Product Impressions,Product Clicks\n"
        "1,Lena Küche,n,2025-12-15 19:00,1:30:00,Rp 150.000,12,10,900,5,9,1:05,20,5,100,3,800,80\n"
        "1,Lena Küche,n,2025-12-15 21:00,30m,Rp 50.000,2,10,100,5,4,40s,2,1,10,0,90,9\n"
    )
    run(engine, old.encode(), "live.csv", seller="7495")
    run(engine, old.encode(), "live.csv", seller="7495")  # again: updated, not added

    def stored() -> list[tuple]:
        with engine.connect() as connection:
            return [
                tuple(r)
                for r in connection.execute(
                    select(
                        LiveSession.started_at,
                        LiveSession.host_name,
                        LiveSession.duration_minutes,
                        LiveSession.views,
                        LiveSession.peak_viewers,
                        LiveSession.avg_view_seconds,
                        LiveSession.gmv_cents,
                        LiveSession.orders,
                        LiveSession.product_clicks,
                    ).order_by(LiveSession.started_at)
                )
            ]

    assert stored() == [
        (datetime(2025, 12, 15, 19, 0), "Lena Küche", 90, 900, 9, 65, 15000000, 12, 80),
        (datetime(2025, 12, 15, 21, 0), "Lena Küche", 30, 100, 4, 40, 5000000, 2, 9),
    ]
    # The seller-day sums are kept as before.
    assert kpi_rows(engine) == [(date(2025, 12, 15), 0, 0, 0, 0, 2, 120, 1000, 20000000)]
