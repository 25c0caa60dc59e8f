"""Hostile and broken files get a plain refusal, quickly and in bounded memory, from the command
line and in a DM alike: zip bombs, XML that does not parse, sheets that claim more than they
hold, header-only files, empty or impossible dates, and binaries named .csv."""

from __future__ import annotations

import functools
import io
import random
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.imports.gate import ImportSettings
from bot.imports.run import import_file
from bot.settings import Settings, load_settings
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, ImportRejected
from storage.kpis.models import DailySellerKpi
from storage.models import ImportBatch
from tests.test_cli import clean_env, shopbot
from tests.test_importers import xlsx

TEAM = "THOSTILE"
HEADER = ["date", "seller_id", "gmv", "orders"]
SHEET_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SECONDS = 5.0  # a clear answer within a few seconds …
PEAK_BYTES = 64 * 1024 * 1024  # … holding little in memory while it is worked out


def with_part(data: bytes, name: str, write: Callable[[IO[bytes]], None]) -> bytes:
    """The workbook with its part `name` written anew by `write`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert name in source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for part in source.infolist():
            if part.filename == name:
                with archive.open(name, "w") as target:
                    write(target)
            else:
                archive.writestr(part, source.read(part.filename))
    return out.getvalue()


def part_text(text: bytes) -> Callable[[IO[bytes]], None]:
    return lambda target: target.write(text)


@functools.cache
def zip_bomb() -> bytes:
    """A 200 KB workbook whose sheet unpacks to 200 MB of empty rows."""

    def empty_rows(target: IO[bytes]) -> None:
        target.write(SHEET_NS + b"<sheetData>")
        chunk = b"<row/>" * 100_000
        for _ in range(350):
            target.write(chunk)
        target.write(b"</sheetData></worksheet>")

    return with_part(xlsx([HEADER]), "xl/worksheets/sheet1.xml", empty_rows)


def inline_row(number: int, cells: list[str]) -> bytes:
    columns = "ABCDEFGH"
    return (
        f'<row r="{number}">'.encode()
        + b"".join(
            f'<c r="{columns[i]}{number}" t="inlineStr"><is><t>{cell}</t></is></c>'.encode()
            for i, cell in enumerate(cells)
        )
        + b"</row>"
    )


def padded_sheet() -> bytes:
    """A sheet that declares every row and column Excel has, and holds one cell at the far
    right: read as it declares itself, 17 billion empty cells."""
    xml = (
        SHEET_NS
        + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        + inline_row(1, HEADER)
        + b'<row r="3"><c r="XFD3"><v>1</v></c></row></sheetData></worksheet>'
    )
    return with_part(xlsx([HEADER]), "xl/worksheets/sheet1.xml", part_text(xml))


def many_parts() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        for n in range(5000):
            archive.writestr(f"xl/media/{n}.bin", b"")
    return out.getvalue()


def random_bytes(size: int, prefix: bytes = b"") -> bytes:
    return prefix + random.Random(size).randbytes(size)


BROKEN_SHEET = SHEET_NS + b"<sheetData><row><c"
GOOD = xlsx([HEADER, ["2026-11-01", "S1", "1", "1"]])
# name → (content, what the refusal says); the same for every way a file arrives.
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "bomb.xlsx": (zip_bomb, "unpacks to 686 times its packed size"),
    "broken-sheet.xlsx": (
        lambda: with_part(GOOD, "xl/worksheets/sheet1.xml", part_text(BROKEN_SHEET)),
        "is not a readable Excel workbook",
    ),
    "broken-book.xlsx": (
        lambda: with_part(GOOD, "xl/workbook.xml", part_text(b"<workbook><sheets><sheet")),
        "is not a readable Excel workbook",
    ),
    "broken-styles.xlsx": (
        lambda: with_part(GOOD, "xl/styles.xml", part_text(b"<styleSheet><fonts count=")),
        "is not a readable Excel workbook",
    ),
    "padded.xlsx": (padded_sheet, "has column names but no rows below them"),
    "many-parts.xlsx": (many_parts, "holds 5,001 parts"),
    "header-only.csv": (lambda: b"date,seller_id,gmv,orders\n", "no rows below them"),
    "header-only.xlsx": (lambda: xlsx([HEADER, [None], [None]]), "no rows below them"),
    "empty-dates.csv": (
        lambda: b"date,seller_id,gmv,orders\n,S1,1,1\n,S1,2,2\n",
        "row 3, date = '': is empty: expected a date",
    ),
    "empty-date.xlsx": (
        lambda: xlsx([HEADER, [None, "S1", 1, 1]]),
        "row 2, date = '': is empty: expected a date",
    ),
    "far-future.csv": (
        lambda: b"date,seller_id,gmv,orders\n9999-12-31,S1,1,1\n",
        "row 2, date = '9999-12-31': is not a year from 1900 to 2199",
    ),
    "random.csv": (lambda: random_bytes(5000), "is not a CSV or XLSX file"),
    "utf16-garbage.csv": (
        lambda: random_bytes(5001, prefix=b"\xff\xfe"),
        "starts as UTF-16 text but is not",
    ),
    "cut-at-the-end.csv": (
        lambda: b"date,seller_id,gmv,orders\n2026-11-01,S1,1,\xc3",
        "is not UTF-8 text",
    ),
    "zip-named.csv": (lambda: random_bytes(3000, prefix=b"PK\x03\x04"), "is not a readable"),
}


def settings_with(max_import_mb: int = 50) -> Settings:
    return load_settings(
        {"SHOPBOT_MAX_IMPORT_MB": str(max_import_mb)}, env_file=None, require_slack=False
    )


def refusal(engine: Engine, data: bytes, filename: str, settings: Settings) -> str:
    """What the import answers, checked to come quickly and without holding much memory."""
    options = ImportOptions(
        TEAM, filename, max_bytes=settings.section(ImportSettings).max_import_bytes
    )
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ImportRejected) as rejected:
            import_file(engine, settings, data, options)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < SECONDS, f"{filename} took {elapsed:.1f}s"
    assert peak < PEAK_BYTES, f"{filename} held {peak / 1e6:.0f} MB"
    return rejected.value.describe()


def nothing_imported(engine: Engine) -> bool:
    with engine.connect() as connection:
        kpis = connection.execute(select(func.count()).select_from(DailySellerKpi)).scalar_one()
        batches = connection.execute(select(func.count()).select_from(ImportBatch)).scalar_one()
    return kpis == batches == 0


@pytest.mark.parametrize("filename", HOSTILE)
def test_a_hostile_file_is_refused_plainly(engine: Engine, filename: str) -> None:
    content, says = HOSTILE[filename]
    assert says in refusal(engine, content(), filename, settings_with())
    assert nothing_imported(engine)


def test_a_bomb_within_the_ratio_is_refused_by_what_it_unpacks_to(engine: Engine) -> None:
    said = refusal(engine, zip_bomb(), "bomb.xlsx", settings_with(max_import_mb=1))
    assert "bomb.xlsx unpacks to 200 MB; the limit is 10 MB" in said


def test_the_header_row_may_follow_blank_rows(engine: Engine) -> None:
    data = xlsx([[None], [None], HEADER, ["2026-11-01", "S1", 5, 1]])
    options = ImportOptions(TEAM, "late-header.xlsx")
    summary = import_file(engine, settings_with(), data, options)
    assert (summary.rows, summary.first_day) == (1, date(2026, 11, 1))


@pytest.mark.parametrize("filename", ["bomb.xlsx", "broken-sheet.xlsx", "empty-dates.csv"])
def test_a_hostile_file_shared_in_a_dm_gets_the_same_answer(
    bot: OfflineBot, engine: Engine, filename: str
) -> None:
    content, says = HOSTILE[filename]
    bot.client.file_share("U0MARIA", filename, content())
    bot.settle()
    dm = bot.sandbox.dm_channel("U0MARIA")
    [reply] = [c for c in bot.sandbox.calls("chat.postMessage") if c.params["channel"] == dm]
    assert says in reply.params["text"]
    assert "Sorry, something went wrong" not in reply.params["text"]
    assert nothing_imported(engine)


def test_shopbot_import_refuses_hostile_files_without_a_traceback(
    tmp_path: Path, engine: Engine
) -> None:
    env = clean_env(DATABASE_URL=engine.url.render_as_string(hide_password=False))
    for filename in ("bomb.xlsx", "broken-book.xlsx", "header-only.csv", "random.csv"):
        content, says = HOSTILE[filename]
        (tmp_path / filename).write_bytes(content())
        result = shopbot("import", filename, "--team", TEAM, env=env, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert says in result.stderr
        assert "Traceback" not in result.stderr
    assert nothing_imported(engine)
