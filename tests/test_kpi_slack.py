"""/kpi through Slack: signed requests in, what Slack shows out; files shared in a DM or form."""

from __future__ import annotations

import struct
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.imports import shared_files
from bot.imports.gate import QUEUED_TEXT, ImportSettings
from bot.imports.run import import_file
from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from devkit.sandbox.blocks import validate_blocks
from storage.importers import Upload
from storage.kpis.models import DailySellerKpi
from storage.models import ImportBatch
from tests import kpi_data
from tests.kpi_data import FIRST_DAY, reference, window
from tests.slack_support import markup

TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """The generated sheet in the sandbox's workspace, and the bot's clock at noon on TODAY."""
    frame = kpi_data.generate()
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


def _kpi_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(DailySellerKpi)).scalar_one()
        )


def test_last_week_shows_the_reference_figures(bot: OfflineBot, rows: pd.DataFrame) -> None:
    reply = bot.say("/kpi last week full").reply
    assert reply["response_type"] == "ephemeral"
    assert validate_blocks(reply["blocks"]) == []
    shown = markup(reply)
    monday = TODAY - timedelta(days=TODAY.weekday())
    first, last = monday - timedelta(days=7), monday - timedelta(days=1)
    expected = reference(window(rows, first, last))
    style = NumberStyle("USD", "en_US")
    assert f"*GMV*  {style.money(expected['gmv'])}" in shown
    assert f"*Orders*  {style.count(expected['orders'])}" in shown
    assert f"*AOV*  {style.money(expected['aov'])}" in shown
    assert f"*LIVE share*  {style.rate(expected['live_share'])}" in shown
    assert f"*Seller adoption*  {style.rate(expected['adoption'])}" in shown
    assert "*Categories*" in shown and "*Top sellers*" in shown and "*Biggest movers*" in shown
    assert f"Data up to {TODAY - timedelta(days=1):%a %d %b %Y}" in shown
    assert f"GMV {style.money(expected['gmv'])}" in reply["text"], "key numbers in the text too"


def test_today_without_todays_data_names_the_day_shown(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/kpi today").reply)
    yesterday = TODAY - timedelta(days=1)
    assert f"Today's data is not in yet; showing {yesterday:%a %d %b}." in shown
    assert f"latest complete day ({yesterday:%a %d %b %Y})" in shown


def test_a_category_and_a_seller_are_found_by_name(bot: OfflineBot, rows: pd.DataFrame) -> None:
    shown = markup(bot.say("/kpi last month category:personal care").reply)
    assert "KPIs · Personal Care · last month" in shown
    shown = markup(bot.say('/kpi seller:"Seller 05 Shop" 2026-09-10').reply)
    assert "Seller 05 Shop" in shown and "10 Sep 2026" in shown


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("fortnight", "I don't know `fortnight`: it is not a period, a category, a seller"),
        ("2026-02-30", "`2026-02-30` is not a date on the calendar"),
        ("2026-10-10..2026-10-01", "The range ends before it starts: try `2026-10-01..2026-10-10`"),
        ("2023-01-01..2026-01-01", "longer than two years"),
        ("category:Home Livng", "Did you mean `category:Home &amp; Living`"),
        ("seller:Seler 05 Shop", "Did you mean `seller:Seller 05 Shop`"),
        ("category:", "`category:` needs a name"),
        ("<!channel> <@U0TOM>", "&lt;!channel&gt; &lt;@U0TOM&gt;"),
        ("'; DROP TABLE dailysellerkpi; --", "it is not a period"),
    ],
)
def test_bad_input_gets_a_short_answer_and_changes_nothing(
    bot: OfflineBot, rows: pd.DataFrame, engine: Engine, text: str, says: str
) -> None:
    before = _kpi_rows(engine)
    reply = bot.say(f"/kpi {text}").reply
    assert says in reply["text"]
    usage = reply["text"].split("Try: `/kpi", 1)[1]
    assert "category:" in usage and "seller:" in usage
    assert reply["response_type"] == "ephemeral"
    assert "<!channel>" not in markup(reply)
    assert _kpi_rows(engine) == before


