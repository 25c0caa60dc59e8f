"""Comparisons like with like: periods to date against the same days before, rates in points
against the same kind of rate, no 7-day average for long periods, the same fallback for today,
week and month, unusual days named. Each figure is checked against pandas on generated rows."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from app import FEATURES
from bot.digest.content import compose_digest
from bot.features import Features
from bot.shared.digest_section import DigestSpec
from bot.shared.kpis.definitions import KPIS
from bot.shared.kpis.unusual import unusual_days
from bot.shared.numbers import NumberStyle
from bot.shared.periods import parse_period
from bot.shared.schedule import last_full_week
from devkit.offline import OfflineBot
from tests import kpi_data
from tests.kpi_data import (
    FIRST_DAY,
    expected_change,
    gmv_by_day,
    mean_of_days,
    reference,
    steady,
    window,
    with_outage,
)

SECTIONS = Features(FEATURES).digest_sections

STYLE = NumberStyle("USD", "en_US")
KPI = {kpi.key: kpi for kpi in KPIS}
LAST_DAY = FIRST_DAY + timedelta(days=kpi_data.DAYS - 1)  # Sat 14 Nov 2026, the newest data
OUTAGE = date(2026, 10, 31)  # a Saturday with eight Saturdays of data before it


def said(bot: OfflineBot, command: str) -> str:
    """What the person reads, with the terminal's line wrapping undone."""
    return " ".join(bot.say(command).text.split())


@pytest.fixture
def rows(bot: OfflineBot, engine: Engine) -> pd.DataFrame:
    """Generated rows up to Sat 14 Nov from the sellers present every day, with steady weekday
    GMV and one Saturday cut to 30%; it is Sun 15 Nov, and today's data is not in yet."""
    frame = with_outage(steady(kpi_data.generate()), OUTAGE, 0.3)
    return kpi_data.load_sheet(bot, engine, frame, LAST_DAY + timedelta(days=1))


