"""Every command with `&`, `<`, `>`, quotes and Slack markup in its arguments: the sandbox sends
it escaped as Slack does, the app reads what the person typed, stores it exactly, and shows it
escaped once."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl
import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from bot.shared.replies import escape
from devkit.offline import OfflineBot
from devkit.terminal import render_blocks
from storage.creators.models import Creator
from storage.delivery import subscriptions
from storage.delivery.models import SubscriptionKind
from storage.feedback.models import FeedbackNote
from storage.kpis.models import DailySellerKpi
from storage.sellers.models import Seller
from tests import kpi_data
from tests.feedback_support import answers, command, last_view, note, rows, set_clock
from tests.kpi_data import FIRST_DAY
from tests.slack_support import markup

TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)
TYPED = "Fish & chips <3 \"quoted\" 'single' a > b <b>bold</b> &amp; 🐟"
SELLER = 'Café & Co. "Berlin" <Ltd>'


@pytest.fixture
def sheet(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    frame = kpi_data.generate()
    frame.loc[frame["seller_id"] == "S000", "seller_name"] = SELLER
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


def seen(reply: dict) -> str:
    return render_blocks(reply.get("blocks") or [], reply.get("text", ""))


def test_a_quick_note_round_trips_everywhere(bot: OfflineBot, engine: Engine) -> None:
    saved = note(bot, f"@nora.cooks {TYPED} #fish")
    [stored] = rows(engine, FeedbackNote)
    assert stored.text == TYPED
    assert escape(TYPED) in markup(saved)  # escaped exactly once on the wire
    assert TYPED in seen(saved)  # and read as typed
    for listing in ("list @nora.cooks", "search fish & chips", "search <b>bold</b>", "recent"):
        shown = command(bot, "/feedback", listing)
        assert TYPED in seen(shown), listing
        assert escape(escape(TYPED)) not in markup(shown), listing
    command(bot, "/feedback", "export")
    bot.sandbox.wait_for("files.completeUploadExternal")
    upload = next(f for f in bot.sandbox.files.values() if f.filename.endswith(".xlsx"))
    assert upload.content is not None
    sheet = openpyxl.load_workbook(io.BytesIO(upload.content)).active
    assert sheet is not None
    assert TYPED in [cell.value for row in sheet.iter_rows() for cell in row]


def test_markup_typed_literally_is_text_and_never_pings(bot: OfflineBot, engine: Engine) -> None:
    literal = "ping <!here> and <@U0TOM> in <#C0KPI|x>"
    saved = note(bot, f"@nora.cooks {literal}")
    assert rows(engine, FeedbackNote)[0].text == literal
    wire = markup(saved)
    assert "<!here>" not in wire and "<@U0TOM>" not in wire and escape(literal) in wire


def test_a_slack_user_mention_is_not_a_creator_handle(bot: OfflineBot, engine: Engine) -> None:
    response = bot.client.slash_command("/feedback", "<@U0TOM|tom> loved it", wire=True)
    assert "`@tom` is a person in this workspace, not a TikTok creator" in markup(response.json())
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []


def test_kpi_names_with_ampersands_and_quotes(bot: OfflineBot, sheet: pd.DataFrame) -> None:
    shown = seen(command(bot, "/kpi", f"yesterday seller:{SELLER}"))
    assert f"KPIs · {SELLER}".upper() in shown
    shown = seen(command(bot, "/kpi", "last week category:home & living"))
    assert "KPIs · Home & Living · last week".upper() in shown
    wrong = command(bot, "/kpi", 'yesterday seller:Café & Co. "Berlin" <Lt')
    assert f"Did you mean `seller:{escape(SELLER)}`?" in markup(wrong)
    assert "&amp;amp;" not in markup(wrong)
    chart = bot.client.slash_command("/kpi", "chart orders last week category:Home & Living")
    assert chart.status == 200
    (upload,) = bot.sandbox.wait_for("files.completeUploadExternal")
    assert "Home & Living" in upload.params["files"][0]["title"]


def test_digest_subscribe_reads_channels_and_categories(
    bot: OfflineBot, engine: Engine, sheet: pd.DataFrame
) -> None:
    before = len(bot.sandbox.calls("response_url"))
    bot.client.slash_command("/digest", "subscribe #general mon 08:30 category:home & living")
    bot.sandbox.wait_for("response_url", before + 1)
    found = subscriptions.of_channel(
        engine, bot.sandbox.team_id, SubscriptionKind.WEEKLY_DIGEST, "C0GENERAL"
    )
    assert found is not None and found.category == "Home & Living"
    # What Slack sends when the channel was picked from the list, with and without its name.
    for wire, channel in [("<#C0GENERAL|general>", "C0GENERAL"), ("<#C0KPI>", "C0KPI")]:
        before = len(bot.sandbox.calls("response_url"))
        bot.client.slash_command("/digest", f"subscribe {wire} fri 17:00", wire=True)
        bot.sandbox.wait_for("response_url", before + 1)
        found = subscriptions.of_channel(
            engine, bot.sandbox.team_id, SubscriptionKind.WEEKLY_DIGEST, channel
        )
        assert found is not None and found.weekdays == "fri", wire


def test_creator_commands_show_handles_and_names_as_typed(bot: OfflineBot) -> None:
    unknown = command(bot, "/creator", "@new.one")
    assert "`@new.one` is not in the registry yet" in markup(unknown)
    assert escape("/feedback @new.one <note>") in markup(unknown)
    bad = command(bot, "/creator", "@a&b")
    assert f"`@{escape('a&b')}` is not a TikTok handle" in markup(bad)


def test_the_message_shortcut_prefills_what_was_written(bot: OfflineBot) -> None:
    written = "@nora.cooks said the <lamp> & cable were fine, see https://shop.example/p?a=1&b=2"
    message = {"ts": "1700000000.000100", "text": written, "user": "U0TOM"}
    bot.client.message_shortcut("save_creator_feedback", message)
    view = last_view(bot)
    assert view["blocks"][0]["element"]["initial_option"]["value"] == "nora.cooks"
    assert view["blocks"][3]["element"]["initial_value"] == written


def test_a_shared_files_message_names_a_seller_with_an_ampersand(
    bot: OfflineBot, engine: Engine, sheet: pd.DataFrame
) -> None:
    orders = (
        "Order ID,Order Status,Quantity,SKU Subtotal After Discount,Created Time,Buyer Username\n"
        "5761\t,Completed,2,$10.00,11/12/2026 9:30:33 AM\t,ann\n"
    )
    bot.client.file_share("U0MARIA", "orders.csv", orders.encode(), text=f"seller:{SELLER}")
    (post,) = bot.sandbox.wait_for("chat.postMessage")
    assert "Imported 1 order line (orders)" in post.params["text"], post.params["text"]
    [seller] = [s for s in rows(engine, Seller) if s.seller_key == "S000"]
    day = datetime(2026, 11, 12).date()
    days = [r for r in rows(engine, DailySellerKpi) if r.seller_id == seller.id and r.day == day]
    assert [d.gmv_cents for d in days] == [1000]


def test_answers_after_the_acknowledgement_are_escaped_once(bot: OfflineBot) -> None:
    note(bot, f"@nora.cooks {TYPED}")
    set_clock(bot, bot.services.clock() + timedelta(days=1))  # the report ends yesterday
    command(bot, "/feedback", "report week")
    (report,) = answers(bot, 1)
    assert escape("Fish & chips <3") in markup(report)
    assert escape(escape("Fish & chips <3")) not in markup(report)


@pytest.mark.parametrize("wire", ["<#C0GENERAL|general>", "<#C0GENERAL>"])
def test_digest_channel_commands_take_slacks_channel_markup(
    bot: OfflineBot, engine: Engine, sheet: pd.DataFrame, wire: str
) -> None:
    bot.say("/digest subscribe #general")
    assert (
        subscriptions.of_channel(
            engine, bot.sandbox.team_id, SubscriptionKind.WEEKLY_DIGEST, "C0GENERAL"
        )
        is not None
    )
    for word in ("history", "unsubscribe"):
        before = len(bot.sandbox.calls("response_url"))
        bot.client.slash_command("/digest", f"{word} {wire}", channel_id="C0KPI", wire=True)
        (answer,) = bot.sandbox.wait_for("response_url", before + 1)[before:]
        assert "has no digest subscription" not in markup(answer.params), word
    found = subscriptions.of_channel(
        engine, bot.sandbox.team_id, SubscriptionKind.WEEKLY_DIGEST, "C0GENERAL"
    )
    assert found is not None and found.status == "stopped"
