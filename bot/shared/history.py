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

from bot.shared.days import clock, local_day
from bot.shared.language import N_, _, ngettext
from bot.shared.pages import Asked, on_page, pager
from bot.shared.replies import SECTION_TEXT_LIMIT, Reply, context, escape, header, section, truncate
from storage.authored import Edit

PAGE_SIZE = 5  # edits a page: an edit of a review may change a dozen fields
VALUE_LIMIT = 500  # of an old or new value: a long text is shortened, never split over lines
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")  # what a mention may hold; anything else is text
WRITTEN = N_("written")


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
        """The field's label in the answer's language (the kinds mark theirs with `N_`)."""
        if name in self.labels:
            return _(self.labels[name])
        return name.replace("_", " ").capitalize()


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """`3 Dec 2026 09:30` · `03.12.2026 09:30 Uhr`, in the team's time zone."""
    return f"{local_day(moment, tz)} {clock(moment.astimezone(tz))}"


def history_reply(
    title: str,
    written: tuple[str, datetime],
    edits: Sequence[Edit],
    fields: Fields,
    tz: ZoneInfo,
    page: int,
    asked: Asked,
    *,
    verb: str = WRITTEN,
) -> Reply:
    """Page `page` of the edits (oldest first, as storage reads them), newest first, under
    `title` and who brought the record into being and how (`written`: user ID or "" when not
    known, when; `verb`: `written`, `added with the form`…, a past participle each kind marks
    with `N_` and this shows in the answer's language)."""
    author, at = written
    verb = _(verb)
    done = escape(verb[:1].upper() + verb[1:])
    moment = moment_text(at, tz)
    if author:
        said = _("{verb} by {author} on {moment}").format(
            verb=done, author=f"<@{author}>", moment=moment
        )
    else:
        said = _("{verb} on {moment}").format(verb=done, moment=moment)
    intro = context(said)
    if not edits:
        text = _("{title}: not edited since it was {verb}.").format(title=title, verb=verb)
        unedited = _("Not edited since it was {verb}.").format(verb=verb)
        return Reply(text=escape(text), blocks=[header(title), intro, context(escape(unedited))])
    numbered = list(enumerate(edits, start=1))[::-1]
    shown, pages = on_page(numbered, page, PAGE_SIZE)
    blocks: list[Block] = [header(title), intro]
    for number, edit in shown:
        blocks += _edit_sections(number, len(edits), edit, fields, tz)
    if len(edits) > 1:
        first = (page - 1) * PAGE_SIZE + 1
        last = first + len(shown) - 1
        edits_shown = _("Edits {first}–{last} of {total}, newest first")
        blocks.append(context(edits_shown.format(first=first, last=last, total=len(edits))))
    blocks += pager(asked, page, more=page < pages, pages=pages)
    count = ngettext("{count} edit", "{count} edits", len(edits)).format(count=len(edits))
    return Reply(text=escape(f"{title}: {count}"), blocks=blocks)


def _edit_sections(
    number: int, total: int, edit: Edit, fields: Fields, tz: ZoneInfo
) -> list[Block]:
    who = [f"<@{edit.edited_by}>"] if edit.edited_by else []
    via = [escape(edit.source)] if edit.source else []
    edit_number = _("*Edit {number} of {total}*").format(number=number, total=total)
    heading = [edit_number, moment_text(edit.edited_at, tz), *who, *via]
    lines = [" · ".join(heading)]
    for name, before, after in edit.changes:
        old, new = (_value(fields, name, value) for value in (before, after))
        lines.append(f"• *{escape(fields.label(name))}*: {old} → {new}")
    if edit.why:
        why = escape(truncate(" ".join(edit.why.split()), VALUE_LIMIT))
        lines.append("• " + _("*Why*: “{why}”").format(why=why))
    if not edit.changes:
        lines.append("• " + _("_saved without a change_"))
    return _sections(lines)


def _value(fields: Fields, name: str, value: Any) -> str:
    if name in fields.people and value and _USER_ID.fullmatch(str(value)):
        return f"<@{value}>"
    text = " ".join(fields.value(name, value).split())  # a note's lines, on one line here
    return escape(truncate(text, VALUE_LIMIT)) if text else _("_(none)_")


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
