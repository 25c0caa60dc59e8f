"""Block Kit for reviews: the card (scores as bars, figures against the seller's and the
category's averages, the three weakest LIVE metrics), list lines page by page, and confirmations.

Review text is user text: escaped once here, so `<!channel>` in a review never pings anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ConfirmObject

from bot.review.benchmarks import Comparison
from bot.review.figures import FIGURE_LABELS, figure_text
from bot.shared.charts import day_span
from bot.shared.commands import SlashCommand, usage_of
from bot.shared.numbers import NumberStyle
from bot.shared.pages import Asked, on_page, pager
from bot.shared.replies import Reply, context, escape, header, section, truncate
from bot.shared.sources import SESSIONS_EXPORT
from storage.reviews.live_sessions import SessionAverage
from storage.reviews.records import REVIEW_FIGURES, ReviewView
from storage.reviews.scorecard import CRITERIA, HIGHEST

EDIT_REVIEW = "review_edit"
DELETE_REVIEW = "review_delete"
PAGE_SIZE = 8  # reviews a page: about one phone screen
BAR_FULL, BAR_EMPTY = "█", "░"
LABEL_WIDTH = max(len(c.label) for c in CRITERIA)
TEXT_LIMIT = 2800
CODE_WIDTH = 42  # a code block's lines fit a phone held upright (devkit.terminal.PHONE_WIDTH)


@dataclass(frozen=True)
class CardContext:
    """What the card sets a review's figures against."""

    seller_average: SessionAverage
    category_average: SessionAverage
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
    return code(lines)


def code(lines: list[str]) -> str:
    """Lines as a code block, its fences on lines of their own (Slack shows none of them)."""
    return "```\n" + "\n".join(lines) + "\n```"


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
        parts.append(stream_source(review))
    if review.source_url:
        parts.append(f"<{review.source_url}|source>")
    if review.updated_at:
        parts.append("edited")
    return " · ".join(parts)


def stream_source(review: ReviewView) -> str:
    """Where the stream's figures come from: its session in the LIVE sessions export, said
    plainly when the export names another host than the review."""
    if review.session_host is not None and review.shows_other_host:
        return (
            f"figures from the {SESSIONS_EXPORT}: {escape(review.session_host)}'s stream, "
            "another host's"
        )
    return f"figures from the {SESSIONS_EXPORT}"


def average_source(name: str, average: SessionAverage, style: NumberStyle) -> str:
    """`seller avg per stream: LIVE sessions export, 12 streams 9 Aug–6 Dec`."""
    if not average.sessions or average.first is None or average.last is None:
        return f"{name} avg per stream: no sessions in the {SESSIONS_EXPORT}"
    streams = "stream" if average.sessions == 1 else "streams"
    return (
        f"{name} avg per stream: {SESSIONS_EXPORT}, {style.count(average.sessions)} {streams} "
        f"{day_span(average.first, average.last)}"
    )


def figures_sources(review: ReviewView, against: CardContext) -> str:
    """What each column of the figures is and where it comes from, with its span."""
    stream = (
        f"stream: {SESSIONS_EXPORT}, {stream_when(review)}"
        if review.live_session_id
        else "stream: as the reviewer typed them"
    )
    if review.live_session_id and review.session_host is not None and review.shows_other_host:
        stream += f" ({escape(review.session_host)}'s stream, another host's)"
    return " · ".join(
        (
            stream,
            average_source("seller", against.seller_average, against.style),
            average_source("category", against.category_average, against.style),
        )
    )


