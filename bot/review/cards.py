"""Block Kit for reviews: the card (scores as bars, figures against the seller's and the
category's averages, the three weakest LIVE metrics), list lines page by page, and confirmations.

Review text is user text: escaped once here, so `<!channel>` in a review never pings anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, ConfirmObject

from bot.review.benchmarks import Comparison
from bot.review.figures import figure_label, figure_text
from bot.review.scorecard_texts import criterion_label
from bot.shared.charts import day_span
from bot.shared.commands import SlashCommand, usage_of
from bot.shared.days import clock, day_text
from bot.shared.language import _, ngettext
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
TEXT_LIMIT = 2800
CODE_WIDTH = 42  # a code block's lines fit a phone held upright (devkit.terminal.PHONE_WIDTH)


@dataclass(frozen=True)
class CardContext:
    """What the card sets a review's figures against."""

    seller_average: SessionAverage
    category_average: SessionAverage
    weakest: list[Comparison]
    style: NumberStyle


def started_text(started: datetime) -> str:
    """`2 Dec 2026 19:00` · `02.12.2026 19:00 Uhr`: a stream's start on the shop's clock."""
    return f"{day_text(started.date())} {clock(started)}"


def stream_when(review: ReviewView) -> str:
    started = review.stream_started_at
    # Reviews from before the start was asked for start at midnight: their time is unknown.
    return day_text(started.date()) if started.time() == time(0) else started_text(started)


def host_of(review: ReviewView) -> str:
    """How the host is named (`@maria.makes`, `Ana`), or the seller's own host, unnamed."""
    return review.host if review.host_handle or review.host_name else _("own host")


def bar(score: int) -> str:
    return BAR_FULL * score + BAR_EMPTY * (HIGHEST - score)


def score_average(review: ReviewView, style: NumberStyle) -> str:
    """A review's average score with one decimal (`3.3` · `3,3`)."""
    return style.decimal(round(review.average, 1))


def score_lines(review: ReviewView, style: NumberStyle) -> str:
    """The scores as bars in a code block, with the total and the average."""
    labels = {c.key: criterion_label(c.label) for c in CRITERIA}
    total = _("Total")
    width = max(len(total), *(len(label) for label in labels.values()))
    lines = [
        f"{labels[c.key]:<{width}}  {bar(review.scores[c.key])} {review.scores[c.key]}"
        for c in CRITERIA
    ]
    summed = _("{total}/{most} · average {average}").format(
        total=review.total, most=HIGHEST * len(CRITERIA), average=score_average(review, style)
    )
    lines.append(f"{total:<{width}}  {summed}")
    return code(lines)


def code(lines: list[str]) -> str:
    """Lines as a code block, its fences on lines of their own (Slack shows none of them)."""
    return "```\n" + "\n".join(lines) + "\n```"


def stream_link(review: ReviewView, label: str | None = None) -> str:
    shown = label if label is not None else _("stream")
    return f"<{review.stream_url}|{shown}>" if review.stream_url else ""


def title(review: ReviewView) -> str:
    return _("Review {review} · {seller} · {when}").format(
        review=review.id, seller=review.seller_name, when=stream_when(review)
    )


def tags_text(tags: list[str]) -> str:
    return " ".join(f"#{escape(t)}" for t in tags)


def facts(review: ReviewView) -> str:
    parts = [
        _("Host: {host}").format(host=escape(host_of(review))),
        _("reviewed by <@{user}>").format(user=review.reviewer_user_id),
    ]
    if review.stream_url:
        parts.append(stream_link(review))
    if review.live_session_id:
        parts.append(stream_source(review))
    if review.source_url:
        source = _("source")
        parts.append(f"<{review.source_url}|{source}>")
    if review.updated_at:
        parts.append(_("edited"))
    return " · ".join(parts)


def stream_source(review: ReviewView) -> str:
    """Where the stream's figures come from: its session in the LIVE sessions export, said
    plainly when the export names another host than the review."""
    if review.session_host is not None and review.shows_other_host:
        return _("figures from the {export}: {host}'s stream, another host's").format(
            export=_(SESSIONS_EXPORT), host=escape(review.session_host)
        )
    return _("figures from the {export}").format(export=_(SESSIONS_EXPORT))


def average_source(heading: str, average: SessionAverage, style: NumberStyle) -> str:
    """`seller avg per stream: LIVE sessions export, 12 streams 9 Aug–6 Dec` (`heading`: the
    column's, in the answer's language)."""
    if not average.sessions or average.first is None or average.last is None:
        return _("{column} avg per stream: no sessions in the {export}").format(
            column=heading, export=_(SESSIONS_EXPORT)
        )
    streams = ngettext("{count} stream", "{count} streams", average.sessions).format(
        count=style.count(average.sessions)
    )
    return _("{column} avg per stream: {export}, {streams} {span}").format(
        column=heading,
        export=_(SESSIONS_EXPORT),
        streams=streams,
        span=day_span(average.first, average.last),
    )


def column_heads() -> tuple[str, str, str]:
    """The figures' columns: the stream's, the seller's and the category's average stream."""
    return (_("stream"), _("seller"), _("category"))


