"""`/creator` (issue 3, point 7): the card with level history, owner, notes, sentiment trend and
follow-ups; the form to add or edit a creator, a level change recorded with its date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.creators.card import ADD_AS_TYPED, SHOW_MEANT
from devkit.offline import OfflineBot
from storage.creators.models import Creator, CreatorLevelChange
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from tests.feedback_support import (
    NOW,
    answers,
    click,
    command,
    last_view,
    note,
    rows,
    set_clock,
    submit,
)
from tests.slack_support import button_value, markup


def _maria(engine: Engine, team_id: str) -> int:
    with transaction(engine) as session:
        creator = Creator(
            team_id=team_id,
            handle="maria.makes",
            display_name="Maria <!channel> Lopez",
            level=3,
            stage="active",
            owner_user_id="U0TOM",
            categories=["Home & Living", "Kitchenware"],
            tags=["cleantok", "asmr"],
            followers=71_700,
            gmv_cents=1_234_567,
            orders=321,
            videos=12,
            samples_shipped=4,
        )
        session.add(creator)
        session.flush()
        assert creator.id is not None
        for level, previous, month in [(2, 1, 9), (3, 2, 11)]:
            session.add(
                CreatorLevelChange(
                    team_id=team_id,
                    creator_id=creator.id,
                    level=level,
                    previous_level=previous,
                    effective_on=date(2026, month, 1),
                )
            )
        return creator.id


def test_the_card_shows_the_whole_creator(bot: OfflineBot, engine: Engine) -> None:
    _maria(engine, bot.sandbox.team_id)
    set_clock(bot, NOW - timedelta(days=5))
    for text in ("great first video", "fine", "posted, loved it", "parcel damaged", "late again"):
        note(bot, f"@maria.makes {text}")
    with transaction(engine) as session:
        follow = session.get(FeedbackNote, 5)
        assert follow is not None
        follow.follow_up_on = date(2026, 12, 1)
        session.add(follow)
    set_clock(bot, NOW)
    reply = command(bot, "/creator", "@Maria.Makes")
    assert reply["response_type"] == "ephemeral"
    shown = markup(reply)
    assert "Maria <!channel> Lopez (@maria.makes)" in shown  # a header is plain text: inert
    for fact in (
        "*Level*\nL3 since 1 Nov 2026",
        "*Stage*\nActive",
        "*Owner*\n<@U0TOM>",
        "*Followers*\n71.7K",
        "*Categories*\nHome &amp; Living, Kitchenware",
        "*Tags*\n#cleantok #asmr",
        "*GMV (Affiliate Center)*\nUSD 12,345.67",
        "*Affiliate figures*\n321 orders, 12 videos, 4 samples shipped",
        "Level history: L2 → L3 on 1 Nov 2026 · L1 → L2 on 1 Sep 2026",
        "*Sentiment* (latest 5 notes, oldest → newest): 🟢⚪🟢🔴🔴 — worsening ↘",
        "*Latest notes* (5)",
        "• 28 Nov 2026 🔴 late again",
        "*Open follow-ups*\n• ⏰ follow-up 1 Dec 2026 *(overdue)* — late again (<@U0MARIA>)",
    ):
        assert fact in shown
    assert [b["type"] for b in reply["blocks"]][-1] == "actions"
    assert button_value(reply, "feedback_add_note") == "maria.makes"


def test_the_cards_buttons_add_a_note_and_list_all(bot: OfflineBot, engine: Engine) -> None:
    _maria(engine, bot.sandbox.team_id)
    note(bot, "@maria.makes one")
    card = command(bot, "/creator", "@maria.makes")
    click(bot, "feedback_add_note", "maria.makes")
    option = last_view(bot)["blocks"][0]["element"]["initial_option"]
    assert option["value"] == "maria.makes"
    click(bot, "list_page_open", button_value(card, "list_page_open"))
    assert "Notes about @maria.makes" in markup(answers(bot, 1)[0])


def test_a_creator_with_nothing_yet(bot: OfflineBot) -> None:
    note(bot, "@new.face hello")
    shown = markup(command(bot, "/creator", "@new.face"))
    for fact in (
        "*Level*\nnot known",
        "*Stage*\nProspect",
        "*Owner*\nnobody yet",
        "Level history: no changes recorded",
        "(too few notes for a trend)",
        "No open follow-ups.",
    ):
        assert fact in shown


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("@nobody.here", "`@nobody.here` is not in the registry yet"),
        ("", "`/creator` has no `help`"),  # the default is help
        ("nobody", "`/creator` has no `nobody`"),
        ("@bad!handle", "is not a TikTok handle"),
        ("<!channel>", "`/creator` has no `&lt;!channel&gt;`"),
    ],
)
def test_unknown_or_bad_handles(bot: OfflineBot, text: str, says: str) -> None:
    shown = markup(command(bot, "/creator", text))
    if text == "":
        assert "/creator @handle" in shown and "/creator add" in shown
        return
    assert says in shown
    assert "<!channel>" not in shown


def test_another_workspaces_creator_is_not_shown(bot: OfflineBot, engine: Engine) -> None:
    _maria(engine, "TOTHER")
    assert "is not in the registry yet" in bot.say("/creator @maria.makes")


def test_a_near_miss_asks_as_feedback_does(bot: OfflineBot, engine: Engine) -> None:
    """`/creator @maria.make` asks "did you mean" (as `/feedback @maria.make …` does) instead of
    offering to add a second Maria; its buttons show the card or add the typed handle."""
    set_clock(bot, NOW)
    _maria(engine, bot.sandbox.team_id)
    with transaction(engine) as session:
        creator = session.exec(select(Creator)).one()
        creator.display_name = "Mariä 真由美 Lopez 🌸"
    seen = bot.say("/creator @Maria.Make")
    assert "Did you mean @maria.makes?" in seen
    asked = "@maria.make is not in the registry, and looks like a typo of @maria.makes."
    assert asked in markup(seen.reply)
    assert "is not in the registry yet" not in seen and "/creator add" not in seen
    assert "[1 Show @maria.makes]" in seen and "[2 Add @maria.make as new]" in seen

    click(bot, SHOW_MEANT, button_value(seen.reply, SHOW_MEANT))
    [card] = answers(bot, 1)
    assert card["replace_original"] is True
    assert "Mariä 真由美 Lopez 🌸 (@maria.makes)" in markup(card)

    click(bot, ADD_AS_TYPED, button_value(seen.reply, ADD_AS_TYPED))
    view = last_view(bot)
    assert view["title"]["text"] == "Add a creator"
    assert view["blocks"][0]["element"]["initial_value"] == "@maria.make"
    assert [c.handle for c in rows(engine, Creator)] == ["maria.makes"]


def test_a_distant_handle_is_not_a_typo(bot: OfflineBot, engine: Engine) -> None:
    _maria(engine, bot.sandbox.team_id)
    shown = markup(command(bot, "/creator", "@maria.bakes.bread"))
    assert "`@maria.bakes.bread` is not in the registry yet" in shown
    assert "Did you mean" not in shown


def _creator_values(**overrides: object) -> dict:
    values = {
        "handle": {"handle": {"type": "plain_text_input", "value": "@Ana.Glow"}},
        "display_name": {"display_name": {"type": "plain_text_input", "value": "Ana <b>"}},
        "level": {"level": {"type": "static_select", "selected_option": {"value": "4"}}},
        "stage": {"stage": {"type": "static_select", "selected_option": {"value": "contacted"}}},
        "owner": {"owner": {"type": "users_select", "selected_user": "U0PRIYA"}},
        "categories": {
            "categories": {"type": "plain_text_input", "value": "Beauty Tools, Personal Care"}
        },
        "tags": {"tags": {"type": "plain_text_input", "value": "#glow live-host"}},
        "followers": {"followers": {"type": "number_input", "value": "12500"}},
    }
    for block, value in overrides.items():
        values[block] = {block: value}
    return values


def test_creator_add_opens_a_form_and_saves(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    response = bot.client.slash_command("/creator", "add")
    assert response.status == 200 and response.body == ""
    view = last_view(bot)
    assert view["title"]["text"] == "Add a creator"
    assert submit(bot, view, _creator_values()).body == ""
    [creator] = rows(engine, Creator)
    assert (creator.handle, creator.display_name, creator.level, creator.stage) == (
        "ana.glow",
        "Ana <b>",
        4,
        "contacted",
    )
    assert creator.owner_user_id == "U0PRIYA" and creator.followers == 12_500
    assert creator.categories == ["Beauty Tools", "Personal Care"]
    assert creator.tags == ["glow", "live-host"]
    [change] = rows(engine, CreatorLevelChange)
    assert (change.level, change.previous_level, change.effective_on) == (4, None, NOW.date())
    card = markup(answers(bot, 1)[0])
    assert "Ana &lt;b&gt; (@ana.glow)" not in card  # header is plain text: shown as typed
    assert "Ana <b> (@ana.glow)" in card and "L4 since 3 Dec 2026" in card


def test_the_creator_form_shows_errors_on_its_fields(bot: OfflineBot, engine: Engine) -> None:
    _maria(engine, bot.sandbox.team_id)
    bot.client.slash_command("/creator", "add")
    view = last_view(bot)
    errors = submit(
        bot,
        view,
        _creator_values(
            handle={"type": "plain_text_input", "value": "@bad handle"},
            followers={"type": "number_input", "value": "-5"},
            tags={"type": "plain_text_input", "value": "ok no/slash"},
        ),
    ).json()
    assert errors["response_action"] == "errors"
    assert set(errors["errors"]) == {"handle", "followers", "tags"}
    taken = submit(
        bot, view, _creator_values(handle={"type": "plain_text_input", "value": "maria.makes"})
    ).json()
    assert taken["errors"] == {"handle": "This handle is already in the registry."}
    assert len(rows(engine, Creator)) == 1


def test_editing_a_creator_records_the_level_change(bot: OfflineBot, engine: Engine) -> None:
    creator_id = _maria(engine, bot.sandbox.team_id)
    set_clock(bot, NOW)
    card = command(bot, "/creator", "@maria.makes")
    click(bot, "creator_edit", button_value(card, "creator_edit"))
    view = last_view(bot)
    assert view["title"]["text"] == "Edit creator"
    level = next(b for b in view["blocks"] if b.get("block_id") == "level")
    assert level["element"]["initial_option"]["value"] == "3"
    values = _creator_values(level={"type": "static_select", "selected_option": {"value": "5"}})
    del values["handle"]
    submit(bot, view, values)
    [answer] = answers(bot, 1)
    assert answer["replace_original"] is True
    assert "L5 since 3 Dec 2026" in markup(answer)
    assert "L3 → L5 on 3 Dec 2026" in markup(answer)
    changes = [c for c in rows(engine, CreatorLevelChange) if c.creator_id == creator_id]
    assert [(c.previous_level, c.level, c.effective_on) for c in changes][-1] == (
        3,
        5,
        NOW.date(),
    )
    [creator] = rows(engine, Creator)
    assert creator.handle == "maria.makes" and creator.stage == "contacted"