def test_help_lists_usage_and_definitions(bot: OfflineBot) -> None:
    seen = bot.say("/kpi help")
    shown = markup(seen.reply)
    assert "`/kpi [period] [category:&lt;name&gt;] [seller:&lt;name or id&gt;] [full]`" in shown
    assert "`/kpi chart [metric] [period] [category:&lt;name&gt;]`" in shown
    assert "/kpi [period] [category:<name>] [seller:<name or id>] [full]" in seen.text
    assert "*Seller adoption*: sellers that held at least one LIVE" in shown
    assert "GMV ÷ orders" in shown


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_posts_a_png_to_the_channel(bot: OfflineBot, rows: pd.DataFrame) -> None:
    seen = bot.say("/kpi chart orders last month")
    assert seen.response.status == 200
    complete = bot.sandbox.calls("files.completeUploadExternal")
    assert len(complete) == 1 and complete[0].ok
    upload = bot.sandbox.files[complete[0].response["files"][0]["id"]]
    assert upload.content is not None and _png_size(upload.content) == (960, 540)
    assert upload.channels == ["C0KPI"]
    assert complete[0].params["initial_comment"].startswith("Orders · all sellers · last month")
    assert seen.reply["text"].startswith("Posted Orders · all sellers · last month")


def test_chart_of_an_unknown_metric_says_which_exist(bot: OfflineBot, rows: pd.DataFrame) -> None:
    answer = bot.say("/kpi chart happiness").reply
    assert "I can't chart `happiness`: pick one of gmv, orders" in answer["text"]
    assert bot.sandbox.calls("files.getUploadURLExternal") == []


def _dm_replies(bot: OfflineBot, count: int = 1) -> list[str]:
    """The texts of the bot's messages once the app settled; at least `count` of them."""
    bot.settle()
    calls = bot.sandbox.calls("chat.postMessage")
    assert len(calls) >= count, f"{len(calls)} messages, expected {count}"
    return [c.params["text"] for c in calls]


SHEET = (
    "date,seller_id,seller_name,category,gmv,orders\n"
    '2026-11-10,S900,Nova Home,Home & Living,"1,250.50",12\n'
    "2026-11-11,S900,Nova Home,Home & Living,99.99,2\n"
)


def test_a_sheet_shared_in_a_dm_is_imported_and_summarised(bot: OfflineBot, engine: Engine) -> None:
    response, _ = bot.client.file_share("U0MARIA", "kpi week 46.csv", SHEET.encode())
    assert response.status == 200
    (reply,) = _dm_replies(bot)
    assert "Imported 2 rows (kpi-sheet) for 10 Nov 2026 – 11 Nov 2026 (2 days) of 1 seller" in reply
    assert "2 new, 0 updated" in reply and "1 new seller added" in reply
    assert _kpi_rows(engine) == 2
    with engine.connect() as connection:
        gmv = connection.execute(select(func.sum(DailySellerKpi.gmv_cents))).scalar_one()
        batch = connection.execute(select(ImportBatch.user_id, ImportBatch.rows_new)).one()
    assert gmv == 125050 + 9999
    assert tuple(batch) == ("U0MARIA", 2)


