"""Block Kit for reviews: the card (scores as bars, figures against the seller's and the
category's averages, the three weakest LIVE metrics), list lines with More, and confirmations.

Review text is user text: escaped once here, so `<!channel>` in a review never pings anyone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ConfirmObject

from bot.kpi.format import NumberStyle
from bot.replies import Reply, context, escape, header, section, truncate
from bot.review.benchmarks import Comparison
from bot.review.figures import FIGURE_LABELS, figure_text
from storage.reviews import REVIEW_FIGURES, ReviewView
from storage.scorecard import CRITERIA, HIGHEST, IMPROVEMENT_TAGS

EDIT_REVIEW = "review_edit"
DELETE_REVIEW = "review_delete"
RESTORE_REVIEW = "review_restore"
MORE_REVIEWS = "review_more"
BAR_FULL, BAR_EMPTY = "█", "░"
LABEL_WIDTH = max(len(c.label) for c in CRITERIA)
TEXT_LIMIT = 2800


@dataclass(frozen=True)
class CardContext:
    """What the card sets a review's figures against."""

    seller_average: Mapping[str, float | None]
    category_average: Mapping[str, float | None]
    weakest: list[Comparison]
    style: NumberStyle


def stream_when(review: ReviewView) -> str:
    started = review.stream_started_at
    day = f"{started.day} {started:%b %Y}"
    # Reviews from before the start was asked for start at midnight: their time is unknown.
    return day if started.time() == time(0) else f"{day} {started:%H:%M}"


def bar(score: int) -> str:
    return BAR_FULL * score + BAR_EMPTY * (HIGHEST - score)


def score_lines(review: ReviewView) -> str:
    """The scores as bars in a code block, with the total and the average."""
    lines = [
        f"{c.label:<{LABEL_WIDTH}}  {bar(review.scores[c.key])} {review.scores[c.key]}"
        for c in CRITERIA
    ]
    lines.append(
        f"{'Total':<{LABEL_WIDTH}}  {review.total}/{HIGHEST * len(CRITERIA)} · "
        f"average {review.average:.1f}"
    )
    return "```" + "\n".join(lines) + "```"


def stream_link(review: ReviewView, label: str = "stream") -> str:
    return f"<{review.stream_url}|{label}>" if review.stream_url else ""


def title(review: ReviewView) -> str:
    return f"Review {review.id} · {review.seller_name} · {stream_when(review)}"


def tags_text(tags: list[str]) -> str:
    return " ".join(f"#{escape(t)}" for t in tags)


def facts(review: ReviewView) -> str:
    parts = [f"Host: {escape(review.host)}", f"reviewed by <@{review.reviewer_user_id}>"]
    if review.stream_url:
        parts.append(stream_link(review))
    if review.live_session_id:
        parts.append("figures from the LIVE export")
    if review.source_url:
        parts.append(f"<{review.source_url}|source>")
    if review.updated_at:
        parts.append("edited")
    return " · ".join(parts)


def figure_lines(review: ReviewView, against: CardContext) -> str:
    """Each figure the review has beside the seller's and the category's average stream."""
    style = against.style
    rows = [("", "this stream", "seller avg", "category avg")]
    for name in REVIEW_FIGURES:
        value = review.figures.get(name)
        if value is None:
            continue
        rows.append(
            (
                FIGURE_LABELS[name],
                figure_text(name, value, style),
                figure_text(name, against.seller_average.get(name), style),
                figure_text(name, against.category_average.get(name), style),
            )
        )
    if len(rows) == 1:
        return "_No figures for this stream: import its LIVE sessions export, or type them in._"
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        f"{row[0]:<{widths[0]}}  "
        + "  ".join(f"{cell:>{w}}" for cell, w in zip(row[1:], widths[1:], strict=True))
        for row in rows
    ]
    return "```" + "\n".join(lines) + "```"


