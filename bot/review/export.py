"""The reviews as an Excel workbook: one row per review, one column per criterion, formula-safe
(bot.shared.workbooks), with the same headers the tracker import reads back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from bot.review.figures import FIGURE_LABELS
from bot.review.scorecard_texts import criterion_label
from bot.shared.language import N_, _
from bot.shared.workbooks import local_time, workbook
from storage.reviews.records import REVIEW_FIGURES, ReviewView
from storage.reviews.scorecard import CRITERIA

# The headers in English; a German workbook's are those the tracker import reads as German
# (storage.importers.reviews), so either imports back.
LEADING = (
    (N_("Review"), 8),
    (N_("Stream date"), 12),
    (N_("Start time"), 10),
    (N_("Seller"), 24),
    (N_("Seller ID"), 14),
    (N_("Category"), 18),
    (N_("Host"), 20),
    (N_("Stream link"), 30),
    (N_("Reviewer"), 12),
    (N_("Reviewer name"), 20),
)
TRAILING = (
    (N_("Total"), 8),
    (N_("Strengths"), 50),
    (N_("Improvements"), 50),
    (N_("Tags"), 24),
    (N_("Best practice"), 40),
)
FIGURES = tuple(
    (
        "GMV"
        if name == "gmv_cents"
        else N_("Avg. viewing time (s)")
        if name == "avg_view_seconds"
        else FIGURE_LABELS[name],
        12,
    )
    for name in REVIEW_FIGURES
)
CLOSING = ((N_("Reviewed at"), 17), (N_("Last edited"), 17))


def columns() -> tuple[tuple[str, int], ...]:
    """The headers and widths, in the answer's language."""
    criteria = ((criterion_label(c.label), 10) for c in CRITERIA)
    return (
        *((_(name), width) for name, width in LEADING),
        *criteria,
        *((_(name), width) for name, width in (*TRAILING, *FIGURES, *CLOSING)),
    )


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
    return workbook(_("Reviews"), columns(), rows)
