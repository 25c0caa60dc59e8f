"""The days a report or a list covers: read from what people type, in the grammar `/kpi` speaks
(`bot.shared.periods`: English or German, `2026-11-01`, `01.11.2026`, `KW 48`, `letzte Woche`),
up to the latest complete day; and `ReportPeriod`, a report's days.

Input a user can fix raises `UserError`, with the usage the caller names (each command its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.shared.days import day_text, short_day
from bot.shared.language import SOURCE_LANGUAGE, _, speech
from bot.shared.periods import (
    DEFAULT_LOCALE,
    Period,
    PeriodError,
    UnknownPeriod,
    parse_period,
    through,
)
from bot.shared.replies import shown
from storage.errors import UsageLine, UserError, usage_on_error
from storage.names import match_key


def _period(text: str, today: date, locale: str) -> Period:
    """The period the words name, in the grammar `/kpi` speaks, up to the latest complete day
    (yesterday: `week` is the calendar week that holds it, `month` its calendar month, as in
    `/kpi`); ValueError for words that are no period (for the caller to say what to type),
    PeriodError for a wrong one."""
    try:
        period = parse_period(text, today, locale)
    except UnknownPeriod:
        raise ValueError(text) from None
    if period.start > today:
        raise PeriodError(
            _("`{typed}` has not begun yet: notes are in the past.").format(typed=shown(text))
        )
    return through(period, today - timedelta(days=1))


def parse_window(
    text: str,
    today: date,
    default: int = 7,
    usage: UsageLine | None = None,
    locale: str = DEFAULT_LOCALE,
) -> int:
    """How many days back from now: any period (`7d`, `week`, `today`, `mtd`, `nov`,
    `2026-11-01`) reaches back to its start; `week` and `month` are calendar ones, as in
    `/kpi`."""
    word = match_key(text)
    if not word:
        return default
    with usage_on_error(*([usage] if usage else [])):
        try:
            period = _period(word, today, locale)
        except ValueError:
            raise UserError(
                _("`{typed}` is not a period: use `7d` or `30d`.").format(typed=shown(text))
            ) from None
    return max(1, (today - period.start).days + (1 if period.to_date else 0))


def parse_since(
    text: str, today: date, usage: UsageLine | None = None, locale: str = DEFAULT_LOCALE
) -> date | None:
    """The export's start: nothing (everything), or the start of a period (`2026-11-01`,
    `30d`, `last month`, `nov`); `week` and `month` are calendar ones, as in `/kpi`."""
    word = match_key(text)
    if not word or word == "all":
        return None
    with usage_on_error(*([usage] if usage else [])):
        try:
            return _period(word, today, locale).start
        except ValueError:
            raise UserError(
                _(
                    "`{typed}` is not a start date: use a date such as `2026-11-01` or "
                    "`01.11.2026`, a period such as `last month`, or `30d`."
                ).format(typed=shown(text))
            ) from None


def parse_report_days(
    text: str, today: date, usage: UsageLine | None = None, locale: str = DEFAULT_LOCALE
) -> tuple[date, date]:
    """The report's first and last day: `week` (the default) is the calendar week and
    `month` the calendar month that hold yesterday, up to yesterday, as `/kpi` answers them
    when its data runs to yesterday; `7d`, `30d` the days that end yesterday; any other period
    (`last month`, `nov`, `2026-11-01..2026-11-15`) is itself, up to yesterday (`today` is
    today). Notes and reviews of today are still being written, so yesterday is the latest
    complete day."""
    word = match_key(text) or "week"
    with usage_on_error(*([usage] if usage else [])):
        try:
            period = _period(word, today, locale)
        except ValueError:
            raise UserError(
                _(
                    "`{typed}` is not a period: use `week`, `month` or a period such as "
                    "`last month`."
                ).format(typed=shown(text))
            ) from None
    return period.start, period.end


@dataclass(frozen=True)
class ReportPeriod:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        if self.start.year != self.end.year:
            return f"{day_text(self.start)} – {day_text(self.end)}"
        if speech().language == SOURCE_LANGUAGE:  # `1 Nov – 7 Nov 2026`, as it always was
            start = f"{self.start.day} {self.start:%b}"
        else:  # `01.11. – 07.11.2026`
            start = short_day(self.start)
        return f"{start} – {day_text(self.end)}"

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as instants: the team's local midnights."""
        first = datetime.combine(self.start, time(0), tz)
        return first, datetime.combine(self.end + timedelta(days=1), time(0), tz)

    def before(self) -> ReportPeriod:
        return ReportPeriod(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
