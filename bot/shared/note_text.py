"""What every kind of note (creator notes, seller notes) reads alike: its text, and the
`follow-up:<day>` that may end it (`2026-12-10`, `10.12.2026`, `10.12.`, `tomorrow`, `morgen`:
any one day the period grammar reads, a day without its year being the next one)."""

from __future__ import annotations

import re
from datetime import date

from bot.shared.language import _
from bot.shared.periods import DEFAULT_LOCALE, PeriodError, UnknownPeriod, parse_day
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


def parse_follow_up(
    text: str, today: date, usage: UsageLine, locale: str = DEFAULT_LOCALE
) -> tuple[str, date | None]:
    """The text without a trailing `follow-up:<day>`, and that day (today or later);
    UserError, with `usage`, for what is not a date or is a past one."""
    match = _FOLLOW_UP.search(text)
    if match is None:
        return text, None
    typed = match["day"].strip()
    try:
        day = parse_day(typed, today, locale, ahead=True) if typed else None
    except UnknownPeriod:
        day = None
    except PeriodError as error:  # a date, but not on the calendar (`31.02.`)
        raise UserError(error.message, [usage]) from None
    if day is None:
        raise UserError(
            _(
                "`{typed}` is not a date: write the follow-up as `follow-up:2026-12-15` or "
                "`follow-up:15.12.2026`."
            ).format(typed=shown(typed) or _("nothing")),
            [usage],
        )
    if day < today:
        raise UserError(
            _("The follow-up date {day} is in the past: pick today or a later day.").format(
                day=day.isoformat()
            ),
            [usage],
        )
    return text[: match.start()].rstrip(), day
