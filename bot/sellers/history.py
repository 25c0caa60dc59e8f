"""A seller note's edit history (`/seller history <note number>`): what each edit changed of
its text and tags, shown as every record's history is (bot.shared.history)."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.language import N_, _
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.sellers.notes import seller_note_history


def _value(name: str, value: Any) -> str:
    if name == "tags":
        return " ".join(f"#{tag}" for tag in value)
    return plain_value(name, value)


LABELS = {"text": N_("Text"), "tags": N_("Tags")}


def _fields() -> Fields:
    return Fields({name: _(label) for name, label in LABELS.items()}, _value)


def seller_note_history_reply(
    services: Services, team_id: str, note_id: int, page: int, asked: Asked
) -> Reply:
    """The seller note's edits, newest first, for whoever may read the note
    (SellerNoteNotFound when the workspace has no such note or it is deleted)."""
    note, edits = seller_note_history(services.engine, team_id, note_id)
    return history_reply(
        _("History of seller note {note} about {seller}").format(
            note=note.id, seller=note.seller_name
        ),
        (note.author_user_id, note.created_at),
        edits,
        _fields(),
        services.settings.tz,
        page,
        asked,
    )
