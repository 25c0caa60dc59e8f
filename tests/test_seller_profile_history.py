"""A seller's profile history, readable where it is written: `/seller changes <seller>` shows
who added the seller and how, then each change from the form or the seller import (who, when,
each field before and after), newest first and page by page, to anyone in the workspace that
can see the seller's card."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bot.sellers.card import EDIT_SELLER
from bot.shared.pages import NEXT
from devkit.offline import OfflineBot
from storage.importers import ImportOptions, importer_for
from tests.feedback_support import NOW, answers, click, last_view, set_clock, submit
from tests.seller_support import Plan, kpi_csv
from tests.slack_support import button_value, markup, press

ZOE, TOM = "U0ZOE", "U0TOM"
HEADER = "Shop ID,Store Name,Categories,Market,Tier,Owner,Status,Contacts,Programs,Tags\n"


def _people(bot: OfflineBot) -> None:
    bot.sandbox.add_user(ZOE, "zoë.çelik", "Zoë Çelik")
    bot.sandbox.add_user(TOM, "tom", "Tom Berg")


def _import(bot: OfflineBot, engine: Engine, rows: str, user: str | None = ZOE) -> None:
    options = ImportOptions(team_id=bot.sandbox.team_id, filename="sellers.csv", user_id=user)
    importer_for("sellers")(engine, (HEADER + rows).encode(), options)


def _form(**fields: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": {
            "status": {
                "type": "static_select",
                "selected_option": {"value": fields.pop("status", "active")},
            }
        },
        "owner": {"owner": {"type": "users_select", "selected_user": fields.pop("owner", None)}},
    }
    for name, value in fields.items():
        values[name] = {name: {"type": "plain_text_input", "value": value}}
    return values


def test_a_seller_added_and_edited_with_the_form_shows_who_changed_what(
    bot: OfflineBot, engine: Engine
) -> None:
    _people(bot)
    set_clock(bot, NOW)  # 09:30 in Berlin
    bot.say("/seller add", user_id=ZOE)
    values = _form(
        key="8801",
        name="Müller & Söhne",
        categories="Kitchenware",
        market="DE",
        tier="B",
        owner=ZOE,
        contacts="Jürgen Müller, owner, jm@example.de",
        programs="live",
        tags="neu",
    )
    submit(bot, last_view(bot), values, user=ZOE)
    [card] = answers(bot, 1)
    set_clock(bot, NOW + timedelta(hours=2))
    click(bot, EDIT_SELLER, button_value(card, EDIT_SELLER), user=TOM)
    changed = _form(
        key="8801",
        name="Müller & Söhne",
        categories="Kitchenware",
        market="DE",
        tier="A",
        owner=TOM,
        status="paused",
        contacts="Jürgen Müller, owner, jm@example.de\nАнна Петрова, buyer",
        programs="live, affiliate",
        tags="neu 東京",
    )
    submit(bot, last_view(bot, 2), changed, user=TOM)
    answers(bot, 2)

    seen = bot.say("/seller changes müller & söhne").text
    assert "PROFILE HISTORY OF MÜLLER & SÖHNE" in seen
    assert "Added with the form by @zoë.çelik on 3 Dec 2026 09:30" in seen
    assert "Edit 1 of 1 · 3 Dec 2026 11:30 · @tom" in seen
    assert "seller import" not in seen
    assert "Tier: B → A" in seen
    assert "Owner: @zoë.çelik → @tom" in seen
    assert "Status: Active → Paused" in seen
    assert "Programs: LIVE → LIVE, affiliate" in seen
    assert "Tags: #neu → #neu #東京" in seen
    assert (
        "Contacts: Jürgen Müller · owner · jm@example.de → "
        "Jürgen Müller · owner · jm@example.de; Анна Петрова · buyer" in " ".join(seen.split())
    )
    assert "Name" not in seen.partition("Edit 1 of 1")[2]  # unchanged fields are left out
    assert "Müller &amp; Söhne" in markup(bot.say("/seller changes 8801").reply)  # by shop id


def test_imports_page_their_changes_newest_first(bot: OfflineBot, engine: Engine) -> None:
    _people(bot)
    _import(bot, engine, "7496,東京 Beauty,Beauty,JP,A,,prospect,,,\n")
    for tier in "BCDEFGH":
        _import(bot, engine, f"7496,東京 Beauty,Beauty,JP,{tier},,prospect,,,\n", user=TOM)
    _import(bot, engine, "7496,東京 Beauty 🌸,Beauty,JP,H,,active,,,\n", user=None)
    first = bot.say("/seller changes 東京 Beauty 🌸").text
    assert "PROFILE HISTORY OF 東京 BEAUTY 🌸" in first
    assert "Added with the seller import by @zoë.çelik on" in first
    assert "Edit 8 of 8" in first and "Edit 4 of 8" in first and "Edit 3 of 8" not in first
    assert first.index("Edit 8 of 8") < first.index("Edit 4 of 8")
    [last] = [line for line in first.splitlines() if "Edit 8 of 8" in line]
    assert last.endswith("· seller import") and "@" not in last  # an import run by nobody
    assert "Name: 東京 Beauty → 東京 Beauty 🌸" in first
    assert "Status: Prospect → Active" in first
    assert "Edit 7 of 8" in first and "· @tom · seller import" in first
    assert "Tier: G → H" in first
    assert "Edits 1–5 of 8, newest first" in first
    assert "/seller changes 東京 Beauty 🌸 page:2" in first
    second = bot.say("/seller changes 東京 Beauty 🌸 page:2").text
    assert "Edit 3 of 8" in second and "Edit 1 of 8" in second and "Edit 4 of 8" not in second
    assert "Tier: A → B" in second
    assert "only 2 pages" in bot.say("/seller changes 東京 Beauty 🌸 page:3").text
    pressed = markup(press(bot, bot.say("/seller changes 7496").reply, NEXT))
    assert "Edit 1 of 8" in pressed and "Edit 4 of 8" not in pressed


def test_a_seller_never_changed_says_so(bot: OfflineBot, engine: Engine) -> None:
    _people(bot)
    _import(bot, engine, "5001,Хлеб и Соль,Food,RU,,,,,,\n")
    seen = bot.say("/seller changes Хлеб и Соль").text
    assert "PROFILE HISTORY OF ХЛЕБ И СОЛЬ" in seen
    assert "Added with the seller import by @zoë.çelik on" in seen
    assert "Not edited since it was added with the seller import." in seen
    assert "Edit 1" not in seen


def test_a_seller_the_sales_data_brought_in_has_no_recorded_addition(
    bot: OfflineBot, engine: Engine
) -> None:
    plan = Plan("Z9", "Жёлтый дом 🏠")
    options = ImportOptions(team_id=bot.sandbox.team_id, filename="kpi-sheet.csv")
    importer_for("kpi-sheet")(engine, kpi_csv([plan]), options)
    seen = bot.say("/seller changes Z9").text
    assert "PROFILE HISTORY OF ЖЁЛТЫЙ ДОМ 🏠" in seen
    assert "Added on " in seen and "Added with" not in seen and " by " not in seen
    assert "Not edited since it was added." in seen


def test_another_workspace_and_unknown_sellers_have_no_history_here(
    bot: OfflineBot, engine: Engine
) -> None:
    options = ImportOptions(team_id="TOTHER", filename="sellers.csv", user_id="U0OTHER")
    importer_for("sellers")(engine, (HEADER + "9001,Geheim GmbH,X,,,,,,,\n").encode(), options)
    for typed in ("/seller changes Geheim GmbH", "/seller changes 9001"):
        seen = bot.say(typed).text
        assert "I don't know the seller" in seen and "PROFILE HISTORY" not in seen
    assert "Say which seller" in bot.say("/seller changes").text
