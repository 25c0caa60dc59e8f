"""Every form, modal and Home the app opens, through its real entry point, as Slack would take
it: the sandbox holds each to Slack's documented limits and refuses what Slack refuses. And
the values a form brings back are held to the limits the form itself declares, so a forged
submission gets field errors instead of being stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.creators.card import EDIT_CREATOR
from bot.feedback.cards import EDIT_NOTE
from bot.home.sections import IMPORT_FILE, NEW_NOTE, NEW_REVIEW, SUBSCRIBE_CHANNEL
from bot.sellers.card import ADD_SELLER_NOTE, EDIT_SELLER
from devkit.offline import OfflineBot
from storage.creators.models import Creator
from storage.db import transaction
from storage.errors import UserError
from storage.feedback.models import FeedbackNote
from storage.feedback.notes import NoteDraft, save_note
from storage.sellers.models import SellerNote
from tests import review_support
from tests.feedback_support import NOW, click, note_values, rows, set_clock, submit
from tests.slack_support import markup

HOME_OPENED = {"type": "app_home_opened", "user": "U0TOM", "tab": "home", "channel": "D0TOM"}


def opened_views(bot: OfflineBot) -> list[dict[str, Any]]:
    """Every view the app opened or published so far, each accepted by the sandbox."""
    bot.settle()
    calls = [c for c in bot.sandbox.calls() if c.method in ("views.open", "views.publish")]
    refused = [(c.method, c.response) for c in calls if not c.ok]
    assert refused == [], refused
    return [c.response["view"] for c in calls]


def title(view: dict[str, Any]) -> str:
    return str(view["title"]["text"]) if view["type"] == "modal" else "Home"


def old_long_note(engine: Engine, team_id: str, handle: str, text: str) -> int:
    """A note saved before notes were limited to 3,000 characters (the column takes 4,000)."""
    with transaction(engine) as session:
        creator = session.exec(
            select(Creator).where(Creator.team_id == team_id, Creator.handle == handle)
        ).one()
        note = FeedbackNote(
            team_id=team_id, creator_id=creator.id, author_user_id="U0MARIA", text=text
        )
        session.add(note)
        session.flush()
        assert note.id is not None
        return note.id


def test_every_form_modal_and_the_home_is_accepted_by_slack(
    bot: OfflineBot, engine: Engine
) -> None:
    team = bot.sandbox.team_id
    sellers = review_support.seed(engine, team)  # Casa Bonita, Küchenwelt & Co, …
    set_clock(bot, NOW)
    note_id = old_long_note(engine, team, "maria.makes", "Überraschung & <Probe> " * 160)
    [creator_id] = [c.id for c in rows(engine, Creator) if c.handle == "lena.live"]
    long_message = {"type": "message", "user": "U0TOM", "ts": "1.2", "text": "ü & <x> " * 500}

    def then(response: Any) -> None:  # one at a time, so the views open in this order
        assert response.status == 200
        bot.settle()

    for command, text in [
        ("/feedback", ""),
        ("/feedback", "new @maria.makes"),
        ("/review", ""),
        ("/seller", "add"),
        ("/creator", "add"),
        ("/kpi", "import"),
    ]:
        then(bot.client.slash_command(command, text))
    then(click(bot, EDIT_NOTE, str(note_id)))
    then(click(bot, EDIT_CREATOR, str(creator_id)))
    then(click(bot, EDIT_SELLER, str(sellers["Küchenwelt & Co"])))
    then(click(bot, ADD_SELLER_NOTE, str(sellers["Küchenwelt & Co"])))
    for shortcut in ("save_creator_feedback", "save_livestream_review", "save_seller_note"):
        then(bot.client.message_shortcut(shortcut, long_message))
    then(bot.client.event(HOME_OPENED))
    home = opened_views(bot)[-1]
    for action in (NEW_NOTE, NEW_REVIEW, IMPORT_FILE, SUBSCRIBE_CHANNEL):
        then(bot.client.block_action(action, user_id="U0TOM", view=home))

    views = opened_views(bot)
    assert [title(v) for v in views] == [
        "Creator feedback",
        "Creator feedback",
        "Livestream review",
        "Add a seller",
        "Add a creator",
        "Import a file",
        "Edit note",
        "Edit creator",
        "Edit seller",
        "Seller note",
        "Creator feedback",
        "Livestream review",
        "Seller note",
        "Home",
        "Creator feedback",
        "Livestream review",
        "Import a file",
        "Subscribe a channel",
    ]
    assert bot.sandbox.refusals == []
    # The old note and the long message were cut to what a note holds, and the form says so.
    for view in (views[6], views[10], views[12]):
        [field] = [b for b in view["blocks"] if b.get("element", {}).get("max_length") == 3000]
        assert len(field["element"]["initial_value"]) == 3000
        assert "a note holds 3,000: the field below has its first 3,000" in markup(view)


def test_a_forged_submission_past_what_the_form_declares_is_refused_on_its_field(
    bot: OfflineBot, engine: Engine
) -> None:
    team = bot.sandbox.team_id
    sellers = review_support.seed(engine, team)
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "")
    click(bot, ADD_SELLER_NOTE, str(sellers["Küchenwelt & Co"]))
    note_form, seller_note_form = opened_views(bot)

    too_long = submit(bot, note_form, note_values(text="ß" * 3001)).json()
    seller_values = {
        "text": {"text": {"type": "plain_text_input", "value": "ok"}},
        "tags": {"tags": {"type": "plain_text_input", "value": "#" * 501}},
    }
    seller_note = submit(bot, seller_note_form, seller_values).json()

    assert too_long == {
        "response_action": "errors",
        "errors": {"note": "At most 3,000 characters, please: this has 3,001."},
    }
    assert seller_note["errors"] == {"tags": "At most 500 characters, please: this has 501."}
    assert rows(engine, FeedbackNote) == [] and rows(engine, SellerNote) == []
    # A NUL no one can type is dropped, as every form's text is read (PostgreSQL refuses it).
    submit(bot, note_form, note_values(text="Grüße\x00 aus Köln"))
    bot.settle()
    assert [note.text for note in rows(engine, FeedbackNote)] == ["Grüße aus Köln"]


def test_the_command_and_storage_refuse_a_note_longer_than_a_form_takes(
    bot: OfflineBot, engine: Engine
) -> None:
    review_support.seed(engine, bot.sandbox.team_id)
    seen = bot.say("/feedback @maria.makes " + "é" * 3001)
    assert "Notes are limited to 3,000 characters; this one has 3,001" in seen
    seller = bot.say("/seller note Casa Bonita " + "é" * 3001)
    assert "Notes are limited to 3,000 characters; this one has 3,001" in seller
    draft = NoteDraft(
        bot.sandbox.team_id, "U0MARIA", "maria.makes", "é" * 3001, "general", "neutral"
    )
    with pytest.raises(UserError, match="limited to 3,000 characters; this one has 3,001"):
        save_note(engine, draft, datetime(2026, 12, 1, tzinfo=UTC))
    assert rows(engine, FeedbackNote) == [] and rows(engine, SellerNote) == []
