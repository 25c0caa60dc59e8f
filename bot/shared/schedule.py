"""When a scheduled post is due (a digest, a monthly review report): weekdays and a wall-clock
time in the subscription's own time zone.

Slots are computed on the local calendar and only then turned into instants, so a daylight-saving
change moves the instant, never the wall time, and never adds or removes a slot:
- a time that does not exist that day (the spring-forward gap, 02:30 in Berlin on the last
  Sunday of March) is read with the offset before the change, so the slot comes an hour later
  in the new time (03:30) rather than vanishing;
- a time that exists twice (the autumn overlap) is the first of the two;
- a slot's key is its local date, so whatever the clocks do, a subscription has at most one
  run per day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.shared.days import clock, weekday_abbreviation
from bot.shared.language import N_, _
from bot.shared.periods import Period
from bot.shared.replies import shown
from storage.errors import UserError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    **{name: (n,) for n, name in enumerate(WEEKDAYS)},
    **{
        full: (n,)
        for n, full in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
    "tues": (1,),
    "thur": (3,),
    "thurs": (3,),
    "weekdays": (0, 1, 2, 3, 4),
    "daily": tuple(range(7)),
}
# `21:30`, `9:30pm`, `9am`, `12am` (midnight), `12pm` (noon)
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)
_TIME_SHAPE = re.compile(r"\d{1,2}(?::\d{1,2})?\s*[ap]\.?m\.?|\d{1,2}:\d{1,2}", re.IGNORECASE)
TIME_HELP = N_("HH:MM from 00:00 to 23:59, or 9am, 9:30pm, 12pm (noon), 12am (midnight)")
A_MONDAY = date(2026, 11, 30)  # the weekdays' names are read from the week it begins
# Zone abbreviations people write, and the IANA zone each stands for (with its summer time).
ZONE_ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "GMT": "Europe/London",
    "BST": "Europe/London",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "SGT": "Asia/Singapore",
    "JST": "Asia/Tokyo",
    "WIB": "Asia/Jakarta",
    "ICT": "Asia/Bangkok",
    "PHT": "Asia/Manila",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "IST": "Asia/Kolkata",
}


def zone_help() -> str:
    """The abbreviations understood, grouped by the zone they stand for:
    `CET/CEST = Europe/Berlin, GMT/BST = Europe/London, …`."""
    by_zone: dict[str, list[str]] = {}
    for abbreviation, zone in ZONE_ABBREVIATIONS.items():
        by_zone.setdefault(zone, []).append(abbreviation)
    return ", ".join(
        "/".join(names) + ("" if zone == names[0] else f" = {zone}")
        for zone, names in by_zone.items()
    )


class ScheduleError(UserError):
    """Words that are not a schedule; the message says what to type instead."""


def parse_weekdays(text: str) -> tuple[int, ...]:
    """`mon,thu` → (0, 3); ScheduleError naming the first unknown day."""
    days: set[int] = set()
    for word in (w.strip().lower() for w in text.split(",")):
        if word not in _DAY_NAMES:
            raise ScheduleError(
                _(
                    "I don't know the weekday `{word}`: use mon, tue, wed, thu, fri, sat or sun, "
                    "several with commas (`mon,thu`)."
                ).format(word=shown(word, 20) or _("(empty)"))
            )
        days.update(_DAY_NAMES[word])
    return tuple(sorted(days))


def looks_like_time(text: str) -> bool:
    return bool(_TIME_SHAPE.fullmatch(text))


def parse_time(text: str) -> time:
    """`9:00`, `09:00`, `21:30`, `9am`, `9:30pm`, `12am` (00:00), `12pm` (12:00) → a time;
    ScheduleError for `25:00`, `13pm` and the like."""
    match = _TIME.fullmatch(text.strip())
    hour = minute = -1
    if match and (match.group(2) or match.group(3)):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3):  # 12-hour clock: 1–12, and 12am is midnight
            half = match.group(3)[0].lower()
            hour = -1 if not 1 <= hour <= 12 else hour % 12 + (12 if half == "p" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ScheduleError(
            _("`{text}` is not a time of day: use {help}.").format(
                text=shown(text, 20), help=_(TIME_HELP)
            )
        )
    return time(hour, minute)


def is_zone_abbreviation(word: str) -> bool:
    return word.upper() in ZONE_ABBREVIATIONS


def parse_zone(text: str) -> ZoneInfo:
    """An IANA name (`Europe/Berlin`) or a common abbreviation (`CET`, `SGT`: see
    ZONE_ABBREVIATIONS) → the zone."""
    name = ZONE_ABBREVIATIONS.get(text.strip().upper(), text.strip())
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            _(
                "I don't know the time zone `{zone}`: use an IANA name such as Europe/Berlin or "
                "America/New_York, or one of {abbreviations}."
            ).format(zone=shown(text), abbreviations=zone_help())
        ) from None


@dataclass(frozen=True)
class Slot:
    """One due moment: the local date it belongs to and the instant (UTC) it falls on."""

    day: date
    at: datetime

    @property
    def key(self) -> str:
        return self.day.isoformat()


@dataclass(frozen=True)
class Schedule:
    weekdays: tuple[int, ...]
    at: time
    zone: ZoneInfo

    @classmethod
    def of(cls, weekdays: str, post_time: str, timezone: str) -> Schedule:
        """From the stored form (`mon,thu`, `09:00`, `Europe/Berlin`)."""
        return cls(parse_weekdays(weekdays), parse_time(post_time), parse_zone(timezone))

    @property
    def weekdays_text(self) -> str:
        return ",".join(WEEKDAYS[d] for d in self.weekdays)

    @property
    def time_text(self) -> str:
        return f"{self.at:%H:%M}"

    def describe(self) -> str:
        """`Mon, Thu at 09:00 (Europe/Berlin)` · `Mo., Do. um 09:00 Uhr (Europe/Berlin)`."""
        days = ", ".join(weekday_abbreviation(A_MONDAY + timedelta(days=d)) for d in self.weekdays)
        return _("{days} at {time} ({zone})").format(
            days=days, time=clock(self.at), zone=self.zone.key
        )

    def slot_on(self, day: date) -> Slot:
        wall = datetime.combine(day, self.at, tzinfo=self.zone)  # fold=0: see the module doc
        return Slot(day, wall.astimezone(UTC))

    def latest_slot(self, now: datetime) -> Slot | None:
        """The most recent slot at or before `now`."""
        today = now.astimezone(self.zone).date()
        for back in range(8):
            day = today - timedelta(days=back)
            if day.weekday() in self.weekdays:
                slot = self.slot_on(day)
                if slot.at <= now:
                    return slot
        return None

    def next_slot(self, now: datetime) -> Slot:
        """The first slot after `now`."""
        today = now.astimezone(self.zone).date()
        for ahead in range(8):
            day = today + timedelta(days=ahead)
            if day.weekday() in self.weekdays and self.slot_on(day).at > now:
                return self.slot_on(day)
        raise AssertionError("a weekly schedule has a slot within eight days")


def due_slot(
    schedule: Schedule, now: datetime, active_since: datetime, grace: timedelta
) -> Slot | None:
    """The slot to post now, if any: the latest one, unless it came before the subscription
    (nothing to catch up) or longer ago than the grace (too late to be news). Older missed
    slots are never posted: the latest one shows the freshest week."""
    slot = schedule.latest_slot(now)
    if slot is None or slot.at < active_since or now - slot.at > grace:
        return None
    return slot


def last_full_week(day: date) -> Period:
    """The Monday–Sunday week before the one `day` is in."""
    monday = day - timedelta(days=day.weekday()) - timedelta(days=7)
    return Period(monday, monday + timedelta(days=6), "last week", unit="week")
