"""What every kind of note (creator notes, seller notes) reads alike: its text, and the
`follow-up:YYYY-MM-DD` that may end it."""

from __future__ import annotations

import re
from datetime import date

from bot.shared.language import _
from bot.shared.replies import shown
from storage.authored import note_of_length
from storage.errors import UsageLine, UserError

_FOLLOW_UP = re.compile(r"(?:^|\s)follow-?up:(?P<day>.*)$", re.IGNORECASE | re.DOTALL)


def check_note_text(text: str, usage: UsageLine | None = None) -> str:
    if not text.strip():
        raise UserError(
            _("The note is empty: write what the creator said."), [usage] if usage else []
        )
    return note_of_length(text, usage)


def parse_follow_up(text: str, today: date, usage: UsageLine) -> tuple[str, date | None]:
    """The text without a trailing `follow-up:YYYY-MM-DD`, and that day (today or later);
    UserError, with `usage`, for what is not a date or is a past one."""
    match = _FOLLOW_UP.search(text)
    if match is None:
        return text, None
    try:
        day = date.fromisoformat(match["day"].strip())
    except ValueError:
        typed = shown(match["day"].strip()) or _("nothing")
        raise UserError(
            _("`{typed}` is not a date: write the follow-up as `follow-up:2026-12-15`.").format(
                typed=typed
            ),
            [usage],
        ) from None
    if day < today:
        raise UserError(
            _("The follow-up date {day} is in the past: pick today or a later day.").format(
                day=day.isoformat()
            ),
            [usage],
        )
    return text[: match.start()].rstrip(), day
