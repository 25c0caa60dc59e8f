"""The reviews as an Excel workbook: one row per review, one column per criterion, formula-safe
(bot.shared.workbooks), with the same headers the tracker import reads back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from bot.review.figures import FIGURE_LABELS
from bot.shared.workbooks import local_time, workbook
from storage.reviews.records import REVIEW_FIGURES, ReviewView
from storage.reviews.scorecard import CRITERIA

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
    rows = (
        [
            review.id,
            review.stream_date,
            f"{review.stream_started_at:%H:%M}",
            review.seller_name,
            review.seller_key,
            review.seller_category,
            review.host if review.host_handle or review.host_name else "",
            review.stream_url or "",
            review.reviewer_user_id,
            names.get(review.reviewer_user_id, ""),
            *(review.scores[c.key] for c in CRITERIA),
            review.total,
            review.strengths,
            review.improvements,
            " ".join(f"#{t}" for t in review.tags),
            review.best_practice or "",
            *(_figure(name, review.figures.get(name)) for name in REVIEW_FIGURES),
            local_time(review.created_at, tz),
            local_time(review.updated_at, tz),
        ]
        for review in reviews
    )
    return workbook("Reviews", COLUMNS, rows)
