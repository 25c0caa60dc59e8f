"""The notes as an Excel workbook (openpyxl, write-only so 100,000 notes stream through).

Text cells that start with `=`, `+`, `-` or `@` (or a tab or carriage return, which Excel skips
before such a character) get a leading apostrophe, so no note can ever run as a formula.
Times are the team's local time, as Excel has no time zones.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.feedback.inference import topic_label
from storage.feedback import NoteView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
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


def safe_text(value: str) -> str:
    """Text that a spreadsheet shows as typed and never evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None)


def notes_workbook(notes: Iterable[NoteView], tz: ZoneInfo, authors: Mapping[str, str]) -> bytes:
    """XLSX bytes: a header row, then one row per note; `authors` maps user IDs to names."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Notes")
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for name, _ in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    rows = 0
    for note in notes:
        rows += 1
        sheet.append(
            [
                note.id,
                _local(note.created_at, tz),
                note.handle,
                safe_text(note.creator_name),
                topic_label(note.topic),
                note.sentiment,
                safe_text(", ".join(note.tags)),
                safe_text(note.text),
                safe_text(authors.get(note.author_user_id, note.author_user_id)),
                note.follow_up_on,
                _local(note.follow_up_done_at, tz),
                safe_text(note.source_url or ""),
                _local(note.updated_at, tz) if note.updated_at != note.created_at else None,
            ]
        )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
