"""A review's edit history (`/review history <n>`): what each edit changed of the stream, the
host, the scores, the notes and the figures, shown as every record's history is
(bot.shared.history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.review.cards import host_of, started_text
from bot.review.figures import FIGURE_LABELS, figure_text
from bot.review.scorecard_texts import criterion_label
from bot.review.service import number_style
from bot.services import Services
from bot.shared.history import Fields, history_reply, plain_value
from bot.shared.language import N_, _
from bot.shared.pages import Asked
from bot.shared.replies import Reply
from storage.creators.registry import CreatorNotFound, get_creator
from storage.reviews.records import REVIEW_FIGURES, review_history
from storage.reviews.scorecard import SCORECARD_LABELS
from storage.sellers.search import seller_by_id

# The fields a revision keeps (storage.reviews.records: `score_<criterion>` and each figure apart),
# named as the form and the card name them.
LABELS: dict[str, str] = {
    "seller_id": N_("Seller"),
    "stream_started_at": N_("Stream"),
    "host_name": N_("Host"),
    "creator_id": N_("Host from the registry"),
    "stream_url": N_("Stream link"),
    "strengths": N_("Strengths"),
    "improvements": N_("Improvements"),
    "tags": N_("Improvement tags"),
    "best_practice": N_("Best practice"),
    **FIGURE_LABELS,
    "live_session_id": N_("LIVE session"),
}


def labels() -> dict[str, str]:
    """The fields' names in the answer's language, a score's as `Opening hook (score)`."""
    scores = {
        f"score_{key}": _("{criterion} (score)").format(criterion=criterion_label(label))
        for key, label in SCORECARD_LABELS.items()
    }
    return scores | {name: _(label) for name, label in LABELS.items()}


def _fields(services: Services, team_id: str) -> Fields:
    def value(name: str, value: Any) -> str:
        if value is None:
            return ""
        if name == "seller_id":
            seller = seller_by_id(services.engine, team_id, value)
            return seller.name if seller is not None else _("(seller removed)")
        if name == "creator_id":
            try:
                return f"@{get_creator(services.engine, team_id, value).handle}"
            except CreatorNotFound:
                return _("(creator removed)")
        if name == "stream_started_at":  # the shop's wall-clock time, as ISO text
            return started_text(datetime.fromisoformat(value))
        if name == "tags":
            return " ".join(f"#{tag}" for tag in value)
        if name in REVIEW_FIGURES:
            return figure_text(name, value, number_style(services))
        if name == "live_session_id":
            return _("session {number}").format(number=value)
        return plain_value(name, value)

    return Fields(labels(), value)


def review_history_reply(
    services: Services, team_id: str, review_id: int, page: int, asked: Asked
) -> Reply:
    """The review's edits, newest first, for whoever may read the review (ReviewNotFound when
    the workspace has no such review, or saying who deleted it)."""
    review, edits = review_history(services.engine, team_id, review_id)
    return history_reply(
        _("History of review {review}: {seller}, {host}").format(
            review=review.id, seller=review.seller_name, host=host_of(review)
        ),
        (review.reviewer_user_id, review.created_at),
        edits,
        _fields(services, team_id),
        services.settings.tz,
        page,
        asked,
    )
