"""Reading a quick note: `/feedback @handle [@handle …] note text #tag [follow-up:YYYY-MM-DD]`
(handles, tags, periods and the note's text are read by bot.shared's readers).

Everything here is pure. Input a user can fix raises `UserError`, whose message is ready for
Slack (user text in it is quoted with `shown`) and whose usages say what to type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.shared.handles import handle_or_none, parse_handle
from bot.shared.language import _
from bot.shared.note_text import check_note_text, parse_follow_up
from bot.shared.periods import DEFAULT_LOCALE
from bot.shared.replies import shown
from bot.shared.slack_text import SlackText
from bot.shared.tags import tags_in
from storage.errors import Usage, UserError

MAX_CREATORS = 10  # handles at the start of one quick note
QUICK_USAGE = Usage("/feedback", "note")
FORM_USAGE = Usage("/feedback", "new")
_TRAILING_TAGS = re.compile(r"(?:(?:^|\s+)#[\w-]+)+\s*$")


@dataclass(frozen=True)
class QuickNote:
    handles: list[str]  # one or more, in the order typed; case-folded, without the @
    text: str  # as typed, less the trailing #tags
    tags: list[str]
    follow_up_on: date | None = None

    @property
    def handle(self) -> str:
        return self.handles[0]


def parse_quick_note(
    text: str,
    typed: SlackText | None = None,
    known: Callable[[str], bool] | None = None,
    *,
    today: date,
    locale: str = DEFAULT_LOCALE,
) -> QuickNote:
    """`@handle [@handle …] note text #tag #tag [follow-up:YYYY-MM-DD]` → QuickNote; the
    handles' words come first, the follow-up (read as `/seller note` reads it) last.

    A first word without @ is a handle only when `known(handle)` says the registry has it
    (otherwise it reads as a mistyped subcommand)."""
    words = text.strip().split(maxsplit=1)
    if not words:
        raise UserError(_("Say which creator the note is about."), [QUICK_USAGE, FORM_USAGE])
    first = words[0]
    if not first.startswith("@"):
        bare = handle_or_none(first)
        if bare is None or known is None or not known(bare):
            raise UserError(
                _("`/feedback` has no `{word}`.").format(word=shown(first)),
                [QUICK_USAGE, "/feedback help"],
            )
    handles: list[str] = []
    rest = text.strip()
    while rest:
        word = rest.split(maxsplit=1)[0]
        if handles and (not word.startswith("@") or handle_or_none(word) is None):
            break
        if handles and typed is not None and typed.user_id(word):
            break  # a colleague named in the note, not a creator it is about
        handle = parse_handle(word, QUICK_USAGE, typed)
        if len(handles) == MAX_CREATORS:
            most = _("One note is about at most {count} creators.").format(count=MAX_CREATORS)
            raise UserError(most, [QUICK_USAGE])
        if handle not in handles:
            handles.append(handle)
        rest = rest[len(word) :].strip()
    rest, follow_up = parse_follow_up(rest, today, QUICK_USAGE, locale)
    if not rest:
        after = _("Write the note after `@{handle}`.").format(handle=handles[-1])
        raise UserError(after, [QUICK_USAGE, FORM_USAGE])
    note = _TRAILING_TAGS.sub("", rest).strip()
    if not note:
        only = _("That is only tags: write the note itself before the #tags.")
        raise UserError(only, [QUICK_USAGE])
    check_note_text(note, QUICK_USAGE)
    return QuickNote(handles=handles, text=note, tags=tags_in(rest), follow_up_on=follow_up)
