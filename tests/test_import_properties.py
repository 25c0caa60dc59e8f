"""Any file of any importer's columns, with any cells: the import either succeeds or is refused
with row errors a person can read, and a refused file changes nothing in the database."""

from __future__ import annotations

import csv
import io
from datetime import date
from types import ModuleType

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from storage.importers import (
    ImportOptions,
    ImportRejected,
    creators,
    importer_for,
    kpi_sheet,
    live_sessions,
    orders,
    seller_registry,
)
from tests.test_cell_parser_properties import CELL

TEAM = "T0PROPS"
IMPORTERS: tuple[ModuleType, ...] = (kpi_sheet, orders, live_sessions, creators, seller_registry)
NAMES = st.sampled_from(["Küchen & Co", "Ölmühle 🚀", "Москва Дом", "Αθήνα", "東京ストア", "A"])
DAYS = st.dates(date(2025, 1, 1), date(2026, 11, 29)).map(date.isoformat)
COUNT = st.integers(0, 10**6).map(str)
MONEY = st.integers(0, 10**9).map(lambda cents: f"{cents // 100}.{cents % 100:02d}")
# A cell that fits each column, by what the column holds, so that valid files come up too.
FITTING: dict[str, st.SearchStrategy[str]] = {
    "day|created|start|date|cancelled_time": DAYS,
    "gmv|subtotal|commission": MONEY,
    "duration": st.integers(0, 20000).map(lambda s: f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"),
    "seller_key": st.sampled_from(["S1", "S2", "S3"]),
    "key": st.from_regex(r"S[0-9]{1,9}", fullmatch=True),
    "seller_name|name|buyer": NAMES,
    "category|categories": st.sampled_from(["Home & Living", "Beauty & Personal Care", "Food"]),
    "status": st.sampled_from(["Completed", "Cancelled", "Shipped", "active", "inactive"]),
    "order_id": st.integers(10**17, 10**18).map(str),
    "handle": st.from_regex(r"@?[a-z][a-z0-9._]{3,20}", fullmatch=True),
    "level": st.sampled_from(["L0", "L3", "8", ""]),
    "market": st.sampled_from(["DE", "US", "ID", ""]),
    "owner": st.sampled_from(["", "U0MARIA"]),
}


def fitting(field: str) -> st.SearchStrategy[str]:
    """Cells that fit the column: counts, unless its name says otherwise."""
    for names, cells in FITTING.items():
        if any(field == name or field.startswith(f"{name}_") for name in names.split("|")):
            return cells
    return COUNT


@st.composite
def files(draw: st.DrawFn) -> tuple[ModuleType, bytes]:
    module = draw(st.sampled_from(IMPORTERS))
    fields = draw(st.permutations(sorted(module.ALIASES)))
    header = [draw(st.sampled_from(module.ALIASES[f])) for f in fields]
    row = st.tuples(*(fitting(f) for f in fields))
    rows = [list(cells) for cells in draw(st.lists(row, max_size=8))]
    if rows and draw(st.booleans()):  # one cell of any text at all
        rows[draw(st.integers(0, len(rows) - 1))][draw(st.integers(0, len(fields) - 1))] = draw(
            CELL
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return module, out.getvalue().encode()


@pytest.fixture
def with_sellers(engine: Engine) -> Engine:
    sheet = "seller_id,seller_name,category\nS1,Küchen & Co,Home & Living\nS2,Ölmühle,Food\n"
    options = ImportOptions(team_id=TEAM, filename="sellers.csv")
    importer_for(seller_registry.KIND)(engine, sheet.encode(), options)
    return engine


def row_counts(engine: Engine) -> dict[str, int]:
    """Every table's row count, in one statement (one round trip, not one a table)."""
    tables = SQLModel.metadata.sorted_tables
    counts = [select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables]
    with engine.connect() as connection:
        row = connection.execute(select(*counts)).one()
    return {table.name: int(count) for table, count in zip(tables, row, strict=True)}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=files())
def test_a_file_is_imported_whole_or_refused_with_nothing_changed(
    with_sellers: Engine, file: tuple[ModuleType, bytes]
) -> None:
    module, data = file
    engine = with_sellers
    before = row_counts(engine)
    options = ImportOptions(team_id=TEAM, filename="file.csv", seller="S1")
    try:
        summary = importer_for(module.KIND)(engine, data, options)
    except ImportRejected as refused:
        event(f"{module.KIND}: refused")
        assert refused.describe().strip()
        assert row_counts(engine) == before
        return
    event(f"{module.KIND}: imported")
    assert summary.kind == module.KIND
