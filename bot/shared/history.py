"""A record's edit history as a message: who changed what and when, newest edit first, page by
page.

Creator notes, seller notes and reviews keep each earlier version when they are edited
(storage.authored), a seller's profile each change to it (storage.sellers.profiles) and an
outreach pair each move (storage.matchmaking.outreach); each kind's `… history <n>`
(`/seller changes <seller>`, `/match history @handle <seller>`) reads them with the record and
shows them here, naming its fields and showing their values its own way (`Fields`). Times are
the team's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block

from bot.shared.days import local_day
from bot.shared.pages import Asked, on_page, pager
from bot.shared.replies import SECTION_TEXT_LIMIT, Reply, context, escape, header, section, truncate
from storage.authored import Edit

PAGE_SIZE = 5  # edits a page: an edit of a review may change a dozen fields
VALUE_LIMIT = 500  # of an old or new value: a long text is shortened, never split over lines
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")  # what a mention may hold; anything else is text


def plain_value(_field: str, value: Any) -> str:
    """A value as text: a list's items with commas, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class Fields:
    """How a kind names the fields its revisions keep and shows their values (unescaped);
    the values of `people` are Slack user IDs, shown as mentions."""

    labels: Mapping[str, str]
    value: Callable[[str, Any], str] = plain_value
    people: frozenset[str] = frozenset()

    def label(self, name: str) -> str:
        return self.labels.get(name, name.replace("_", " ").capitalize())


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """`3 Dec 2026 09:30`, in the team's time zone."""
    return f"{local_day(moment, tz)} {moment.astimezone(tz):%H:%M}"


def history_reply(
    title: str,
    written: tuple[str, datetime],
    edits: Sequence[Edit],
    fields: Fields,
    tz: ZoneInfo,
    page: int,
    asked: Asked,
    *,
    verb: str = "written",
) -> Reply:
    """Page `page` of the edits (oldest first, as storage reads them), newest first, under
    `title` and who brought the record into being and how (`written`: user ID or "" when not
    known, when; `verb`: `written`, `added with the form`…)."""
    author, at = written
    by = f" by <@{author}>" if author else ""
    intro = context(f"{escape(verb.capitalize())}{by} on {moment_text(at, tz)}")
    if not edits:
        text = f"{title}: not edited since it was {verb}."
        return Reply(
            text=escape(text),
            blocks=[header(title), intro, context(escape(f"Not edited since it was {verb}."))],
        )
    numbered = list(enumerate(edits, start=1))[::-1]
    shown, pages = on_page(numbered, page, PAGE_SIZE)
    blocks: list[Block] = [header(title), intro]
    for number, edit in shown:
        blocks += _edit_sections(number, len(edits), edit, fields, tz)
    if len(edits) > 1:
        first = (page - 1) * PAGE_SIZE + 1
        last = first + len(shown) - 1
        blocks.append(context(f"Edits {first}–{last} of {len(edits)}, newest first"))
    blocks += pager(asked, page, more=page < pages, pages=pages)
    count = "1 edit" if len(edits) == 1 else f"{len(edits)} edits"
    return Reply(text=escape(f"{title}: {count}"), blocks=blocks)


def _edit_sections(
    number: int, total: int, edit: Edit, fields: Fields, tz: ZoneInfo
) -> list[Block]:
    who = [f"<@{edit.edited_by}>"] if edit.edited_by else []
    via = [escape(edit.source)] if edit.source else []
    heading = [f"*Edit {number} of {total}*", moment_text(edit.edited_at, tz), *who, *via]
    lines = [" · ".join(heading)]
    for name, before, after in edit.changes:
        old, new = (_value(fields, name, value) for value in (before, after))
        lines.append(f"• *{escape(fields.label(name))}*: {old} → {new}")
    if edit.why:
        lines.append(f"• *Why*: “{escape(truncate(' '.join(edit.why.split()), VALUE_LIMIT))}”")
    if not edit.changes:
        lines.append("• _saved without a change_")
    return _sections(lines)


def _value(fields: Fields, name: str, value: Any) -> str:
    if name in fields.people and value and _USER_ID.fullmatch(str(value)):
        return f"<@{value}>"
    text = " ".join(fields.value(name, value).split())  # a note's lines, on one line here
    return escape(truncate(text, VALUE_LIMIT)) if text else "_(none)_"


def _sections(lines: list[str]) -> list[Block]:
    """The lines in as few sections as Slack's per-section limit allows."""
    sections: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > SECTION_TEXT_LIMIT - 100:
            sections.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    sections.append(section("\n".join(chunk)))
    return sections