def review_card(review: ReviewView, against: CardContext, *, buttons: bool = True) -> Reply:
    """The whole review, as `/review show` and a saved review answer."""
    blocks: list[Block] = [
        header(title(review)),
        context(facts(review)),
        section(score_lines(review)),
    ]
    if review.strengths:
        blocks.append(section(f"*Strengths*\n{escape(truncate(review.strengths, TEXT_LIMIT))}"))
    if review.improvements or review.tags:
        text = escape(truncate(review.improvements, TEXT_LIMIT))
        blocks.append(section(f"*Improvements* {tags_text(review.tags)}\n{text}".rstrip()))
    if review.best_practice:
        blocks.append(section(f"⭐ *Best practice*\n>{escape(review.best_practice)}"))
    blocks.append(section(f"*The stream's figures*\n{figure_lines(review, against)}"))
    if against.weakest:
        weakest = "\n".join(f"• {c.text()}" for c in against.weakest)
        blocks.append(section(f"*Weakest against the category's average stream*\n{weakest}"))
    if buttons:
        blocks.append(review_buttons(review.id))
    text = f"{title(review)}: {review.total}/{HIGHEST * len(CRITERIA)}"
    return Reply(text=text, blocks=blocks)


def review_buttons(review_id: int) -> ActionsBlock:
    confirm = ConfirmObject(
        title="Delete this review?",
        text="An admin can restore it within 30 days.",
        confirm="Delete",
        deny="Keep",
        style="danger",
    )
    return ActionsBlock(
        elements=[
            ButtonElement(text="Edit", action_id=EDIT_REVIEW, value=str(review_id)),
            ButtonElement(
                text="Delete",
                action_id=DELETE_REVIEW,
                value=str(review_id),
                style="danger",
                confirm=confirm,
            ),
        ]
    )


def list_line(review: ReviewView) -> str:
    link = f" · {stream_link(review)}" if review.stream_url else ""
    best = " · ⭐" if review.best_practice else ""
    return (
        f"*{review.id}* · {stream_when(review)} · {escape(review.seller_name)} · "
        f"{escape(review.host)} · *{review.average:.1f}*/5 · <@{review.reviewer_user_id}>"
        f"{link}{best}"
    )


@dataclass(frozen=True)
class ReviewListing:
    """What a list shows and where its next page starts (a More button carries it)."""

    heading: str
    seller_id: int | None = None
    host: str | None = None
    offset: int = 0
    total: int = 10

    def to_value(self) -> str:
        return json.dumps(
            {
                "h": self.heading[:300],
                "s": self.seller_id,
                "o": self.host,
                "f": self.offset,
                "t": self.total,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_value(cls, value: str) -> ReviewListing:
        data = json.loads(value)
        seller = data.get("s")
        return cls(
            heading=str(data.get("h", ""))[:300],
            seller_id=int(seller) if seller is not None else None,
            host=str(data["o"])[:200] if data.get("o") is not None else None,
            offset=max(0, int(data.get("f", 0))),
            total=max(1, min(200, int(data.get("t", 10)))),
        )


def list_reply(listing: ReviewListing, reviews: list[ReviewView], has_more: bool) -> Reply:
    if not reviews:
        text = f"No reviews {listing.heading} yet."
        return Reply(text=text, blocks=[section(text)])
    first = listing.offset + 1
    heading = f"*Reviews {escape(listing.heading)}* ({first}–{listing.offset + len(reviews)})"
    lines = "\n".join(list_line(r) for r in reviews)
    blocks: list[Block] = [
        section(heading),
        section(lines),
        context(f"`{escape('/review show <n>')}` opens one."),
    ]
    if has_more:
        more = ReviewListing(
            listing.heading,
            listing.seller_id,
            listing.host,
            listing.offset + len(reviews),
            listing.total,
        )
        blocks.append(
            ActionsBlock(
                elements=[ButtonElement(text="More", action_id=MORE_REVIEWS, value=more.to_value())]
            )
        )
    return Reply(text=f"Reviews {escape(listing.heading)}", blocks=blocks)


def deleted_reply(review: ReviewView) -> Reply:
    text = (
        f"🗑 Deleted review {review.id} ({escape(review.seller_name)}, {stream_when(review)}). "
        f"An admin can restore it within 30 days: `/review restore {review.id}`."
    )
    return Reply(text=text, blocks=[section(text)])


def deleted_list(reviews: list[ReviewView]) -> Reply:
    if not reviews:
        text = "No reviews were deleted in the last 30 days."
        return Reply(text=text, blocks=[section(text)])
    lines = "\n".join(f"{list_line(r)} · deleted by <@{r.deleted_by}>" for r in reviews[:40])
    text = f"*Deleted reviews* (restore with `{escape('/review restore <n>')}`)\n" + lines
    return Reply(text="Deleted reviews", blocks=[section(text)])


def vocabulary_text() -> str:
    return " · ".join(f"#{tag} ({meaning})" for tag, meaning in IMPROVEMENT_TAGS.items())
