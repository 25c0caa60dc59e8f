"""A creator note's edit history (`/feedback history <n>`): what each edit changed of its
text, topic, sentiment and tags, shown as every record's history is (bot.shared.history)."""

from __future__ import annotations

from typing import Any

from bot.feedback.inference import sentiment_label, topic_label
from bot.services import Services
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.language import N_, _
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.feedback.notes import note_history


def _value(name: str, value: Any) -> str:
    if name == "topic":
        return topic_label(value)
    if name == "sentiment":
        return sentiment_label(value)
    if name == "tags":
        return " ".join(f"#{tag}" for tag in value)
    return plain_value(name, value)


FIELDS = Fields(
    {"text": N_("Text"), "topic": N_("Topic"), "sentiment": N_("Sentiment"), "tags": N_("Tags")},
    _value,
)


def note_history_reply(
    services: Services, team_id: str, note_id: int, page: int, asked: Asked
) -> Reply:
    """The note's edits, newest first, for whoever may read the note (NoteNotFound when the
    workspace has no such note or it is deleted)."""
    note, edits = note_history(services.engine, team_id, note_id)
    return history_reply(
        _("History of note {number} about @{handle}").format(number=note.id, handle=note.handle),
        (note.author_user_id, note.created_at),
        edits,
        FIELDS,
        services.settings.tz,
        page,
        asked,
    )
