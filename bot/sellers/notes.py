"""Seller notes as messages: the answer to a saved note, the log, and search results."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.sellers.listing import line_sections
from bot.shared.days import day_text, local_day
from bot.shared.language import _
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
        late = " " + _("(overdue)") if not done and note.follow_up_on < today else ""
        state = " " + _("done") if done else late
        follow = f" ⏰ {day_text(note.follow_up_on)}{state}"
    edited = " " + _("_(edited)_") if note.updated_at != note.created_at else ""
    return (
        f"`#{note.id}` {local_day(note.created_at, tz)} · <@{note.author_user_id}> · {seller}"
        f"{escape(truncate(note.text, 600))}{tags}{follow}{edited}"
    )


def saved_reply(note: SellerNoteView, tz: ZoneInfo, today: date) -> Reply:
    line = note_line(note, tz, today, with_seller=True)
    text = _("Saved seller note {note} about {seller}.").format(
        note=note.id, seller=escape(note.seller_name)
    )
    edit = escape("/seller edit {note} {text}".format(note=note.id, text=_("<text>")))
    return Reply(
        text=text,
        blocks=[
            *line_sections([f":memo: {text}", line]),
            context(
                _("Edit: `{edit}` · delete: `/seller delete {note}`").format(
                    edit=edit, note=note.id
                )
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
    order: str | None = None,
) -> Reply:
    """A page of seller notes (LOG_PAGE a page) with the pager to the others (`order`: how
    they are sorted, newest first unless said)."""
    if not page.notes:
        empty = _("{title}: no notes on this page.") if page.offset else _("{title}: no notes yet.")
        return Reply(text=empty.format(title=escape(title)))
    lines = [note_line(n, tz, today, with_seller=with_seller) for n in page.notes]
    shown = _("notes {first}–{last}").format(first=page.offset + 1, last=page.offset + len(lines))
    order = order if order is not None else _("newest first")
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
