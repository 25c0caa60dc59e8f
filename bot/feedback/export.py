"""The notes as an Excel workbook (bot.shared.workbooks: text cells never formulas, the note exactly
as written, times in the team's local time)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from bot.feedback.inference import topic_label
from bot.shared.language import N_, _, pgettext
from bot.shared.workbooks import local_time, workbook
from storage.feedback.notes import NoteView

COLUMNS = (
    (N_("Note"), 8),
    (N_("Written"), 17),
    (N_("Creator"), 22),
    (N_("Creator name"), 22),
    (N_("Topic"), 12),
    (N_("Sentiment"), 10),
    (N_("Tags"), 24),
    (N_("Note text"), 80),
    (N_("Author"), 20),
    (N_("Follow up on"), 12),
    (N_("Follow-up done"), 17),
    (N_("Source"), 30),
    (N_("Last edited"), 17),
)


def _sentiment(sentiment: str) -> str:
    """A note's sentiment as the workbook writes it: `positive` · `positiv`."""
    words = {
        "positive": pgettext("a note's sentiment, in the export", "positive"),
        "neutral": pgettext("a note's sentiment, in the export", "neutral"),
        "negative": pgettext("a note's sentiment, in the export", "negative"),
    }
    return words.get(sentiment, sentiment)


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
            _sentiment(note.sentiment),
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
    columns = [(_(name), width) for name, width in COLUMNS]
    return workbook(_("Notes"), columns, rows)
