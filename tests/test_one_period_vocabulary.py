"""One period vocabulary: `week` is the calendar week (Monday to Sunday) and `month` the
calendar month, each to the latest complete day, and `7d`/`30d` the rolling windows, in `/kpi`,
`/review report` and `/feedback report` alike; each answer states its dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from devkit.offline import OfflineBot
from tests import kpi_data
from tests.feedback_support import answers, note, set_clock
from tests.review_support import seed, stored_review

_SPAN = re.compile(
    r"(\d{1,2}) ([A-Za-z]{3})(?: (\d{4}))? – (\d{1,2}) ([A-Za-z]{3}) (\d{4})", re.IGNORECASE
)


def stated(text: str) -> tuple[date, date]:
    """The first span of days an answer states (`09 NOV – 14 NOV 2026`, `9 Nov – 14 Nov 2026`)."""
    found = _SPAN.search(" ".join(text.split()))
    assert found is not None, text
    first_day, first_month, first_year, last_day, last_month, last_year = found.groups()
    last = datetime.strptime(f"{last_day} {last_month.title()} {last_year}", "%d %b %Y").date()
    year = first_year or last_year
    first = datetime.strptime(f"{first_day} {first_month.title()} {year}", "%d %b %Y").date()
    return first, last


def _with_data_to(bot: OfflineBot, engine: Engine, last: date) -> None:
    """KPI data up to `last`, a review and a note of each day of the fortnight before, and the
    clock at noon the day after `last` (today, whose data is not in yet)."""
    frame = kpi_data.window(kpi_data.generate(), kpi_data.FIRST_DAY, last)
    today = last + timedelta(days=1)
    sellers = seed(engine, bot.sandbox.team_id)
    for back in range(1, 40):
        day = today - timedelta(days=back)
        stored_review(engine, bot.sandbox.team_id, sellers["Casa Bonita"], _noon(day), hook=4)
        set_clock(bot, _noon(day))
        note(bot, f"@maria.makes Größe passt, 新しい {day:%d %b}")
    kpi_data.load_sheet(bot, engine, frame, today)


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, tzinfo=UTC)


def _report(bot: OfflineBot, command: str, words: str) -> str:
    """The report posted in the channel for `/command report words`."""
    before = len(bot.sandbox.calls("response_url"))
    seen = bot.say(f"{command} report {words}")
    if seen.replies:
        return seen.text
    posted = answers(bot, before + 1)[before:]
    return " ".join(str(post.get("text", "")) for post in posted)


@pytest.mark.parametrize(
    ("last", "words", "expected"),
    [
        # Sun 15 Nov, data to Saturday: this week and this month to Saturday.
        (date(2026, 11, 14), "week", (date(2026, 11, 9), date(2026, 11, 14))),
        (date(2026, 11, 14), "month", (date(2026, 11, 1), date(2026, 11, 14))),
        # Mon 9 Nov, data to Sunday: the week just ended, Monday to Sunday.
        (date(2026, 11, 8), "week", (date(2026, 11, 2), date(2026, 11, 8))),
        # Sun 1 Nov, data to 31 Oct: the month just ended, all of it.
        (date(2026, 10, 31), "month", (date(2026, 10, 1), date(2026, 10, 31))),
        # The rolling windows: the 7 and 30 days that end on the latest complete day.
        (date(2026, 11, 14), "7d", (date(2026, 11, 8), date(2026, 11, 14))),
        (date(2026, 11, 14), "30d", (date(2026, 10, 16), date(2026, 11, 14))),
    ],
)
def test_kpi_and_the_reports_state_the_same_dates_on_the_same_day(
    bot: OfflineBot,
    engine: Engine,
    last: date,
    words: str,
    expected: tuple[date, date],
) -> None:
    _with_data_to(bot, engine, last)
    kpi = bot.say(f"/kpi {words}").text
    reviews = _report(bot, "/review", words)
    feedback = _report(bot, "/feedback", words)
    assert stated(kpi) == expected, kpi
    assert stated(reviews) == expected, reviews
    assert stated(feedback) == expected, feedback
    # The reports count what lies inside those dates: a review and a note a day.
    days = (expected[1] - expected[0]).days + 1
    assert f"{days} streams reviewed" in " ".join(reviews.split())
    assert f"{days} notes" in feedback
