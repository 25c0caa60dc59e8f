"""German periods and dates through Slack (issue 26): signed `/kpi 27.11.2026`, `/kpi KW 48`,
`/kpi letzte Woche`, `/feedback export 01.11.2026`, `/review export 01.11.2026` and a note with
`follow-up:10.12.2026`, answered in the sandbox with the dates they name and the figures of
those dates, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from bot.shared.numbers import NumberStyle
from devkit.offline import OfflineBot
from storage.feedback.models import FeedbackNote
from tests import kpi_data
from tests.feedback_support import answers, note, rows, set_clock
from tests.review_support import seed, stored_review
from tests.slack_support import markup

SHIFT = 16  # the generated sheet moved on, so its data runs to Mon 30 Nov 2026
TODAY = kpi_data.FIRST_DAY + timedelta(days=kpi_data.DAYS + SHIFT)  # Tue 1 Dec 2026
STYLE = NumberStyle("USD", "en_US")


@pytest.fixture
def sheet(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    frame = kpi_data.generate()
    frame["date"] = (pd.to_datetime(frame["date"]) + pd.Timedelta(days=SHIFT)).dt.strftime(
        "%Y-%m-%d"
    )
    return kpi_data.load_sheet(bot, engine, frame, TODAY)


@pytest.mark.parametrize(
    ("words", "shown", "first", "last"),
    [
        ("27.11.2026", "Fri 27 Nov 2026", date(2026, 11, 27), date(2026, 11, 27)),
        ("27.11.", "Fri 27 Nov 2026", date(2026, 11, 27), date(2026, 11, 27)),
        ("KW 48", "week 48 (23 Nov – 29 Nov 2026)", date(2026, 11, 23), date(2026, 11, 29)),
        ("kw47", "week 47 (16 Nov – 22 Nov 2026)", date(2026, 11, 16), date(2026, 11, 22)),
        (
            "letzte Woche",
            "last week (23 Nov – 29 Nov 2026)",
            date(2026, 11, 23),
            date(2026, 11, 29),
        ),
        ("1.11. bis 15.11.", "01 Nov – 15 Nov 2026", date(2026, 11, 1), date(2026, 11, 15)),
        (
            "letzter Monat",
            "last month (01 Nov – 30 Nov 2026)",
            date(2026, 11, 1),
            date(2026, 11, 30),
        ),
    ],
)
def test_kpi_answers_the_german_period_with_its_dates_and_figures(
    bot: OfflineBot, sheet: pd.DataFrame, words: str, shown: str, first: date, last: date
) -> None:
    reply = bot.say(f"/kpi {words}").reply
    text = markup(reply)
    assert f"KPIs · all sellers · {shown}" in text, text
    expected = kpi_data.reference(kpi_data.window(sheet, first, last))
    assert f"*GMV*  {STYLE.money(expected['gmv'])}" in text
    assert f"*Orders*  {STYLE.count(expected['orders'])}" in text


def test_kpi_refuses_an_impossible_german_date_in_words(
    bot: OfflineBot, sheet: pd.DataFrame
) -> None:
    assert "`31.02.` is not a date on the calendar" in bot.say("/kpi 31.02.").text
    assert "`kw 54` is not a calendar week: weeks run 1 to 53" in bot.say("/kpi KW 54").text


def test_kpi_a_german_week_with_a_filter(bot: OfflineBot, sheet: pd.DataFrame) -> None:
    text = markup(bot.say("/kpi KW 48 category:Home & Living").reply)
    assert "week 48 (23 Nov – 29 Nov 2026)" in text
    rows_ = kpi_data.window(sheet, date(2026, 11, 23), date(2026, 11, 29), "Home & Living")
    assert f"*GMV*  {STYLE.money(kpi_data.reference(rows_)['gmv'])}" in text


NOW = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)  # Thursday, 09:30 in Berlin


def test_feedback_export_since_a_german_date(bot: OfflineBot, engine: Engine) -> None:
    # 23:30 on 31 Oct in Berlin is before 1 Nov; 00:30 on 1 Nov is on it.
    for moment in (
        datetime(2026, 10, 20, 9, tzinfo=UTC),
        datetime(2026, 10, 31, 22, 30, tzinfo=UTC),
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
        datetime(2026, 11, 20, 9, tzinfo=UTC),
    ):
        set_clock(bot, moment)
        note(bot, f"@maria.makes Größe passt {moment:%d.%m. %H:%M}")
    set_clock(bot, NOW)
    expected = [
        ("01.11.2026", "2 notes since 2026-11-01"),
        ("1.11.", "2 notes since 2026-11-01"),
        ("seit dem 1.11.", "2 notes since 2026-11-01"),
        ("KW 45", "1 note since 2026-11-02"),
    ]
    for n, (words, sent) in enumerate(expected, 1):
        bot.client.slash_command("/feedback", f"export {words}", user_id="U0PRIYA")
        assert answers(bot, n)[-1]["text"] == f"Sent you {sent} as an Excel workbook by DM.", words
    bot.client.slash_command("/feedback", "export 31.02.2026", user_id="U0PRIYA")
    assert "`31.02.2026` is not a date on the calendar" in answers(bot, 5)[-1]["text"]


def test_review_export_since_a_german_date(bot: OfflineBot, engine: Engine) -> None:
    sellers = seed(engine, bot.sandbox.team_id)
    for day in (date(2026, 10, 30), date(2026, 11, 2), date(2026, 11, 25)):
        start = datetime.combine(day, time(18), UTC)
        stored_review(engine, bot.sandbox.team_id, sellers["Casa Bonita"], start, hook=4)
    set_clock(bot, NOW)
    bot.client.slash_command("/review", "export 01.11.2026", user_id="U0PRIYA")
    assert answers(bot, 1)[-1]["text"] == (
        "Sent you 2 reviews of streams since 2026-11-01 as an Excel workbook by DM."
    )
    bot.client.slash_command("/review", "export KW 48", user_id="U0PRIYA")
    assert answers(bot, 2)[-1]["text"] == (
        "Sent you 1 review of streams since 2026-11-23 as an Excel workbook by DM."
    )


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("10.12.2026", date(2026, 12, 10)),
        ("10.12.", date(2026, 12, 10)),
        ("morgen", date(2026, 12, 4)),
        ("tomorrow", date(2026, 12, 4)),
        ("2026-12-10", date(2026, 12, 10)),
    ],
)
def test_a_note_with_a_german_follow_up(
    bot: OfflineBot, engine: Engine, typed: str, day: date
) -> None:
    set_clock(bot, NOW)
    reply = note(bot, f"@maria.makes Muster für Köln & 東京 #samples follow-up:{typed}")
    [saved] = rows(engine, FeedbackNote)
    assert (saved.text, saved.follow_up_on) == ("Muster für Köln & 東京", day)
    assert f"follow-up {day.day} {day:%b %Y}" in markup(reply)


def test_a_note_with_an_impossible_follow_up_is_not_saved(bot: OfflineBot, engine: Engine) -> None:
    set_clock(bot, NOW)
    wrong = bot.say("/feedback @maria.makes Muster follow-up:31.02.").text
    assert "`31.02.` is not a date on the calendar" in wrong
    past = bot.say("/feedback @maria.makes Muster follow-up:01.12.2026").text
    assert "The follow-up date 2026-12-01 is in the past" in past
    assert rows(engine, FeedbackNote) == []
