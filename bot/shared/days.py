"""Days, months, weeks and times as every message writes them, in the answer's speech
(bot.shared.language): `Sun 06 Dec 2026` in English, `So., 06.12.2026` in German; weeks as
German businesses name them (`KW 49 · 30.11. – 06.12.2026`). Every date a person reads is
written by one of these, named by what it shows; machine forms (ISO dates in exports and ids)
are not.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time

from bot.settings import LANGUAGES
from bot.shared.language import _, language_of, pgettext, speech

# What each form shows, by language: the English ones are the forms shopbot has always written.
_DATE_PATTERNS: dict[str, dict[str, str]] = {
    "day": {"en": "d MMM y", "de": "dd.MM.y"},  # 6 Dec 2026 · 06.12.2026
    "padded_day": {"en": "dd MMM y", "de": "dd.MM.y"},  # 06 Dec 2026 · 06.12.2026
    # Sun 06 Dec 2026 · So., 06.12.2026
    "weekday_day": {"en": "EEE dd MMM y", "de": "EEE, dd.MM.y"},
    "short_day": {"en": "dd MMM", "de": "dd.MM."},  # 06 Dec · 06.12.
    "weekday_short_day": {"en": "EEE dd MMM", "de": "EEE, dd.MM."},  # Sun 06 Dec · So., 06.12.
    "month": {"en": "MMMM y", "de": "MMMM y"},  # December 2026 · Dezember 2026
    "short_month": {"en": "MMM y", "de": "MMM y"},  # Dec 2026 · Dez. 2026
    "month_name": {"en": "MMMM", "de": "MMMM"},  # December · Dezember
    "month_abbreviation": {"en": "MMM", "de": "MMM"},  # Dec · Dez.
    "weekday": {"en": "EEEE", "de": "EEEE"},  # Sunday · Sonntag
    "weekday_abbreviation": {"en": "EEE", "de": "EEE"},  # Sun · So.
}


@lru_cache(maxsize=16)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def _names_locale() -> Locale:
    """Whose names of days and months: the speech's locale when it is of the speech's language
    (`de_CH`), else the language's own (an English answer in a `de_DE` workspace writes `Tue`,
    its numbers `1.234,5`: names are words of the answer's language)."""
    spoken = speech()
    if language_of(spoken.locale) == spoken.language:
        return _locale(spoken.locale)
    return _locale(LANGUAGES.get(spoken.language, spoken.locale))


def _written(form: str, day: date) -> str:
    patterns = _DATE_PATTERNS[form]
    pattern = patterns.get(speech().language, patterns["en"])
    return format_date(day, pattern, locale=_names_locale())


def day_text(day: date) -> str:
    """`6 Dec 2026` · `06.12.2026`."""
    return _written("day", day)


def padded_day(day: date) -> str:
    """`06 Dec 2026` · `06.12.2026`."""
    return _written("padded_day", day)


def weekday_day(day: date) -> str:
    """`Sun 06 Dec 2026` · `So., 06.12.2026`."""
    return _written("weekday_day", day)


def short_day(day: date) -> str:
    """`06 Dec` · `06.12.`: a day of a period whose year is said elsewhere."""
    return _written("short_day", day)


def weekday_short_day(day: date) -> str:
    """`Sun 06 Dec` · `So., 06.12.`."""
    return _written("weekday_short_day", day)


def month_text(day: date) -> str:
    """`December 2026` · `Dezember 2026`: the month `day` is in."""
    return _written("month", day)


def short_month(day: date) -> str:
    """`Dec 2026` · `Dez. 2026`."""
    return _written("short_month", day)


def month_name(day: date) -> str:
    """`December` · `Dezember`."""
    return _written("month_name", day)


def month_abbreviation(day: date) -> str:
    """`Dec` · `Dez.` (a chart's axis)."""
    return _written("month_abbreviation", day)


def weekday_name(day: date) -> str:
    """`Sunday` · `Sonntag`."""
    return _written("weekday", day)


def weekday_abbreviation(day: date) -> str:
    """`Sun` · `So.`."""
    return _written("weekday_abbreviation", day)


def clock(moment: time | datetime) -> str:
    """`09:00` · `09:00 Uhr`: a time of day, on the 24-hour clock."""
    shown = format_time(moment, "HH:mm", locale=_names_locale())
    return pgettext("time of day", "{time}").format(time=shown)


def calendar_week(start: date, end: date) -> str:
    """`week 49 · 30 Nov – 06 Dec 2026` · `KW 49 · 30.11. – 06.12.2026`: an ISO week (Monday
    to Sunday) by its number and its days; a span of several weeks names the first and last."""
    first, last = start.isocalendar().week, end.isocalendar().week
    weeks = str(first) if first == last else f"{first}–{last}"
    begin = short_day(start) if start.year == end.year else padded_day(start)
    return _("week {weeks} · {start} – {end}").format(weeks=weeks, start=begin, end=padded_day(end))


def local_day(moment: datetime, tz: ZoneInfo) -> str:
    """The day of `moment` in the team's time zone, as `day_text` writes it."""
    return day_text(moment.astimezone(tz).date())
