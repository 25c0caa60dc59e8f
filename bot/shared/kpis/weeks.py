"""A week as the digest and its charts name it: `23 – 29 Nov 2026` in English, as it always was,
and the calendar week the German team names weeks by (`KW 48 · 23.11. – 29.11.2026`)."""

from __future__ import annotations

from bot.shared.days import calendar_week
from bot.shared.digest_section import span
from bot.shared.language import SOURCE_LANGUAGE, speech
from bot.shared.periods import Period


def week_name(week: Period) -> str:
    """The week (or the days of a shorter or longer span) as the answer's language names it."""
    if speech().language == SOURCE_LANGUAGE:
        return span(week)
    return calendar_week(week.start, week.end)
