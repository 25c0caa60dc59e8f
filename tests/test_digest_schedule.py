"""Digest schedules on the local calendar: weekdays, times, zones, daylight saving, grace.

Pure functions, no database: the time-travel tests through Slack are in test_digest_runner.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.runner import DigestSettings
from bot.settings import SettingsError, load_settings
from bot.shared.schedule import (
    ZONE_ABBREVIATIONS,
    Schedule,
    ScheduleError,
    due_slot,
    last_full_week,
    looks_like_time,
    parse_time,
    parse_weekdays,
    parse_zone,
    zone_help,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slots(schedule: Schedule, start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """The distinct slots a ticking clock sees due between start and end (every `step`)."""
    seen: list[datetime] = []
    now = start
    while now <= end:
        slot = schedule.latest_slot(now)
        if slot is not None and slot.at > start and (not seen or seen[-1] != slot.at):
            seen.append(slot.at)
        now += step
    return seen


def test_weekdays_times_and_zones_parse_or_say_what_to_type() -> None:
    assert parse_weekdays("mon") == (0,)
    assert parse_weekdays("Thu,mon") == (0, 3)
    assert parse_weekdays("weekdays") == (0, 1, 2, 3, 4)
    assert parse_time("9:05") == time(9, 5)
    assert parse_zone("America/New_York") == NEW_YORK
    with pytest.raises(ScheduleError, match="I don't know the weekday `funday`"):
        parse_weekdays("mon,funday")
    for bad in ("25:00", "12:60", "9", "noon"):
        with pytest.raises(ScheduleError, match="is not a time of day: use HH:MM"):
            parse_time(bad)
    for bad in ("Mars/Base", "../../etc/passwd", ""):
        with pytest.raises(ScheduleError, match="I don't know the time zone"):
            parse_zone(bad)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9am", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("21:30", time(21, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:15am", time(0, 15)),
        ("11PM", time(23, 0)),
    ],
)
def test_times_on_either_clock(text: str, expected: time) -> None:
    assert looks_like_time(text) and parse_time(text) == expected


def test_zone_abbreviations_are_one_table() -> None:
    for abbreviation, zone in ZONE_ABBREVIATIONS.items():
        assert parse_zone(abbreviation.lower()) == ZoneInfo(zone)
        assert f"{abbreviation}" in zone_help()
    assert parse_zone("CET") == parse_zone("CEST") == ZoneInfo("Europe/Berlin")
    assert parse_zone("pst") == ZoneInfo("America/Los_Angeles")
    for bad in ("0am", "13pm", "9"):
        with pytest.raises(ScheduleError, match="9am, 9:30pm"):
            parse_time(bad)


def test_monday_nine_in_berlin_follows_the_clock_change() -> None:
    """Summer time ends on Sun 25 Oct 2026: 09:00 is 07:00 UTC before, 08:00 UTC after."""
    schedule = Schedule.of("mon", "09:00", "Europe/Berlin")
    seen = slots(schedule, utc(2026, 10, 17), utc(2026, 11, 3), timedelta(minutes=10))
    assert seen == [utc(2026, 10, 19, 7), utc(2026, 10, 26, 8), utc(2026, 11, 2, 8)]
    assert all(s.astimezone(BERLIN).time() == time(9, 0) for s in seen)


def test_monday_nine_in_new_york_across_both_clock_changes() -> None:
    schedule = Schedule.of("mon", "09:00", "America/New_York")
    spring = slots(schedule, utc(2026, 3, 1), utc(2026, 3, 17), timedelta(minutes=10))
    assert spring == [utc(2026, 3, 2, 14), utc(2026, 3, 9, 13), utc(2026, 3, 16, 13)]
    autumn = slots(schedule, utc(2026, 10, 25), utc(2026, 11, 10), timedelta(minutes=10))
    assert autumn == [utc(2026, 10, 26, 13), utc(2026, 11, 2, 14), utc(2026, 11, 9, 14)]


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # 02:30 does not exist on the spring-forward night: the slot comes at 03:30 new time.
        ("Europe/Berlin", date(2026, 3, 29), "02:30", utc(2026, 3, 29, 1, 30)),
        ("America/New_York", date(2026, 3, 8), "02:30", utc(2026, 3, 8, 7, 30)),
        # 02:30 / 01:30 exist twice on the fall-back night: the first one counts, once.
        ("Europe/Berlin", date(2026, 10, 25), "02:30", utc(2026, 10, 25, 0, 30)),
        ("America/New_York", date(2026, 11, 1), "01:30", utc(2026, 11, 1, 5, 30)),
    ],
)
def test_a_slot_in_a_gap_or_an_overlap_happens_exactly_once(
    zone: str, day: date, at: str, expected: datetime
) -> None:
    schedule = Schedule.of("sun", at, zone)
    seen = slots(
        schedule,
        datetime.combine(day, time(0), ZoneInfo(zone)) - timedelta(hours=2),
        datetime.combine(day, time(0), ZoneInfo(zone)) + timedelta(hours=8),
        timedelta(minutes=1),
    )
    assert seen == [expected]
    assert schedule.latest_slot(expected + timedelta(hours=3)).key == day.isoformat()


def test_several_weekdays_and_the_next_slot() -> None:
    schedule = Schedule.of("mon,thu", "17:30", "Europe/Berlin")
    assert schedule.describe() == "Mon, Thu at 17:30 (Europe/Berlin)"
    tuesday = datetime(2026, 11, 17, 12, tzinfo=BERLIN)
    assert schedule.latest_slot(tuesday).day == date(2026, 11, 16)
    assert schedule.next_slot(tuesday).day == date(2026, 11, 19)
    thursday_slot = datetime(2026, 11, 19, 17, 30, tzinfo=BERLIN)
    assert schedule.latest_slot(thursday_slot).at == thursday_slot
    assert schedule.next_slot(thursday_slot).day == date(2026, 11, 23)


def test_due_within_the_grace_and_only_after_subscribing() -> None:
    schedule = Schedule.of("mon", "09:00", "Europe/Berlin")
    slot = datetime(2026, 11, 16, 9, tzinfo=BERLIN)
    grace = timedelta(hours=48)
    assert due_slot(schedule, slot - timedelta(seconds=1), LONG_AGO, grace) is None  # a week ago
    assert due_slot(schedule, slot, LONG_AGO, grace).at == slot
    assert due_slot(schedule, slot + grace, LONG_AGO, grace) is not None
    assert due_slot(schedule, slot + grace + timedelta(minutes=1), LONG_AGO, grace) is None
    subscribed_later = slot + timedelta(minutes=5)
    assert due_slot(schedule, slot + timedelta(hours=1), subscribed_later, grace) is None


def test_the_week_shown_is_the_last_full_monday_to_sunday_week() -> None:
    for day in (date(2026, 11, 16), date(2026, 11, 19), date(2026, 11, 22)):
        week = last_full_week(day)
        assert (week.start, week.end) == (date(2026, 11, 9), date(2026, 11, 15))
    week = last_full_week(date(2027, 1, 4))
    assert (week.start, week.end) == (date(2026, 12, 28), date(2027, 1, 3))


def test_the_grace_is_a_setting_in_hours() -> None:
    def grace(value: str) -> int:
        environ = {"SHOPBOT_DIGEST_GRACE_HOURS": value}
        settings = load_settings(environ, env_file=None, require_slack=False)
        return settings.section(DigestSettings).digest_grace_hours

    assert grace("12") == 12
    defaults = load_settings({}, env_file=None, require_slack=False)
    assert defaults.section(DigestSettings).digest_grace_hours == 48
    for bad in ("-1", "169", "two days"):
        with pytest.raises(SettingsError, match="SHOPBOT_DIGEST_GRACE_HOURS is invalid"):
            grace(bad)
