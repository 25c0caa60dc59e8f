"""A KPI sheet read a chunk at a time gives exactly what it gives read whole, and stays all or
nothing: a problem in a later chunk writes nothing, and names its row."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from storage.importers import ImportRejected, tables
from storage.kpis.models import (
    DailyCategoryKpi,
    DailyCategorySellers,
    DailySellerKpi,
    WeeklySellerKpi,
)
from tests import kpi_data
from tests.test_importers import options, table_count
from tests.test_importers import run as import_into

SUMMED = (DailySellerKpi, DailyCategoryKpi, DailyCategorySellers, WeeklySellerKpi)
NOT_COMPARED = {"id", "team_id", "import_batch_id", "updated_at", "seller_id"}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few dozen rows, so that a small sheet spans many."""
    monkeypatch.setattr(tables, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(tables, "CHUNK_ROWS", 50)


def run(engine: Engine, data: bytes, team: str, filename: str = "sheet.csv"):  # type: ignore[no-untyped-def]
    from bot.imports.run import import_file
    from tests.test_importers import SETTINGS

    return import_file(engine, SETTINGS, data, options(filename).__class__(team, filename))


def contents(engine: Engine, model: type, team: str) -> list[tuple]:
    table = model.__table__  # type: ignore[attr-defined]
    columns = [c for c in table.columns if c.name not in NOT_COMPARED]
    with engine.connect() as connection:
        rows = connection.execute(select(*columns).where(table.c.team_id == team)).all()
    return sorted(tuple(row) for row in rows)


def test_a_sheet_in_many_chunks_gives_what_it_gives_whole(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = kpi_data.to_csv(kpi_data.generate())
    whole = run(engine, data, "TWHOLE")
    monkeypatch.setattr(tables, "CHUNK_BYTES", 4096)
    chunked = run(engine, data, "TCHUNKS")
    assert len(data) > 10 * 4096
    assert (chunked.rows, chunked.new, chunked.updated, chunked.sellers) == (
        whole.rows,
        whole.new,
        0,
        whole.sellers,
    )
    assert (chunked.first_day, chunked.last_day) == (whole.first_day, whole.last_day)
    for model in SUMMED:
        assert contents(engine, model, "TCHUNKS") == contents(engine, model, "TWHOLE"), model

    again = run(engine, data, "TCHUNKS")  # every day already there: updates, counted right
    assert (again.new, again.updated) == (0, whole.rows)
    for model in SUMMED:
        assert contents(engine, model, "TCHUNKS") == contents(engine, model, "TWHOLE"), model


@pytest.mark.usefixtures("small_chunks")
def test_a_repeat_or_a_bad_cell_in_a_later_chunk_writes_nothing(engine: Engine) -> None:
    frame = kpi_data.generate()
    lines = kpi_data.to_csv(frame).decode().splitlines()
    repeated = "\n".join([*lines, lines[1]]).encode()  # the first row again, at the very end
    with pytest.raises(ImportRejected) as rejected:
        run(engine, repeated, "TREPEAT")
    [error] = rejected.value.errors
    assert (error.row, error.column) == (len(lines) + 1, "seller_id + date")
    assert "repeats row 2" in error.reason
    broken = "\n".join([*lines[:-1], lines[-1].replace(",", ",x", 5)]).encode()
    with pytest.raises(ImportRejected) as rejected:
        run(engine, broken, "TREPEAT")
    assert {error.row for error in rejected.value.errors} == {len(lines)}
    assert table_count(engine, DailySellerKpi) == table_count(engine, DailyCategoryKpi) == 0


@pytest.mark.usefixtures("small_chunks")
def test_an_xlsx_is_cut_into_chunks_too(engine: Engine) -> None:
    from tests.test_importers import xlsx

    frame = kpi_data.generate(sellers=4)
    data = xlsx([list(frame.columns), *frame.astype(str).values.tolist()])
    summary = import_into(engine, data, "sheet.xlsx")
    assert summary.rows == len(frame) > 3 * 50
    assert table_count(engine, DailySellerKpi) == len(frame)


@pytest.mark.usefixtures("small_chunks")
def test_a_repeat_over_days_already_there_writes_nothing_either(engine: Engine) -> None:
    """Days the workspace has are upserted, not inserted: a row repeating one of an earlier
    chunk must still be found (an upsert would quietly keep the later one)."""
    frame = kpi_data.generate()
    data = kpi_data.to_csv(frame)
    run(engine, data, "TAGAIN")
    before = {model: contents(engine, model, "TAGAIN") for model in SUMMED}
    lines = data.decode().splitlines()
    changed = lines[1].rsplit(",", 1)[0] + ",7"  # the first row again, another figure
    with pytest.raises(ImportRejected) as rejected:
        run(engine, "\n".join([*lines, changed]).encode(), "TAGAIN")
    [error] = rejected.value.errors
    assert (error.row, error.column) == (len(lines) + 1, "seller_id + date")
    assert "repeats row 2" in error.reason
    for model in SUMMED:
        assert contents(engine, model, "TAGAIN") == before[model], model


def test_the_line_scan_finds_empty_lines_across_block_ends() -> None:
    """The streaming reader's precondition is checked a block at a time: a pair of line ends
    split between two blocks is an empty line too."""
    from storage.importers import Upload

    for data in (b"a,b\n1,2\n\n3,4\n", b"a,b\r\n1,2\r\n\r\n3,4\r\n", b"a,b\r1,2\r\r3,4\r"):
        for block_size in range(1, len(data) + 1):
            shape = tables.scan_lines(Upload.of(data), block_size)
            assert shape.empty_lines, (data, block_size)
    quoted = b'a,b\r\n"1\r\n2",3\r\n'
    for block_size in range(1, len(quoted) + 1):
        assert tables.scan_lines(Upload.of(quoted), block_size) == tables.LineShape(2, False)


def test_an_order_export_in_many_chunks_counts_each_order_and_buyer_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order's lines, and a buyer's orders, fall into several chunks: each is still
    counted once a day, as when the export is read whole."""
    from bot.imports.run import import_file
    from tests.test_importers import ORDER_HEADER, SETTINGS, order_line

    lines = [
        order_line(
            f"57{line % 120:04d}",
            "Cancelled" if line % 11 == 0 else "Completed",
            1 + line % 3,
            f"${line % 50}.25",
            f"12/{10 + line % 3}/2025 09:30:33",
            f"buyer{line % 7}",
        )
        for line in range(600)
    ]
    export = "\n".join(",".join(cells) for cells in [ORDER_HEADER, *lines]).encode()

    def imported(team: str) -> list[tuple]:
        run(engine, b"id,name,categories\n7495,Casa Bonita,Home\n", team, "sellers.csv")
        import_file(engine, SETTINGS, export, options().__class__(team, "o.csv", seller="7495"))
        return contents(engine, DailySellerKpi, team)

    whole = imported("TWHOLE")
    monkeypatch.setattr(tables, "CHUNK_BYTES", 2048)
    assert len(export) > 10 * 2048
    assert imported("TCHUNKS") == whole
    assert len(whole) == 3
