"""Changing notes (issue 3, point 5): only the author or an admin edits or deletes; edits keep
the previous text; a delete is recoverable by an admin for 30 days."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from storage.feedback.models import FeedbackNote, FeedbackNoteRevision
from storage.feedback.notes import purge_deleted
from tests.feedback_support import (
    NOW,
    answers,
    choose,
    click,
    command,
    last_view,
    note,
    note_values,
    rows,
    set_clock,
    submit,
)
from tests.slack_support import markup

TOM, PRIYA, MARIA = "U0TOM", "U0PRIYA", "U0MARIA"  # Maria is the admin


def _tom_writes(bot: OfflineBot) -> int:
    set_clock(bot, NOW)
    note(bot, "@maria.makes sample arrived damaged #samples", user=TOM)
    return 1


def test_the_author_edits_and_the_previous_text_is_kept(bot: OfflineBot, engine: Engine) -> None:
    note_id = _tom_writes(bot)
    click(bot, "feedback_edit_note", str(note_id), user=TOM)
    view = last_view(bot)
    assert view["title"]["text"] == "Edit note"
    assert "Note 1 about *@maria.makes*" in markup(view)
    note_block = next(b for b in view["blocks"] if b.get("block_id") == "note")
    assert note_block["element"]["initial_value"] == "sample arrived damaged"

    set_clock(bot, NOW + timedelta(hours=2))
    values = note_values(
        handle=None,
        text="sample arrived damaged; replacement sent",
        topic="samples",
        sentiment="neutral",
        tags="samples replacement",
    )
    assert submit(bot, view, values, user=TOM).body == ""
    [saved] = rows(engine, FeedbackNote)
    assert saved.text == "sample arrived damaged; replacement sent"
    assert saved.tags == ["samples", "replacement"] and saved.sentiment == "neutral"
    assert saved.updated_at == NOW + timedelta(hours=2) and saved.created_at == NOW
    [revision] = rows(engine, FeedbackNoteRevision)
    assert (revision.text, revision.sentiment, revision.tags) == (
        "sample arrived damaged",
        "negative",
        ["samples"],
    )
    assert revision.edited_by == TOM
    # The edit answers where the Edit button was (replace_original), with the new text.
    [edit_answer] = answers(bot, 1)
    assert edit_answer["replace_original"] is True
    assert "Updated note 1" in markup(edit_answer)
    assert "replacement sent" in markup(edit_answer)


def test_someone_else_is_refused_edit_and_delete(bot: OfflineBot, engine: Engine) -> None:
    note_id = _tom_writes(bot)
    click(bot, "feedback_edit_note", str(note_id), user=PRIYA)
    click(bot, "feedback_delete_note", str(note_id), user=PRIYA)
    refusals = answers(bot, 2)
    for refusal in refusals:
        assert "Only the note's author (<@U0TOM>) or an admin can" in markup(refusal)
        assert "The admins are <@U0MARIA>" in markup(refusal)
        assert refusal["response_type"] == "ephemeral"
    assert {"edit it", "delete it"} == {
        "edit it" if "edit it" in markup(r) else "delete it" for r in refusals
    }
    assert bot.sandbox.calls("views.open") == []
    [saved] = rows(engine, FeedbackNote)
    assert saved.deleted_at is None and saved.text == "sample arrived damaged"


def test_an_edit_submitted_by_someone_else_is_refused(bot: OfflineBot, engine: Engine) -> None:
    """A modal that reached another user (or whose author lost rights) saves nothing."""
    note_id = _tom_writes(bot)
    click(bot, "feedback_edit_note", str(note_id), user=TOM)
    submit(bot, last_view(bot), note_values(handle=None, text="hijacked"), user=PRIYA)
    assert "Only the note's author" in markup(answers(bot, 1)[-1])
    assert rows(engine, FeedbackNote)[0].text == "sample arrived damaged"
    assert rows(engine, FeedbackNoteRevision) == []


def test_an_admin_may_edit_anyones_note(bot: OfflineBot, engine: Engine) -> None:
    note_id = _tom_writes(bot)
    choose(bot, f"feedback_note_menu_{note_id}", f"edit:{note_id}", user=MARIA)
    submit(bot, last_view(bot), note_values(handle=None, text="fixed typo"), user=MARIA)
    answers(bot, 1)
    assert rows(engine, FeedbackNote)[0].text == "fixed typo"
    assert rows(engine, FeedbackNoteRevision)[0].edited_by == MARIA


def test_a_delete_hides_the_note_and_an_admin_restores_it(bot: OfflineBot, engine: Engine) -> None:
    note_id = _tom_writes(bot)
    click(bot, "feedback_delete_note", str(note_id), user=TOM)
    [deleted] = answers(bot, 1)
    assert deleted["replace_original"] is True
    assert "Deleted note 1 about *@maria.makes*" in markup(deleted)
    assert "`/feedback restore 1`" in markup(deleted)
    [saved] = rows(engine, FeedbackNote)
    assert saved.deleted_at == NOW and saved.deleted_by == TOM

    assert "No notes about @maria.makes yet" in markup(
        command(bot, "/feedback", "list @maria.makes")
    )
    assert "No notes match" in bot.say("/feedback search damaged")

    refused = command(bot, "/feedback", "restore 1", user=TOM)
    assert "Only admins can restore a deleted note. The admins are <@U0MARIA>: ask one of them" in (
        markup(refused)
    )
    assert "`SHOPBOT_ADMINS`" in markup(refused)
    listing = bot.say("/feedback deleted", user_id=TOM).reply
    assert "Only admins can see and restore deleted notes. The admins are <@U0MARIA>" in (
        markup(listing)
    )

    listing = command(bot, "/feedback", "deleted", user=MARIA)
    assert "deleted by <@U0TOM>" in markup(listing)
    set_clock(bot, NOW + timedelta(days=29))
    click(bot, "feedback_restore_note_1", "1", user=MARIA)
    assert "Restored note 1 about *@maria.makes*" in markup(answers(bot, 2)[-1])
    assert rows(engine, FeedbackNote)[0].deleted_at is None
    assert "sample arrived damaged" in bot.say("/feedback list @maria.makes")


def test_after_30_days_a_deleted_note_is_gone(bot: OfflineBot, engine: Engine) -> None:
    note_id = _tom_writes(bot)
    choose(bot, f"feedback_note_menu_{note_id}", f"delete:{note_id}", user=TOM)
    answers(bot, 1)
    set_clock(bot, NOW + timedelta(days=31))
    assert "No notes deleted in 30 days" in bot.say("/feedback deleted")
    reply = command(bot, "/feedback", "restore 1", user=MARIA)
    assert "There is no note 1 here: it was deleted" in markup(reply)
    assert purge_deleted(engine, "T0ELSEWHERE", NOW + timedelta(days=31)) == 0
    assert purge_deleted(engine, bot.sandbox.team_id, NOW + timedelta(days=31)) == 1
    assert rows(engine, FeedbackNote) == []


def test_a_note_from_another_workspace_cannot_be_touched(bot: OfflineBot, engine: Engine) -> None:
    from storage.creators.models import Creator
    from storage.db import transaction

    with transaction(engine) as session:
        creator = Creator(team_id="TOTHER", handle="secret")
        session.add(creator)
        session.flush()
        assert creator.id is not None
        session.add(
            FeedbackNote(team_id="TOTHER", creator_id=creator.id, author_user_id=MARIA, text="x")
        )
    click(bot, "feedback_delete_note", "1", user=MARIA)
    click(bot, "feedback_edit_note", "1", user=MARIA)
    for answer in answers(bot, 2):
        assert "There is no note 1 here" in markup(answer)
        assert "or it is in another workspace" in markup(answer)
    assert "There is no note 1 here" in bot.say("/feedback restore 1")
    assert rows(engine, FeedbackNote)[0].deleted_at is None


def test_restore_needs_a_number(bot: OfflineBot) -> None:
    assert "Say which note to restore" in bot.say("/feedback restore")
    assert "is not a number" in bot.say("/feedback restore seven")


def test_a_changed_follow_up_date_is_a_new_follow_up(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    bot.client.slash_command("/feedback", "")
    submit(bot, last_view(bot), note_values(follow_up=date(2026, 12, 4)))
    answers(bot, 1)
    click(bot, "feedback_edit_note", "1")
    values = note_values(handle=None, follow_up=date(2026, 12, 8))
    submit(bot, last_view(bot, opened=2), values)
    answers(bot, 2)
    [saved] = rows(engine, FeedbackNote)
    assert saved.follow_up_on == date(2026, 12, 8) and saved.follow_up_reminded_at is None
    assert rows(engine, FeedbackNoteRevision) == []  # text, topic, sentiment, tags unchanged
