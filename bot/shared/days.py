"""Days as every message writes them: `3 Dec 2026`, in the team's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def local_day(moment: datetime, tz: ZoneInfo) -> str:
    return day_text(moment.astimezone(tz).date())
