"""The notes as an Excel workbook (bot.shared.workbooks: text cells never formulas, the note exactly
as written, times in the team's local time)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from bot.feedback.inference import topic_label
from bot.shared.workbooks import local_time, workbook
from storage.feedback.notes import NoteView

COLUMNS = (
    ("Note", 8),
    ("Written", 17),
    ("Creator", 22),
    ("Creator name", 22),
    ("Topic", 12),
    ("Sentiment", 10),
    ("Tags", 24),
    ("Note text", 80),
    ("Author", 20),
    ("Follow up on", 12),
    ("Follow-up done", 17),
    ("Source", 30),
    ("Last edited", 17),
)


def notes_workbook(notes: Iterable[NoteView], tz: ZoneInfo, authors: Mapping[str, str]) -> bytes:
    """XLSX bytes: a header row, then one row per note; `authors` maps user IDs to names (an
    author it lacks is shown by user ID)."""
    rows = (
        [
            note.id,
            local_time(note.created_at, tz),
            note.handle,
            note.creator_name,
            topic_label(note.topic),
            note.sentiment,
            ", ".join(note.tags),
            note.text,
            authors.get(note.author_user_id, note.author_user_id),
            note.follow_up_on,
            local_time(note.follow_up_done_at, tz),
            note.source_url or "",
            local_time(note.updated_at, tz) if note.updated_at != note.created_at else None,
        ]
        for note in notes
    )
    return workbook("Notes", COLUMNS, rows)