def test_a_shared_file_is_imported_from_a_temporary_file_removed_afterwards(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The download goes to disk a block at a time, never into memory whole; the import reads
    it there, and it is gone once the import is done, refused or not."""
    seen: list[tuple[Path, bytes]] = []

    def importing(engine: Engine, settings: Any, upload: Upload, *args: Any) -> Any:
        assert upload.path is not None
        seen.append((upload.path, upload.path.read_bytes()))
        return import_file(engine, settings, upload, *args)

    monkeypatch.setattr(shared_files, "DOWNLOAD_BLOCK", 16)
    monkeypatch.setattr(shared_files, "import_file", importing)
    bot.client.file_share("U0MARIA", "kpi.csv", SHEET.encode())
    bot.client.file_share("U0MARIA", "bad.csv", SHEET.replace("99.99", "x").encode())
    # The two shares are handled concurrently, in either order; the one that waits for the
    # other's import may say so first.
    replies = [r for r in _dm_replies(bot, 2) if r != QUEUED_TEXT]
    assert sorted("Imported 2 rows" in reply for reply in replies) == [False, True]
    assert any("bad.csv was not imported" in reply for reply in replies)
    assert sorted(content for _, content in seen) == sorted(
        [SHEET.encode(), SHEET.replace("99.99", "x").encode()]
    )
    assert not any(path.exists() for path, _ in seen)


def test_a_redelivered_share_imports_once(bot: OfflineBot, engine: Engine) -> None:
    shared = bot.sandbox.user_upload("U0MARIA", "kpi.csv", SHEET.encode())
    event = bot.client.file_share_event("U0MARIA", [shared])
    assert bot.client.event(event, event_id="Ev0SHARE").status == 200
    _dm_replies(bot)
    assert bot.client.event(event, event_id="Ev0SHARE", retry_num=1).status == 200
    with engine.connect() as connection:
        batches = connection.execute(select(func.count()).select_from(ImportBatch)).scalar_one()
    assert batches == 1


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("report.pdf", b"%PDF-1.4 binary", "is not a CSV or XLSX file"),
        ("empty.csv", b"", "is empty"),
        (
            "latin.csv",
            "date,seller_id,gmv,orders\n2026-11-01,S1,1,1\nCafé".encode("latin-1"),
            "is not UTF-8 text",
        ),
        (
            "bad.csv",
            (SHEET + "2026-11-12,S900,Nova Home,Home & Living,=SUM(A1:A2),-3\n").encode(),
            "row 4, gmv = '=SUM(A1:A2)': is not an amount of money",
        ),
        ("cols.csv", b"date,seller_id,orders\n2026-11-01,S1,3\n", "I don't recognise the columns"),
    ],
)
def test_bad_files_are_refused_with_reasons_and_nothing_saved(
    bot: OfflineBot, engine: Engine, name: str, content: bytes, says: str
) -> None:
    bot.client.file_share("U0MARIA", name, content)
    (reply,) = _dm_replies(bot)
    assert says in reply
    assert _kpi_rows(engine) == 0


def test_an_oversized_file_is_refused_before_download(bot: OfflineBot, engine: Engine) -> None:
    bot.services.settings = bot.services.settings.with_section(ImportSettings(max_import_mb=1))
    big = SHEET.encode() + b"2026-11-12,S901,X,Y,1.00,1\n" * 60_000
    bot.client.file_share("U0MARIA", "big.csv", big)
    (reply,) = _dm_replies(bot)
    assert "the limit is 1 MB" in reply
    assert _kpi_rows(engine) == 0


def test_a_file_outside_slack_is_not_fetched_with_the_token(bot: OfflineBot) -> None:
    outside = {"id": "F1", "name": "x.csv", "url_private_download": "https://evil.example/x.csv"}
    event = bot.client.file_share_event("U0MARIA", [outside])
    bot.client.event(event)
    (reply,) = _dm_replies(bot)
    assert "I can only read files uploaded to Slack" in reply


def test_an_order_export_names_its_seller_in_the_message(bot: OfflineBot, engine: Engine) -> None:
    bot.client.file_share("U0MARIA", "kpi.csv", SHEET.encode())
    _dm_replies(bot)
    orders = (
        "Order ID,Order Status,Quantity,SKU Subtotal After Discount,Created Time,Buyer Username\n"
        '5761\t,Completed,2,"$1,000.00",11/12/2026 9:30:33 AM\t,ann\n'
        "5761\t,Completed,1,$20.50,11/12/2026 9:30:33 AM\t,ann\n"
        "5762\t,Cancelled,1,$99.00,11/12/2026 10:00:00 AM\t,bob\n"
    )
    bot.client.file_share("U0MARIA", "orders.csv", orders.encode(), text="seller:Nova Home")
    replies = _dm_replies(bot, 2)
    said = "Imported 3 order lines (orders) for 12 Nov 2026 of 1 seller; seller-days: 1 new"
    assert said in replies[1]
    with engine.connect() as connection:
        day = connection.execute(
            select(
                DailySellerKpi.gmv_cents,
                DailySellerKpi.orders,
                DailySellerKpi.items_sold,
                DailySellerKpi.buyers,
            ).where(DailySellerKpi.day == datetime(2026, 11, 12).date())
        ).one()
    assert tuple(day) == (102050, 1, 3, 1)


def test_the_import_form_opens_and_imports_what_is_submitted(
    bot: OfflineBot, engine: Engine
) -> None:
    [view] = bot.say("/kpi import").views
    assert view["blocks"][0]["element"]["type"] == "file_input"

    empty = bot.client.view_submission(view, {})
    assert empty.json() == {
        "response_action": "errors",
        "errors": {"import_file": "Choose a CSV or XLSX file."},
    }
    shared = bot.sandbox.user_upload("U0MARIA", "kpi.csv", SHEET.encode())
    values = {
        "import_file": {"file": {"type": "file_input", "files": [shared]}},
        "import_dry_run": {
            "dry_run": {"type": "checkboxes", "selected_options": [{"value": "dry_run"}]}
        },
    }
    assert bot.client.view_submission(view, values).status == 200
    (reply,) = _dm_replies(bot)
    assert "Would import 2 rows" in reply and "Nothing was saved (dry run)" in reply
    assert bot.sandbox.calls("chat.postMessage")[0].params["channel"] == "D0MARIA"
    assert _kpi_rows(engine) == 0


def test_a_plain_dm_gets_pointed_at_imports_and_help(bot: OfflineBot) -> None:
    bot.client.event(
        {
            "type": "message",
            "channel": bot.sandbox.dm_channel("U0TOM"),
            "channel_type": "im",
            "user": "U0TOM",
            "text": "hi",
            "ts": "1.3",
        }
    )
    (reply,) = _dm_replies(bot)
    assert "Share a CSV or XLSX export with me" in reply and "/shopbot help" in reply
