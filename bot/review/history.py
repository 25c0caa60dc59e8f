"""A review's edit history (`/review history <n>`): what each edit changed of the stream, the
host, the scores, the notes and the figures, shown as every record's history is
(bot.shared.history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.review.figures import FIGURE_LABELS, figure_text
from bot.review.service import number_style
from bot.services import Services
from bot.shared.days import day_text
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.creators.registry import CreatorNotFound, get_creator
from storage.reviews.records import REVIEW_FIGURES, review_history
from storage.reviews.scorecard import SCORECARD_LABELS
from storage.sellers.search import seller_by_id

# The fields a revision keeps (storage.reviews.records: `score_<criterion>` and each figure apart),
# named as the form and the card name them.
LABELS: dict[str, str] = {
    "seller_id": "Seller",
    "stream_started_at": "Stream",
    **{f"score_{key}": f"{label} (score)" for key, label in SCORECARD_LABELS.items()},
    "host_name": "Host",
    "creator_id": "Host from the registry",
    "stream_url": "Stream link",
    "strengths": "Strengths",
    "improvements": "Improvements",
    "tags": "Improvement tags",
    "best_practice": "Best practice",
    **FIGURE_LABELS,
    "live_session_id": "LIVE session",
}


def _fields(services: Services, team_id: str) -> Fields:
    def value(name: str, value: Any) -> str:
        if value is None:
            return ""
        if name == "seller_id":
            seller = seller_by_id(services.engine, team_id, value)
            return seller.name if seller is not None else "(seller removed)"
        if name == "creator_id":
            try:
                return f"@{get_creator(services.engine, team_id, value).handle}"
            except CreatorNotFound:
                return "(creator removed)"
        if name == "stream_started_at":  # the shop's wall-clock time, as ISO text
            started = datetime.fromisoformat(value)
            return f"{day_text(started.date())} {started:%H:%M}"
        if name == "tags":
            return " ".join(f"#{tag}" for tag in value)
        if name in REVIEW_FIGURES:
            return figure_text(name, value, number_style(services))
        if name == "live_session_id":
            return f"session {value}"
        return plain_value(name, value)

    return Fields(LABELS, value)


def review_history_reply(
    services: Services, team_id: str, review_id: int, page: int, asked: Asked
) -> Reply:
    """The review's edits, newest first, for whoever may read the review (ReviewNotFound when
    the workspace has no such review, or saying who deleted it)."""
    review, edits = review_history(services.engine, team_id, review_id)
    return history_reply(
        f"History of review {review.id}: {review.seller_name}, {review.host}",
        (review.reviewer_user_id, review.created_at),
        edits,
        _fields(services, team_id),
        services.settings.tz,
        page,
        asked,
    )
