"""Seller notes: `/seller note|log|search|edit|delete|restore`, the form from the card and from
the message shortcut, follow-up reminders, and bad input answered with nothing half-saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.scheduler import remind
from bot.sellers.card import ADD_SELLER_NOTE
from bot.sellers.reminders import SELLER_FOLLOW_UP_DONE
from bot.shared.pages import NEXT
from devkit.offline import OfflineBot
from storage.sellers.models import SellerNote, SellerNoteRevision
from tests.feedback_support import answers, click, last_view, rows, set_clock, submit
from tests.seller_support import PLANS, TODAY, build_sellers
from tests.slack_support import button_value, markup, press

NOON = datetime(2026, 11, 30, 11, tzinfo=UTC)
NOTES_BEFORE = sum(p.contact_days_ago is not None for p in PLANS) + 1  # +1 deleted


@pytest.fixture
def sellers(bot: OfflineBot, engine: Engine) -> dict[str, int]:
    return build_sellers(bot, engine)


def _new_notes(engine: Engine) -> list[SellerNote]:
    return [n for n in rows(engine, SellerNote)][NOTES_BEFORE:]


def test_a_note_with_tags_and_follow_up_is_saved_and_logged(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    seen = bot.say(
        "/seller note Café Küche agreed to a LIVE on Friday #live #q4 follow-up:2026-12-04"
    )
    assert "Saved seller note" in seen.text
    [saved] = _new_notes(engine)
    assert saved.seller_id == sellers["C1"] and saved.author_user_id == "U0MARIA"
    assert (saved.text, saved.tags, saved.follow_up_on) == (
        "agreed to a LIVE on Friday",
        ["live", "q4"],
        date(2026, 12, 4),
    )
    bot.say("/seller note C1 sent the sample list")
    log = markup(bot.say("/seller log café küche").reply)
    assert log.index("sent the sample list") < log.index("agreed to a LIVE") < log.index("Called")
    card = markup(bot.say("/seller C1").reply)
    assert "last contact 30 Nov 2026 by <@U0MARIA>" in card
    assert "next follow-up 4 Dec 2026 (<@U0MARIA>)" in card


def test_markup_and_mentions_are_shown_never_acted_on(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    literal = "ping <!here> & <@U0TOM> about *Küchen* 東京 🎉"
    bot.client.slash_command("/seller", f"note Alpha Home {literal}")
    bot.settle()
    [saved] = _new_notes(engine)
    assert saved.text == literal
    shown = markup(bot.say("/seller log Alpha Home").reply)
    assert "&lt;!here&gt; &amp; &lt;@U0TOM&gt;" in shown and "<!here>" not in shown
    [line] = [line for line in shown.splitlines() if "ping" in line]
    assert "<@U0TOM>" not in line.partition("ping")[2]


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("note Alpha Home", "Write the note itself, such as `/seller note Alpha Home agreed"),
        ("note Alpha Home #tag", "Write the note itself"),
        ("note Alpha Home old news follow-up:2026-11-01", "is in the past"),
        ("note Alpha Home soon follow-up:next week", "is not a date"),
        ("note Alpah Home call back", "I don't know the seller"),
        ("note", "Say which seller"),
        ("note Alpha Home " + "x" * 3001, "Notes are limited to 3,000 characters"),
        ("note Alpha Home " + "x" * 5000, "too long for /seller"),
        ("edit 999 new text", "There is no seller note 999"),
        ("delete abc", "Say which note"),
        ("search !!!", "Say what to search for"),
    ],
)
def test_bad_notes_are_refused_and_nothing_is_saved(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int], typed: str, answer: str
) -> None:
    shown = markup(bot.say(f"/seller {typed}").reply)
    assert answer in shown
    assert _new_notes(engine) == []


def test_unknown_seller_in_a_note_names_close_matches(
    bot: OfflineBot, sellers: dict[str, int]
) -> None:
    shown = markup(bot.say("/seller log Alpah Home").reply)
    assert "I don't know the seller `Alpah Home`" in shown and "Alpha Home" in shown


def test_search_finds_notes_by_their_words(bot: OfflineBot, sellers: dict[str, int]) -> None:
    bot.say("/seller note Golf Beauty wants a vouchers workshop #training")
    bot.say("/seller note Kilo Big asked about vouchers")
    shown = markup(bot.say("/seller search vouchers workshop").reply)
    assert "Golf Beauty" in shown and "Kilo Big" not in shown
    both = markup(bot.say("/seller search voucher").reply)
    assert "Golf Beauty" in both and "Kilo Big" in both
    assert "no notes" in markup(bot.say("/seller search zeppelin").reply)


def test_edit_and_delete_follow_the_creator_note_rules(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    bot.say("/seller note Alpha Home first words follow-up:2026-12-10", user_id="U0TOM")
    [note] = _new_notes(engine)
    other = markup(bot.say(f"/seller edit {note.id} taken over", user_id="U0ANA").reply)
    assert "Only the note's author (<@U0TOM>) or an admin can edit it" in other
    assert (
        "Saved seller note"
        in bot.say(f"/seller edit {note.id} better words #fixed", user_id="U0TOM").text
    )
    [revision] = rows(engine, SellerNoteRevision)
    assert revision.text == "first words" and revision.edited_by == "U0TOM"
    [edited] = _new_notes(engine)
    assert (edited.text, edited.tags) == ("better words", ["fixed"])
    assert edited.follow_up_on == date(2026, 12, 10), "an edit without a date keeps the follow-up"
    assert "better words" in markup(bot.say("/seller log Alpha Home").reply)
    assert "can delete it" in markup(bot.say(f"/seller delete {note.id}", user_id="U0ANA").reply)
    assert "Deleted seller note" in bot.say(f"/seller delete {note.id}", user_id="U0TOM").text
    assert "better words" not in markup(bot.say("/seller log Alpha Home").reply)
    refused = markup(bot.say(f"/seller restore {note.id}", user_id="U0TOM").reply)
    assert "Only admins can restore a deleted note" in refused
    assert "better words" in markup(bot.say(f"/seller restore {note.id}").reply)  # U0MARIA: admin
    for number in ("99999999999999999999", "１２", "#-1"):  # no note has it: the same question
        for command in ("edit", "delete"):
            answer = bot.say(f"/seller {command} {number} status").text
            assert "Say which note: its number is in" in answer and "Sorry" not in answer


def test_the_card_button_opens_the_note_form(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    card = bot.say("/seller Hotel Бренд").reply
    click(bot, ADD_SELLER_NOTE, button_value(card, ADD_SELLER_NOTE))
    view = last_view(bot)
    assert "Note about *Hotel Бренд*" in markup(view)
    submit(bot, view, _note_values("", follow_up=TODAY - timedelta(days=1)))
    bot.settle()
    assert _new_notes(engine) == []  # the form said what is wrong, in the form
    submit(bot, view, _note_values("Visited the warehouse", tags="visit"))
    [answer] = answers(bot, 1)
    assert "Saved seller note" in answer["text"]
    [saved] = _new_notes(engine)
    assert saved.seller_id == sellers["H1"] and saved.tags == ["visit"]


def test_the_message_shortcut_saves_a_message_as_a_seller_note(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    message = {
        "type": "message",
        "user": "U0TOM",
        "ts": "1700000000.000100",
        "text": "Kilo Big confirmed stock & prices",
    }
    bot.client.message_shortcut("save_seller_note", message)
    view = last_view(bot)
    assert "Kilo Big confirmed stock &amp; prices" in str(
        view
    ) or "Kilo Big confirmed stock & prices" in str(view)
    values = _note_values("Kilo Big confirmed stock & prices")
    values["seller"] = {"seller": {"type": "plain_text_input", "value": "Kilo Bgi"}}
    response = bot.client.view_submission(view, values)
    assert "I don't know the seller" in response.body
    values["seller"] = {"seller": {"type": "plain_text_input", "value": "kilo big"}}
    submit(bot, view, values)
    answers(bot, 1)
    [saved] = _new_notes(engine)
    assert saved.seller_id == sellers["K1"] and saved.text == "Kilo Big confirmed stock & prices"
    assert saved.source_url and "1700000000000100" in saved.source_url


def _note_values(text: str, *, tags: str = "", follow_up: date | None = None) -> dict[str, Any]:
    return {
        "text": {"text": {"type": "plain_text_input", "value": text or None}},
        "tags": {"tags": {"type": "plain_text_input", "value": tags or None}},
        "follow_up": {
            "follow_up": {
                "type": "datepicker",
                "selected_date": follow_up.isoformat() if follow_up else None,
            }
        },
    }


def test_follow_ups_remind_the_author_once_by_dm(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    bot.say(
        "/seller note Echo 東京 call about <!channel> vouchers follow-up:2026-12-02",
        user_id="U0TOM",
    )
    set_clock(bot, datetime(2026, 12, 2, 8, 5, tzinfo=UTC))  # 09:05 in Berlin
    assert remind(bot.services, bot.app.client) == 1
    assert remind(bot.services, bot.app.client) == 0
    dm = bot.sandbox.messages["D0TOM"][0]
    shown = markup(dm)
    assert "Follow-up due 2 Dec 2026* with *Echo 東京*" in shown
    assert "&lt;!channel&gt;" in shown and "<!channel>" not in shown
    click(bot, SELLER_FOLLOW_UP_DONE, button_value(dm, SELLER_FOLLOW_UP_DONE), user="U0TOM")
    assert "Follow-up with Echo 東京 done." in answers(bot, 1)[-1]["text"]
    assert "no follow-up planned" in markup(bot.say("/seller Echo 東京").reply)


def test_the_log_pages_newest_first(
    bot: OfflineBot, engine: Engine, sellers: dict[str, int]
) -> None:
    for n in range(12):
        bot.say(f"/seller note Kilo Big call number {n:02d}")
    first = markup(bot.say("/seller log Kilo Big").reply)
    assert "call number 11" in first and "call number 02" in first and "call number 01" not in first
    assert "next: `/seller log Kilo Big page:2`" in first
    second = markup(bot.say("/seller log Kilo Big page:2").reply)
    assert "call number 01" in second and "call number 00" in second and "Called Kilo Big" in second
    assert "call number 02" not in second
    clicked = markup(press(bot, bot.say("/seller log Kilo Big").reply, NEXT))
    assert "call number 01" in clicked and "call number 02" not in clicked
