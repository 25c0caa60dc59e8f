"""Quick notes that do what people mean: several creators in one note, handles written in
passing (`@@x`, `x.`, without the @), and a probable typo of a registry handle asked about
before anything is saved."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from devkit.offline import OfflineBot
from devkit.sandbox import AppResponse
from storage.creators.models import Creator
from storage.creators.registry import ensure_creator
from storage.db import transaction
from storage.feedback import notes as feedback_store
from storage.feedback.models import FeedbackNote
from tests.feedback_support import NOW, answers, note, rows, set_clock
from tests.slack_support import action_ids, button_value, markup

SUGGESTED, AS_TYPED = "feedback_save_suggested", "feedback_save_as_typed"


def _registry(engine: Engine, team_id: str, *handles: str) -> None:
    with transaction(engine) as session:
        for handle in handles:
            session.add(Creator(team_id=team_id, handle=handle, display_name=handle.title()))


def _click(bot: OfflineBot, action_id: str, value: str) -> AppResponse:
    response = bot.client.block_action(action_id, value, user_id="U0MARIA", channel_id="C0KPI")
    assert response.status == 200, response.body
    return response


def test_several_handles_save_one_note_per_creator(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    _registry(engine, bot.sandbox.team_id, "ana.glow")
    seen = bot.say("/feedback @ana.glow @Ben.Buys, both late with the samples #samples")

    saved = rows(engine, FeedbackNote)
    assert [(n.id, n.text, n.tags, n.sentiment) for n in saved] == [
        (1, "both late with the samples", ["samples"], "negative"),
        (2, "both late with the samples", ["samples"], "negative"),
    ]
    creators = {c.id: c.handle for c in rows(engine, Creator)}
    assert [creators[n.creator_id] for n in saved] == ["ana.glow", "ben.buys"]
    assert "Saved the note for @ana.glow and @ben.buys (notes 1, 2)." in seen
    assert "@ben.buys was not in the registry, so I added it as a prospect." in seen
    assert "@ben.buys" not in saved[0].text
    assert action_ids(seen.reply) == ["feedback_edit_note", "feedback_delete_note"] * 2


def test_several_handles_save_all_notes_or_none(
    bot: OfflineBot, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = bot.say("/feedback @ana.glow @ben.buys")
    assert "Write the note after `@ben.buys`." in markup(seen.reply)

    added: list[str] = []

    def fail_on_the_second(session: Session, team_id: str, handle: str, now: datetime) -> Any:
        added.append(handle)
        if len(added) == 2:
            raise RuntimeError("the database went away")
        return ensure_creator(session, team_id, handle, now)

    monkeypatch.setattr(feedback_store, "ensure_creator", fail_on_the_second)
    seen = bot.say("/feedback @ana.glow @ben.buys both late")
    assert "Sorry, something went wrong on our side" in seen
    assert added == ["ana.glow", "ben.buys"]
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []


def test_handles_are_tidied(bot: OfflineBot, engine: Engine) -> None:
    _registry(engine, bot.sandbox.team_id, "sara.goodfinds")
    note(bot, "@@sara.goodfinds great live")
    note(bot, "@sara.goodfinds. posted on time")
    note(bot, "@Sara.Goodfinds: sent the brief")
    note(bot, "sara.goodfinds asked for the rate card")  # no @: a handle the registry has
    assert [c.handle for c in rows(engine, Creator)] == ["sara.goodfinds"]
    assert len(rows(engine, FeedbackNote)) == 4

    listed = bot.say("/feedback list sara.goodfinds")
    assert "Notes about @sara.goodfinds" in markup(listed.reply)
    assert "asked for the rate card" in listed
    assert bot.say("/creator sara.goodfinds").reply["text"] == "Creator @sara.goodfinds"
    assert bot.say("/creator @@sara.goodfinds.").reply["text"] == "Creator @sara.goodfinds"


def test_a_first_word_without_at_that_is_no_registry_handle_is_not_a_note(
    bot: OfflineBot, engine: Engine
) -> None:
    seen = bot.say("/feedback sara.goodfinds great")
    assert "`/feedback` has no `sara.goodfinds`." in markup(seen.reply)
    assert rows(engine, FeedbackNote) == [] and rows(engine, Creator) == []
    assert "has no `sara.goodfinds`" in markup(bot.say("/creator sara.goodfinds").reply)


def test_a_near_miss_asks_before_saving_and_a_click_saves_once(
    bot: OfflineBot, engine: Engine
) -> None:
    set_clock(bot, NOW)
    _registry(engine, bot.sandbox.team_id, "sara.goodfinds")
    seen = bot.say("/feedback @sara.goodfind late again #samples")

    assert "Did you mean @sara.goodfinds?" in seen
    assert "Nothing is saved yet." in seen
    assert "[1 Save for @sara.goodfinds]" in seen and "[2 Add @sara.goodfind as new]" in seen
    assert rows(engine, FeedbackNote) == []
    assert [c.handle for c in rows(engine, Creator)] == ["sara.goodfinds"]

    value = button_value(seen.reply, SUGGESTED)
    _click(bot, SUGGESTED, value)
    [answer] = answers(bot, 1)
    assert answer["replace_original"] is True
    assert "Saved a note about *@sara.goodfinds*" in markup(answer)
    [saved] = rows(engine, FeedbackNote)
    assert (saved.text, saved.tags, saved.sentiment) == ("late again", ["samples"], "negative")

    later = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    set_clock(bot, later)
    _click(bot, SUGGESTED, value)  # a double click
    _click(bot, AS_TYPED, button_value(seen.reply, AS_TYPED))  # then the other button
    answers(bot, 3)
    assert len(rows(engine, FeedbackNote)) == 1
    assert [c.handle for c in rows(engine, Creator)] == ["sara.goodfinds"]


def test_a_near_miss_can_be_added_as_a_new_creator(bot: OfflineBot, engine: Engine) -> None:
    _registry(engine, bot.sandbox.team_id, "sara.goodfinds")
    seen = bot.say("/feedback @sara.goodfind @ben.buys first call went well")
    assert "[1 Save for @sara.goodfinds and @ben.buys]" in seen
    assert rows(engine, FeedbackNote) == []

    _click(bot, AS_TYPED, button_value(seen.reply, AS_TYPED))
    assert "Saved the note for *@sara.goodfind* and *@ben.buys*" in markup(answers(bot, 1)[0])
    assert sorted(c.handle for c in rows(engine, Creator)) == [
        "ben.buys",
        "sara.goodfind",
        "sara.goodfinds",
    ]
    assert len(rows(engine, FeedbackNote)) == 2


def _delivered_twice(bot: OfflineBot, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """`/feedback text` typed once, and its request delivered twice (a retry or a replay):
    the answer to each delivery."""
    body = bot.client.slash_command_body("/feedback", text)
    first = bot.client.post(body, "application/x-www-form-urlencoded")
    again = bot.client.post(body, "application/x-www-form-urlencoded")
    bot.settle()
    assert first.status == again.status == 200
    return first.json(), again.json()


def test_a_quick_note_delivered_twice_is_saved_once(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    first, again = _delivered_twice(bot, "@ana.glow @ben.buys both late with the samples")
    saved = "Saved the note for @ana.glow and @ben.buys (notes 1, 2)."
    assert first["text"] == again["text"] == saved
    assert [(n.id, n.text) for n in rows(engine, FeedbackNote)] == [
        (1, "both late with the samples"),
        (2, "both late with the samples"),
    ]
    assert len(rows(engine, Creator)) == 2

    note(bot, "@ana.glow both late with the samples")  # typed again: a note of its own
    assert len(rows(engine, FeedbackNote)) == 3


def test_a_question_delivered_twice_saves_once_whichever_copy_is_answered(
    bot: OfflineBot, engine: Engine
) -> None:
    _registry(engine, bot.sandbox.team_id, "sara.goodfinds")
    first, again = _delivered_twice(bot, "@sara.goodfind late again")
    assert first["text"] == again["text"]
    assert "Did you mean @sara.goodfinds?" in first["text"]
    _click(bot, SUGGESTED, button_value(first, SUGGESTED))
    _click(bot, AS_TYPED, button_value(again, AS_TYPED))
    answers(bot, 2)
    assert len(rows(engine, FeedbackNote)) == 1


def test_a_forged_typo_button_saves_nothing(bot: OfflineBot, engine: Engine) -> None:
    _click(bot, SUGGESTED, "not-a-note")
    assert "does not carry a note" in markup(answers(bot, 1)[0])
    assert rows(engine, FeedbackNote) == []


def test_short_or_distant_handles_are_not_typos(bot: OfflineBot, engine: Engine) -> None:
    _registry(engine, bot.sandbox.team_id, "sara.goodfinds", "ana.b")
    note(bot, "@ana.c met at the fair")  # too short to tell
    note(bot, "@sara.greatfinds met at the fair")  # not one or two letters away
    assert len(rows(engine, FeedbackNote)) == 2


def test_a_quick_note_reads_a_follow_up_as_a_seller_note_does(
    bot: OfflineBot, engine: Engine
) -> None:
    set_clock(bot, NOW)
    _registry(engine, bot.sandbox.team_id, "sara.goodfinds")
    seen = bot.say("/feedback @juergen.x Muster für Köln & 東京 #samples follow-up:2026-12-10")
    [saved] = rows(engine, FeedbackNote)
    assert (saved.text, saved.tags) == ("Muster für Köln & 東京", ["samples"])
    assert saved.follow_up_on == date(2026, 12, 10)
    assert "follow-up:" not in markup(seen.reply)

    asked = bot.say("/feedback @sara.goodfind Lieferung spät follow-up:2026-12-05")
    assert "Did you mean @sara.goodfinds?" in asked and "follow-up:" not in markup(asked.reply)
    _click(bot, SUGGESTED, button_value(asked.reply, SUGGESTED))
    answers(bot, 1)
    latest = rows(engine, FeedbackNote)[-1]
    assert (latest.text, latest.follow_up_on) == ("Lieferung spät", date(2026, 12, 5))

    past = bot.say("/feedback @sara.goodfinds zu spät follow-up:2026-11-01").text
    assert "The follow-up date 2026-11-01 is in the past" in past
    wrong = bot.say("/feedback @sara.goodfinds bald follow-up:nächste Woche").text
    assert "`nächste Woche` is not a date" in wrong
    assert len(rows(engine, FeedbackNote)) == 2