def test_a_month_to_date_is_compared_with_the_same_days_of_the_month_before(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    seen = said(bot, "/kpi month full")
    assert "THIS MONTH (01 NOV – 14 NOV 2026)" in seen
    now, before = (
        window(rows, date(2026, 11, 1), LAST_DAY),
        window(rows, date(2026, 10, 1), date(2026, 10, 14)),
    )
    for key in ("gmv", "orders", "live_share", "adoption"):
        moved = expected_change(key, reference(now)[key], reference(before)[key])
        assert f"{STYLE.kpi_change(KPI[key], moved)} vs previous" in seen, key
    assert "Compared with 01 Oct – 14 Oct, the same days of the month before" in seen
    assert "Today's data is not in yet; showing this month to Sat 14 Nov." in seen


def test_week_and_today_fall_back_the_same_way(bot: OfflineBot, engine: Engine) -> None:
    """On Monday morning, with data up to Sunday: today is Sunday, this week is last week."""
    monday = date(2026, 11, 9)
    frame = window(kpi_data.generate(), FIRST_DAY, monday - timedelta(days=1))
    kpi_data.load_sheet(bot, engine, frame, monday)
    week = bot.say("/kpi week").text
    assert "LAST WEEK (02 NOV – 08 NOV 2026)" in week
    assert "Today's data is not in yet; showing last week." in week
    gmv = reference(window(frame, date(2026, 11, 2), date(2026, 11, 8)))["gmv"]
    assert f"GMV  {STYLE.money(gmv)}" in week
    today = bot.say("/kpi today").text
    assert "LATEST COMPLETE DAY (SUN 08 NOV 2026)" in today
    assert "Today's data is not in yet; showing Sun 08 Nov." in today


def test_a_days_rates_are_compared_in_points_with_the_mean_of_the_daily_rates(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    day = date(2026, 10, 30)
    seen = bot.say(f"/kpi {day} full").text
    week_before = (day - timedelta(days=7), day - timedelta(days=1))
    for key in ("adoption", "live_share", "live_engagement", "aov", "gpm"):
        today = reference(window(rows, day, day))[key]
        moved = expected_change(key, today, mean_of_days(rows, *week_before, key))
        assert f"{STYLE.kpi_change(KPI[key], moved)} vs 7-day avg" in seen, key
    pooled = reference(window(rows, *week_before))["adoption"]
    mean = mean_of_days(rows, *week_before, "adoption")
    assert pooled != mean, "the data must tell the two baselines apart"
    assert " pt vs previous" in seen and " pt vs last Fri" in seen


def test_a_week_or_longer_has_no_7_day_average(bot: OfflineBot, rows: pd.DataFrame) -> None:
    for words in ("last week", "last month", "2026-10-01..2026-10-07"):
        seen = bot.say(f"/kpi {words} full").text
        assert "vs previous" in seen and "vs 7-day avg" not in seen, words
    assert "vs 7-day avg" in bot.say("/kpi 2026-10-01..2026-10-06 full").text


def _usual_share(frame: pd.DataFrame, day: date) -> int:
    """How far `day`'s GMV is from the median of the same weekday in the 8 weeks before, in
    whole percent, computed here with pandas."""
    totals = pd.Series(gmv_by_day(frame))
    history = [totals[d] for d in (day - timedelta(weeks=n) for n in range(1, 9)) if d in totals]
    usual = Decimal(str(pd.Series(history).median()))
    return round(abs(Decimal(int(totals[day])) - usual) / usual * 100)


def test_an_unusual_day_is_named_where_it_drives_a_comparison(
    bot: OfflineBot, rows: pd.DataFrame
) -> None:
    share = _usual_share(rows, OUTAGE)
    assert share >= 60
    after = said(bot, "/kpi 2026-11-01..2026-11-07 full")
    assert f"The comparison includes Sat 31 Oct, {share}% below a usual Saturday." in after
    during = said(bot, "/kpi 2026-10-26..2026-11-01 full")
    assert f"Includes Sat 31 Oct, {share}% below a usual Saturday" not in during
    assert f"The period includes Sat 31 Oct, {share}% below a usual Saturday." in during
    day = said(bot, "/kpi 2026-10-31 full")
    assert f"This day is {share}% below a usual Saturday." in day
    assert "usual" not in bot.say("/kpi 2026-10-12..2026-10-18 full").text


def test_a_steady_weekday_dip_is_usual_and_an_outage_is_not() -> None:
    start = date(2026, 9, 7)  # a Monday
    values = {}
    for n in range(70):
        day = start + timedelta(days=n)
        values[day] = 40_000 if day.weekday() == 5 else 100_000 + (n % 3) * 1_000
    assert unusual_days(values, values) == []
    outage = date(2026, 11, 14)
    values[outage] = 12_000
    [found] = unusual_days(values, values)
    assert found.day == outage
    assert found.describe() == "Sat 14 Nov, 70% below a usual Saturday"
    assert unusual_days({d: v for d, v in values.items() if d > date(2026, 10, 20)}, [outage]) == []


def test_a_seller_outside_the_category_asked_for(bot: OfflineBot, rows: pd.DataFrame) -> None:
    names = dict(zip(rows["seller_id"], rows["seller_name"], strict=False))
    category = rows.loc[rows["seller_id"] == "S000", "category"].iloc[0]
    other = next(c for c in kpi_data.CATEGORIES if c != category)
    seen = said(bot, f"/kpi last week seller:{names['S000']} category:{other}")
    assert f"{names['S000']} is not in {other}: its figures are in {category}." in seen


def test_like_for_like_previous_periods() -> None:
    month = parse_period("month", date(2026, 3, 31))
    assert (month.previous().start, month.previous().end) == (date(2026, 2, 1), date(2026, 2, 28))
    week = parse_period("week", date(2026, 11, 26))  # Thursday
    assert (week.previous().start, week.previous().end) == (date(2026, 11, 16), date(2026, 11, 19))
    shown = parse_period("month", date(2026, 12, 1)).as_of(date(2026, 11, 30))
    assert (shown.start, shown.end, shown.label, shown.to_date) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "last month",
        False,
    )
    assert statistics.median([1, 2, 3]) == 2  # the reference median used above is the usual one


def test_the_digest_headline_names_the_unusual_day_it_rests_on(
    bot: OfflineBot, engine: Engine, rows: pd.DataFrame
) -> None:
    week = last_full_week(date(2026, 11, 9))  # 2–8 Nov, against 26 Oct – 1 Nov
    spec = DigestSpec(bot.sandbox.team_id, week, None, "Europe/Berlin")
    text = compose_digest(engine, spec, SECTIONS).text
    share = _usual_share(rows, OUTAGE)
    assert f"_The week before includes Sat 31 Oct, {share}% below a usual Saturday._" in text
    quiet = compose_digest(
        engine,
        DigestSpec(bot.sandbox.team_id, last_full_week(date(2026, 10, 26)), None, "UTC"),
        SECTIONS,
    ).text
    assert "usual" not in quiet


def test_a_comparison_with_no_data_at_all_says_so(bot: OfflineBot, rows: pd.DataFrame) -> None:
    """The data starts in September 2026: `/kpi ytd` has no year before to compare with, and
    says so plainly rather than claiming like with like over nothing."""
    nothing = "No data for 01 Jan – 14 Nov 2025, the same days of the year before, to compare with."
    full = said(bot, "/kpi ytd full")
    assert "YEAR TO DATE (01 JAN – 14 NOV 2026)" in full
    assert nothing in full and "like with like" not in full
    headline = said(bot, "/kpi ytd")
    assert nothing in headline and "vs 01 Jan – 14 Nov" not in headline
    seller = said(bot, "/kpi ytd seller:Seller 03 Ünïcode Shop")
    assert "SELLER 03 ÜNÏCODE SHOP · YEAR TO DATE" in seller and nothing in seller
    month = said(bot, "/kpi month full")  # October has data: the claim stands
    assert "like with like" in month and "No data for" not in month
