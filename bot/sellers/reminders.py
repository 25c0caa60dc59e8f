"""Follow-up reminders of seller notes: the DM on the follow-up morning, with a Done button
(sent by bot.shared.follow_ups, which reminds creator notes the same way)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.shared.days import day_text, local_day
from bot.shared.follow_ups import note_reminders
from bot.shared.language import _
from bot.shared.replies import Reply, escape, section, text_sections
from storage.sellers import notes as seller_notes
from storage.sellers.notes import SellerNoteView

SELLER_FOLLOW_UP_DONE = "seller_follow_up_done"


def seller_reminder(note: SellerNoteView, tz: ZoneInfo, today: date) -> Reply:
    """The follow-up DM to the note's author: the note, and Done."""
    title = _("⏰ *Follow-up due {day}* with *{seller}*: your note from {written}.").format(
        day=day_text(note.follow_up_on or today),
        seller=escape(note.seller_name),
        written=local_day(note.created_at, tz),
    )
    done = ButtonElement(
        text=_("Done"), action_id=SELLER_FOLLOW_UP_DONE, value=str(note.id), style="primary"
    )
    return Reply(
        text=_("Follow-up due with {seller}").format(seller=escape(note.seller_name)),
        blocks=[
            section(title),
            *text_sections(note.text),
            ActionsBlock(block_id=f"seller_follow_up_{note.id}", elements=[done]),
        ],
    )


def follow_up_done(note: SellerNoteView, tz: ZoneInfo) -> Reply:
    when = local_day(note.follow_up_done_at or note.updated_at, tz)
    return Reply(
        text=_("Follow-up with {seller} done.").format(seller=escape(note.seller_name)),
        blocks=[
            section(
                _("✔ Follow-up with *{seller}* done on {day}.").format(
                    seller=escape(note.seller_name), day=when
                )
            ),
            *text_sections(note.text),
        ],
    )


SELLER_NOTES = note_reminders(
    "seller note",
    seller_notes.due_seller_reminders,
    seller_notes.claim_seller_reminder,
    seller_reminder,
    seller_notes.purge_deleted_seller_notes,
)
