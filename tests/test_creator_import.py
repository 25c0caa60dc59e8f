"""The Affiliate Center creator data importer (issue 3, point 7): detection, values, updates
without duplicates, level changes with their dates, and whole-file rejection."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from storage.columns import utc_now
from storage.creators.models import Creator, CreatorLevelChange
from storage.importers import ImportOptions, ImportRejected, detect_kind, importer_for
from storage.importers.creators import parse_followers, parse_level
from storage.importers.tables import peek_header
from storage.models import ImportBatch
from tests.feedback_support import rows

HEADER = (
    "Creator name,Creator username,GMV,Orders,Videos,Samples shipped,Est. commission,"
    "Followers,Level,Date"
)
FILE = f"""\ufeff{HEADER}
Maria Lopez,@Maria.Makes,"$1,234.56",12,3,2,$98.70,12.3K,L3,2026-11-01\t
Tom Nguyen,tom.tidy,0,0,0,1,0,"1,204",Lv.1,2026-11-01
Ana,ana.glow,,,,,,,,2026-11-01
"""


def _import(engine: Engine, data: bytes, filename: str = "creators.csv", **options: object):
    return importer_for("creators")(
        engine,
        data,
        ImportOptions(team_id="T1", filename=filename, **options),  # type: ignore[arg-type]
    )


def test_the_kind_is_detected_from_the_header() -> None:
    assert detect_kind(peek_header(FILE.encode(), "x.csv")) == "creators"
    short = b"Creator name,GMV,Orders,Videos,Samples shipped,Est. commission\nmaria,1,1,1,1,1\n"
    assert detect_kind(peek_header(short, "x.csv")) == "creators"
    assert (
        detect_kind(["creator id", "creator", "views", "duration", "launched time"]) != "creators"
    )


def test_creators_are_added_with_their_figures_and_levels(engine: Engine) -> None:
    summary = _import(engine, FILE.encode())
    assert (summary.kind, summary.rows, summary.new, summary.updated) == ("creators", 3, 3, 0)
    assert summary.notes == ["2 level changes recorded"]
    maria, tom, ana = rows(engine, Creator)
    assert (maria.handle, maria.display_name, maria.team_id) == ("maria.makes", "Maria Lopez", "T1")
    assert (maria.gmv_cents, maria.est_commission_cents) == (123_456, 9_870)
    assert (maria.orders, maria.videos, maria.samples_shipped) == (12, 3, 2)
    assert (maria.followers, maria.level, maria.stage) == (12_300, 3, "prospect")
    assert (tom.followers, tom.level) == (1_204, 1)
    assert (ana.gmv_cents, ana.followers, ana.level) == (None, None, None)
    changes = rows(engine, CreatorLevelChange)
    assert [(c.level, c.previous_level, c.effective_on, c.source) for c in changes] == [
        (3, None, date(2026, 11, 1), "import"),
        (1, None, date(2026, 11, 1), "import"),
    ]
    [batch] = rows(engine, ImportBatch)
    assert (batch.kind, batch.rows_total, batch.rows_new) == ("creators", 3, 3)


def test_a_reimport_updates_and_records_only_real_level_changes(engine: Engine) -> None:
    _import(engine, FILE.encode())
    december = FILE.replace("2026-11-01", "2026-12-01").replace("L3", "L4")
    summary = _import(engine, december.encode())
    assert (summary.new, summary.updated) == (0, 3)
    assert summary.notes == ["1 level change recorded"]
    assert len(rows(engine, Creator)) == 3
    changes = rows(engine, CreatorLevelChange)
    assert [(c.level, c.previous_level, c.effective_on) for c in changes][-1] == (
        4,
        3,
        date(2026, 12, 1),
    )
    assert len(changes) == 3
    # The same file again changes nothing.
    assert _import(engine, december.encode()).notes == ["0 level changes recorded"]
    assert len(rows(engine, CreatorLevelChange)) == 3


def test_without_a_date_column_a_change_is_dated_today(engine: Engine) -> None:
    data = "Creator username,Creator name,Videos,Level\nmaria.makes,Maria,1,L2\n"
    _import(engine, data.encode())
    [change] = rows(engine, CreatorLevelChange)
    assert change.effective_on == utc_now().date()


def test_the_creator_name_is_the_handle_without_a_username_column(engine: Engine) -> None:
    data = (
        b"Creator name,GMV,Orders,Videos,Samples shipped,Est. commission\n"
        b"@cleanwithmarta,1,1,1,1,1\n"
    )
    _import(engine, data)
    [creator] = rows(engine, Creator)
    assert (creator.handle, creator.display_name) == ("cleanwithmarta", "")


def test_an_xlsx_file_is_read_too(engine: Engine) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Creator name", "Creator username", "GMV", "Videos", "Level"])
    sheet.append(["Maria", "maria.makes", 12.5, 3, "L7"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _import(engine, buffer.getvalue(), "creators.xlsx")
    [creator] = rows(engine, Creator)
    assert (creator.gmv_cents, creator.videos, creator.level) == (1250, 3, 7)


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("Bad,not a handle!,1,1,1,1,1,1,L1,2026-11-01", "Creator username", "not a TikTok handle"),
        ("Bad,bad.one,lots,1,1,1,1,1,L1,2026-11-01", "GMV", "not an amount"),
        ("Bad,bad.one,1,-3,1,1,1,1,L1,2026-11-01", "Orders", "not a whole number"),
        ("Bad,bad.one,1,1,1,1,1,many,L1,2026-11-01", "Followers", "not a follower count"),
        ("Bad,bad.one,1,1,1,1,1,1,L9,2026-11-01", "Level", "L0 to L8"),
        ("Bad,bad.one,1,1,1,1,1,1,L1,someday", "Date", "not a date"),
        ("Bad,,1,1,1,1,1,1,L1,2026-11-01", "Creator username", "not a TikTok handle"),
        ("Again,maria.makes,1,1,1,1,1,1,L1,2026-11-01", "Creator username", "repeats row 2"),
    ],
)
def test_one_bad_row_rejects_the_whole_file(
    engine: Engine, line: str, column: str, reason: str
) -> None:
    data = FILE.rstrip("\n") + "\n" + line + "\n"
    with pytest.raises(ImportRejected) as rejected:
        _import(engine, data.encode())
    [error] = rejected.value.errors
    assert (error.row, error.column) == (5, column)
    assert reason in error.reason
    assert rows(engine, Creator) == [] and rows(engine, ImportBatch) == []


def test_a_dry_run_writes_nothing(engine: Engine) -> None:
    summary = _import(engine, FILE.encode(), dry_run=True)
    assert summary.dry_run and summary.new == 3
    assert rows(engine, Creator) == [] and rows(engine, CreatorLevelChange) == []


def test_imports_stay_in_their_workspace(engine: Engine) -> None:
    _import(engine, FILE.encode())
    importer_for("creators")(engine, FILE.encode(), ImportOptions(team_id="T2", filename="c.csv"))
    assert sorted(c.team_id for c in rows(engine, Creator)) == ["T1"] * 3 + ["T2"] * 3


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("12500", 12500),
        ("12,500", 12500),
        ("12.500", 12500),
        ("12.3K", 12300),
        ("1,2M", 1_200_000),
        ("2m", 2_000_000),
        ("999", 999),
    ],
)
def test_follower_counts(cell: str, value: int) -> None:
    assert parse_followers(cell) == value


@pytest.mark.parametrize("cell", ["12.5", "lots", "1K5", "-3"])
def test_bad_follower_counts(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_followers(cell)


@pytest.mark.parametrize(
    ("cell", "level"), [("L0", 0), ("l8", 8), ("Lv.3", 3), ("LV 4", 4), ("5", 5), ("Level 2", 2)]
)
def test_levels(cell: str, level: int) -> None:
    assert parse_level(cell) == level