def figures_sources(review: ReviewView, against: CardContext) -> str:
    """What each column of the figures is and where it comes from, with its span."""
    stream_head, seller_head, category_head = column_heads()
    stream = (
        _("{column}: {export}, {when}").format(
            column=stream_head, export=_(SESSIONS_EXPORT), when=stream_when(review)
        )
        if review.live_session_id
        else _("{column}: as the reviewer typed them").format(column=stream_head)
    )
    if review.live_session_id and review.session_host is not None and review.shows_other_host:
        stream += " " + _("({host}'s stream, another host's)").format(
            host=escape(review.session_host)
        )
    return " · ".join(
        (
            stream,
            average_source(seller_head, against.seller_average, against.style),
            average_source(category_head, against.category_average, against.style),
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
                figure_label(name),
                figure_text(name, value, style),
                figure_text(name, against.seller_average.figures.get(name), style),
                figure_text(name, against.category_average.figures.get(name), style),
            )
        )
    if not rows:
        return _("_No figures for this stream: import its {export}, or type them in._").format(
            export=_(SESSIONS_EXPORT)
        )
    heads = column_heads()
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
        section(score_lines(review, against.style)),
    ]
    if review.strengths:
        strengths = escape(truncate(review.strengths, TEXT_LIMIT))
        blocks.append(section(_("*Strengths*") + f"\n{strengths}"))
    if review.improvements or review.tags:
        text = escape(truncate(review.improvements, TEXT_LIMIT))
        heading = _("*Improvements*")
        blocks.append(section(f"{heading} {tags_text(review.tags)}\n{text}".rstrip()))
    if review.best_practice:
        blocks.append(section("⭐ " + _("*Best practice*") + f"\n>{escape(review.best_practice)}"))
    figures = figure_lines(review, against)
    blocks.append(section(_("*The stream's figures* beside the averages") + f"\n{figures}"))
    blocks.append(context(figures_sources(review, against)))
    if against.weakest:
        weakest = "\n".join(f"• {c.text(against.style)}" for c in against.weakest)
        heading = _("*Weakest against the category's average stream*")
        blocks.append(section(f"{heading}\n{weakest}"))
    if buttons:
        blocks.append(review_buttons(review.id))
    text = f"{escape(title(review))}: {review.total}/{HIGHEST * len(CRITERIA)}"
    return Reply(text=text, blocks=blocks)


def review_buttons(review_id: int) -> ActionsBlock:
    confirm = ConfirmObject(
        title=_("Delete this review?"),
        text=_("An admin can restore it within 30 days."),
        confirm=_("Delete"),
        deny=_("Keep"),
        style="danger",
    )
    return ActionsBlock(
        elements=[
            ButtonElement(text=_("Edit"), action_id=EDIT_REVIEW, value=str(review_id)),
            ButtonElement(
                text=_("Delete"),
                action_id=DELETE_REVIEW,
                value=str(review_id),
                style="danger",
                confirm=confirm,
            ),
        ]
    )


def list_line(review: ReviewView, style: NumberStyle) -> str:
    link = f" · {stream_link(review)}" if review.stream_url else ""
    best = " · ⭐" if review.best_practice else ""
    return (
        f"*{review.id}* · {stream_when(review)} · {escape(review.seller_name)} · "
        f"{escape(host_of(review))} · *{score_average(review, style)}*/5 · "
        f"<@{review.reviewer_user_id}>{link}{best}"
    )


@dataclass(frozen=True)
class ReviewListing:
    """Which reviews a list shows (the team's, a seller's or a host's) and how many at most."""

    heading: str  # `of the team`, `of Casa Bonita`, in the answer's language
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
    style: NumberStyle,
) -> Reply:
    """A page of reviews (PAGE_SIZE a page) with the pager to the others."""
    whose = escape(listing.heading)
    if not reviews:
        empty = _("No reviews {whose} yet.").format(whose=whose)
        text = empty if page == 1 else _("No reviews on this page.")
        return Reply(text=text, blocks=[section(text)])
    first = (page - 1) * PAGE_SIZE + 1
    heading = _("*Reviews {whose}* ({first}–{last})").format(
        whose=whose, first=first, last=first + len(reviews) - 1
    )
    lines = "\n".join(list_line(r, style) for r in reviews)
    show = escape(usage_of(commands, "/review", "show"))
    blocks: list[Block] = [
        section(heading),
        section(lines),
        context(_("`{usage}` opens one.").format(usage=show)),
        *pager(asked, page, more=more),
    ]
    return Reply(text=_("Reviews {whose}").format(whose=whose), blocks=blocks)


def deleted_reply(review: ReviewView) -> Reply:
    text = _(
        "🗑 Deleted review {review} ({seller}, {when}). An admin can restore it within 30 days: "
        "`/review restore {review}`."
    ).format(review=review.id, seller=escape(review.seller_name), when=stream_when(review))
    return Reply(text=text, blocks=[section(text)])


def deleted_list(
    reviews: list[ReviewView],
    page: int,
    asked: Asked,
    commands: Sequence[SlashCommand],
    style: NumberStyle,
) -> Reply:
    """The reviews deleted in the last 30 days, a page at a time."""
    if not reviews:
        text = _("No reviews were deleted in the last 30 days.")
        return Reply(text=text, blocks=[section(text)])
    shown, pages = on_page(reviews, page, PAGE_SIZE)
    lines = "\n".join(
        _("{line} · deleted by <@{user}>").format(line=list_line(r, style), user=r.deleted_by)
        for r in shown
    )
    restore = escape(usage_of(commands, "/review", "restore"))
    text = _("*Deleted reviews* (restore with `{usage}`)").format(usage=restore) + "\n" + lines
    return Reply(
        text=_("Deleted reviews"),
        blocks=[section(text), *pager(asked, page, more=page < pages, pages=pages)],
    )
