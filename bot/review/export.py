"""The reviews as an Excel workbook: one row per review, one column per criterion, formula-safe
(bot.feedback.export's text cells), with the same headers the tracker import reads back."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from bot.feedback.export import local_time, text_cell
from bot.review.figures import FIGURE_LABELS
from storage.reviews import REVIEW_FIGURES, ReviewView
from storage.scorecard import CRITERIA

LEADING = (
    ("Review", 8),
    ("Stream date", 12),
    ("Start time", 10),
    ("Seller", 24),
    ("Seller ID", 14),
    ("Category", 18),
    ("Host", 20),
    ("Stream link", 30),
    ("Reviewer", 12),
    ("Reviewer name", 20),
)
TRAILING = (
    ("Total", 8),
    ("Strengths", 50),
    ("Improvements", 50),
    ("Tags", 24),
    ("Best practice", 40),
)
FIGURES = tuple(
    (
        "GMV"
        if name == "gmv_cents"
        else "Avg. viewing time (s)"
        if name == "avg_view_seconds"
        else FIGURE_LABELS[name],
        12,
    )
    for name in REVIEW_FIGURES
)
CLOSING = (("Reviewed at", 17), ("Last edited", 17))
COLUMNS = (*LEADING, *((c.label, 10) for c in CRITERIA), *TRAILING, *FIGURES, *CLOSING)


def _figure(name: str, value: int | None) -> float | int | None:
    if value is None:
        return None
    return value / 100 if name == "gmv_cents" else value


def reviews_workbook(
    reviews: Iterable[ReviewView], tz: ZoneInfo, names: Mapping[str, str]
) -> bytes:
    """XLSX bytes: a header row, then one row per review; `names` maps reviewers' user IDs
    to names (the ID is kept in its own column, so the file imports back)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Reviews")
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
    for review in reviews:
        rows += 1
        started = review.stream_started_at
        sheet.append(
            [
                review.id,
                review.stream_date,
                f"{started:%H:%M}",
                text_cell(sheet, review.seller_name),
                text_cell(sheet, review.seller_key),
                text_cell(sheet, review.seller_category),
                text_cell(sheet, review.host if review.host_handle or review.host_name else ""),
                text_cell(sheet, review.stream_url or ""),
                review.reviewer_user_id,
                text_cell(sheet, names.get(review.reviewer_user_id, "")),
                *(review.scores[c.key] for c in CRITERIA),
                review.total,
                text_cell(sheet, review.strengths),
                text_cell(sheet, review.improvements),
                text_cell(sheet, " ".join(f"#{t}" for t in review.tags)),
                text_cell(sheet, review.best_practice or ""),
                *(_figure(name, review.figures.get(name)) for name in REVIEW_FIGURES),
                local_time(review.created_at, tz),
                local_time(review.updated_at, tz),
            ]
        )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{rows + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
