"""Follow-up reminders of creator notes: the kind of note bot.shared.follow_ups reminds, with
the DM of bot.feedback.cards."""

from __future__ import annotations

from bot.feedback.cards import reminder_message
from bot.shared.follow_ups import note_reminders
from storage.feedback import notes

CREATOR_NOTES = note_reminders(
    "note", notes.due_reminders, notes.claim_reminder, reminder_message, notes.purge_deleted
)
