"""Seller notes as messages: the answer to a saved note, the log, and search results."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.sellers.listing import line_sections
from bot.shared.days import day_text, local_day
from bot.shared.pages import Asked, pager
from bot.shared.replies import Reply, context, escape, header, truncate
from storage.sellers.notes import SellerNotePage, SellerNoteView

LOG_PAGE = 10


def note_line(note: SellerNoteView, tz: ZoneInfo, today: date, *, with_seller: bool) -> str:
    """`#12 · 3 Dec 2026 · @maria · Casa Bonita: text #tags ⏰ 10 Dec 2026` (user text
    escaped, so markup and mentions in a note are shown, never acted on)."""
    seller = f"*{escape(note.seller_name)}* · " if with_seller else ""
    tags = " " + escape(" ".join(f"#{t}" for t in note.tags)) if note.tags else ""
    follow = ""
    if note.follow_up_on is not None:
        done = note.follow_up_done_at is not None
        late = " (overdue)" if not done and note.follow_up_on < today else ""
        follow = f" ⏰ {day_text(note.follow_up_on)}{' done' if done else late}"
    edited = " _(edited)_" if note.updated_at != note.created_at else ""
    return (
        f"`#{note.id}` {local_day(note.created_at, tz)} · <@{note.author_user_id}> · {seller}"
        f"{escape(truncate(note.text, 600))}{tags}{follow}{edited}"
    )


def saved_reply(note: SellerNoteView, tz: ZoneInfo, today: date) -> Reply:
    line = note_line(note, tz, today, with_seller=True)
    text = f"Saved seller note {note.id} about {escape(note.seller_name)}."
    return Reply(
        text=text,
        blocks=[
            *line_sections([f":memo: {text}", line]),
            context(
                f"Edit: `{escape(f'/seller edit {note.id} <text>')}` · "
                f"delete: `/seller delete {note.id}`"
            ),
        ],
    )


def page_reply(
    title: str,
    page: SellerNotePage,
    tz: ZoneInfo,
    today: date,
    *,
    with_seller: bool,
    asked: Asked,
    order: str = "newest first",
) -> Reply:
    """A page of seller notes (LOG_PAGE a page) with the pager to the others."""
    if not page.notes:
        empty = " on this page." if page.offset else " yet."
        return Reply(text=f"{escape(title)}: no notes{empty}")
    lines = [note_line(n, tz, today, with_seller=with_seller) for n in page.notes]
    shown = f"notes {page.offset + 1}–{page.offset + len(lines)}"
    number = page.offset // LOG_PAGE + 1
    return Reply(
        text=f"{escape(title)} ({shown})",
        blocks=[
            header(title),
            *line_sections(lines),
            context(f"{shown}, {order}"),
            *pager(asked, number, more=page.has_more),
        ],
    )