def figure_lines(review: ReviewView, against: CardContext) -> str:
    """Each figure the review has beside the seller's and the category's average stream, as a
    table at most CODE_WIDTH wide: a line a figure when it fits, else its name on a line and
    its three numbers under the column heads."""
    style = against.style
    rows = []
    for name in REVIEW_FIGURES:
        value = review.figures.get(name)
        if value is None:
            continue
        rows.append(
            (
                FIGURE_LABELS[name],
                figure_text(name, value, style),
                figure_text(name, against.seller_average.figures.get(name), style),
                figure_text(name, against.category_average.figures.get(name), style),
            )
        )
    if not rows:
        return "_No figures for this stream: import its LIVE sessions export, or type them in._"
    heads = ("stream", "seller", "category")
    widths = [max(len(h), *(len(row[i + 1]) for row in rows)) for i, h in enumerate(heads)]
    label = max(len(row[0]) for row in rows)

    def numbers(cells: tuple[str, ...]) -> str:
        return " ".join(f"{cell:>{w}}" for cell, w in zip(cells, widths, strict=True))

    if label + 1 + len(numbers(heads)) <= CODE_WIDTH:
        lines = [f"{'':<{label}} {numbers(heads)}"]
        lines += [f"{row[0]:<{label}} {numbers(row[1:])}" for row in rows]
    else:
        pad = " " * max(0, CODE_WIDTH - len(numbers(heads)))
        lines = [pad + numbers(heads)]
        for row in rows:
            lines += [row[0], pad + numbers(row[1:])]
    return code(lines)


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
    figures = figure_lines(review, against)
    blocks.append(section(f"*The stream's figures* beside the averages\n{figures}"))
    blocks.append(context(figures_sources(review, against)))
    if against.weakest:
        weakest = "\n".join(f"• {c.text()}" for c in against.weakest)
        blocks.append(section(f"*Weakest against the category's average stream*\n{weakest}"))
    if buttons:
        blocks.append(review_buttons(review.id))
    text = f"{escape(title(review))}: {review.total}/{HIGHEST * len(CRITERIA)}"
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
    """Which reviews a list shows (the team's, a seller's or a host's) and how many at most."""

    heading: str
    seller_id: int | None = None
    host: str | None = None
    total: int = 10


def list_reply(
    listing: ReviewListing,
    reviews: list[ReviewView],
    page: int,
    more: bool,
    asked: Asked,
    commands: Sequence[SlashCommand],
) -> Reply:
    """A page of reviews (PAGE_SIZE a page) with the pager to the others."""
    if not reviews:
        empty = f"No reviews {escape(listing.heading)} yet."
        text = empty if page == 1 else "No reviews on this page."
        return Reply(text=text, blocks=[section(text)])
    first = (page - 1) * PAGE_SIZE + 1
    heading = f"*Reviews {escape(listing.heading)}* ({first}–{first + len(reviews) - 1})"
    lines = "\n".join(list_line(r) for r in reviews)
    blocks: list[Block] = [
        section(heading),
        section(lines),
        context(f"`{escape(usage_of(commands, '/review', 'show'))}` opens one."),
        *pager(asked, page, more=more),
    ]
    return Reply(text=f"Reviews {escape(listing.heading)}", blocks=blocks)


def deleted_reply(review: ReviewView) -> Reply:
    text = (
        f"🗑 Deleted review {review.id} ({escape(review.seller_name)}, {stream_when(review)}). "
        f"An admin can restore it within 30 days: `/review restore {review.id}`."
    )
    return Reply(text=text, blocks=[section(text)])


def deleted_list(
    reviews: list[ReviewView], page: int, asked: Asked, commands: Sequence[SlashCommand]
) -> Reply:
    """The reviews deleted in the last 30 days, a page at a time."""
    if not reviews:
        text = "No reviews were deleted in the last 30 days."
        return Reply(text=text, blocks=[section(text)])
    shown, pages = on_page(reviews, page, PAGE_SIZE)
    lines = "\n".join(f"{list_line(r)} · deleted by <@{r.deleted_by}>" for r in shown)
    restore = escape(usage_of(commands, "/review", "restore"))
    text = f"*Deleted reviews* (restore with `{restore}`)\n" + lines
    return Reply(
        text="Deleted reviews",
        blocks=[section(text), *pager(asked, page, more=page < pages, pages=pages)],
    )
