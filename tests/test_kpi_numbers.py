"""Every /kpi figure equals an independent pandas computation on the same generated rows.

Days, weeks, months and ranges; the whole team, each category and single sellers; including an
empty day, sellers that start late and sellers that stop. Exact: money in cents, ratios as
Decimals, compared with ==.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from bot.shared.kpis.engine import Snapshot, snapshot
from bot.shared.periods import Period, parse_period
from storage.importers import ImportOptions, importer_for
from storage.kpis.reads import Scope
from storage.sellers.registry import find_seller
from tests import kpi_data
from tests.kpi_data import (
    EMPTY_DAY,
    FIRST_DAY,
    RATES,
    check_sellers,
    expected_change,
    mean_of_days,
    reference,
    window,
)

TEAM = "TNUMBERS"
TODAY = FIRST_DAY + timedelta(days=kpi_data.DAYS)  # the day after the last generated day


@pytest.fixture
def rows(engine: Engine) -> pd.DataFrame:
    frame = kpi_data.generate()
    importer_for("kpi-sheet")(
        engine, kpi_data.to_csv(frame), ImportOptions(team_id=TEAM, filename="kpi.csv")
    )
    return frame


PERIODS = [
    "yesterday",
    "last week",
    "last month",
    "week",
    "month",
    "2026-09-01",
    "2026-09-02",
    EMPTY_DAY.isoformat(),
    (EMPTY_DAY + timedelta(days=1)).isoformat(),
    "2026-09-01..2026-09-30",
    "2026-09-15..2026-10-20",
    "2026-10-25..2026-11-14",
    "2025-01-01..2025-01-31",
]


def baseline(words: str, period: Period) -> tuple[date, date]:
    """What the period is compared with, worked out here rather than by the code under test:
    a week or month to date against the same days of the week or month before, anything
    else against the span of the same length right before it."""
    if words == "week":
        return period.start - timedelta(days=7), period.end - timedelta(days=7)
    if words == "month":
        start = (period.start - timedelta(days=1)).replace(day=1)
        return start, start + timedelta(days=period.days - 1)
    return period.start - timedelta(days=period.days), period.start - timedelta(days=1)


def _check(
    snap: Snapshot,
    frame: pd.DataFrame,
    period: Period,
    category: str | None = None,
    seller: str | None = None,
    words: str = "",
) -> None:
    def ref(first: date, last: date, daily: bool = False) -> dict:
        return reference(window(frame, first, last, category, seller), daily)

    current, previous = ref(period.start, period.end), ref(*baseline(words, period))
    week_before = (period.start - timedelta(days=7), period.start - timedelta(days=1))
    last_week = (
        ref(period.start - timedelta(days=7), period.end - timedelta(days=7))
        if period.is_day
        else None
    )
    assert snap.has_data == (not window(frame, period.start, period.end, category, seller).empty)
    for figure in snap.figures:
        key = figure.kpi.key
        assert figure.value == current[key], key
        if not snap.has_data:
            continue
        assert figure.vs_previous == expected_change(key, current[key], previous[key]), key
        if period.days >= 7:
            expected_trailing = None  # a week or longer is not compared with a 7-day average
        elif key in RATES or key in {"aov", "gpm"}:
            expected_trailing = expected_change(
                key,
                mean_of_days(frame, period.start, period.end, key, category, seller),
                mean_of_days(frame, *week_before, key, category, seller),
            )
        else:
            expected_trailing = expected_change(
                key,
                ref(period.start, period.end, daily=True)[key],
                ref(*week_before, daily=True)[key],
            )
        assert figure.vs_trailing == expected_trailing, key
        expected_week = expected_change(key, current[key], last_week[key]) if last_week else None
        assert figure.vs_last_week == expected_week, key


@pytest.mark.parametrize("words", PERIODS)
def test_whole_team_figures(engine: Engine, rows: pd.DataFrame, words: str) -> None:
    period = parse_period(words, TODAY)
    _check(snapshot(engine, Scope(TEAM), period, "all sellers"), rows, period, words=words)


@pytest.mark.parametrize("category", kpi_data.CATEGORIES)
@pytest.mark.parametrize("words", ["last week", "2026-09-22", "2026-09-01..2026-11-14"])
def test_category_figures(engine: Engine, rows: pd.DataFrame, category: str, words: str) -> None:
    period = parse_period(words, TODAY)
    _check(
        snapshot(engine, Scope(TEAM, category=category), period, category),
        rows,
        period,
        category=category,
    )


@pytest.mark.parametrize("key", ["S000", "S003", "S007", "S012"])
@pytest.mark.parametrize("words", ["last month", "2026-10-30", "2026-09-01..2026-11-14"])
def test_seller_figures(engine: Engine, rows: pd.DataFrame, key: str, words: str) -> None:
    seller = find_seller(engine, TEAM, key)
    assert seller is not None
    period = parse_period(words, TODAY)
    _check(
        snapshot(engine, Scope(TEAM, seller_id=seller.id), period, seller.name),
        rows,
        period,
        seller=key,
    )


def test_category_breakdown(engine: Engine, rows: pd.DataFrame) -> None:
    period = parse_period("last week", TODAY)
    snap = snapshot(engine, Scope(TEAM), period, "all sellers")
    current = window(rows, period.start, period.end)
    by_category = {c: kpi_data.cents(g["gmv"]) for c, g in current.groupby("category")}
    total = sum(by_category.values())
    assert [(c.category, c.gmv_cents) for c in snap.categories] == sorted(
        by_category.items(), key=lambda item: (-item[1], item[0])
    )
    assert all(c.share == Decimal(by_category[c.category]) / total for c in snap.categories)


# Whole weeks, weeks with days before and after them, single days and spans under a week.
SELLER_PERIODS = [
    "yesterday",
    "week",
    "last week",
    "month",
    "last month",
    "2026-09-03..2026-09-13",
    "2026-09-02..2026-10-20",
    "2026-09-15..2026-11-14",
    (EMPTY_DAY + timedelta(days=1)).isoformat(),
]


@pytest.mark.parametrize("category", [None, "Kitchenware"])
@pytest.mark.parametrize("words", SELLER_PERIODS)
def test_top_sellers_and_movers(
    engine: Engine, rows: pd.DataFrame, words: str, category: str | None
) -> None:
    period = parse_period(words, TODAY)
    check_sellers(snapshot(engine, Scope(TEAM, category), period, ""), rows, period, category)


def test_seller_sums_follow_reimports_and_category_changes(
    engine: Engine, rows: pd.DataFrame
) -> None:
    """A re-import of a few mid-week days, a seller moving category mid-week and new days in a
    week that already has some: every ranking still matches the rows."""
    days = pd.to_datetime(rows["date"]).dt.date
    changed = rows[
        (rows["seller_id"] == "S000") & (days >= date(2026, 10, 14)) & (days <= date(2026, 10, 16))
    ].copy()
    assert len(changed) == 3
    changed["category"] = "Kitchenware"
    changed["gmv"] = ["9000.00", "0.00", "123.45"]
    changed["orders"] = [90, 0, 3]
    last = rows[days == max(days)].copy()  # a Saturday; its Sunday follows as new days
    assert max(days).weekday() == 5
    last["date"] = (max(days) + timedelta(days=1)).isoformat()
    for sheet in (changed, last):
        importer_for("kpi-sheet")(
            engine, kpi_data.to_csv(sheet), ImportOptions(team_id=TEAM, filename="fix.csv")
        )
    frame = pd.concat([rows.drop(changed.index), changed, last], ignore_index=True)
    later = TODAY + timedelta(days=1)
    for words in ("2026-10-12..2026-10-25", "2026-10-15..2026-11-15", "last week", "month"):
        period = parse_period(words, later)
        for category in (None, "Kitchenware", "Home & Living"):
            snap = snapshot(engine, Scope(TEAM, category), period, "")
            check_sellers(snap, frame, period, category)


def test_sellers_that_start_late_and_stop_count_only_while_active(
    engine: Engine, rows: pd.DataFrame
) -> None:
    late = rows.groupby("seller_id")["date"].min()
    stopped = rows.groupby("seller_id")["date"].max()
    assert (late > FIRST_DAY.isoformat()).any(), "the data should have late starters"
    assert (stopped < (TODAY - timedelta(days=1)).isoformat()).any(), "and sellers that stop"
    period = parse_period("2026-09-01..2026-09-10", TODAY)
    adoption = next(
        f for f in snapshot(engine, Scope(TEAM), period, "").figures if f.kpi.key == "adoption"
    )
    in_period = window(rows, period.start, period.end)
    assert adoption.value == reference(in_period)["adoption"]
    assert in_period["seller_id"].nunique() < rows["seller_id"].nunique()


def test_an_empty_day_is_no_data_not_zero(engine: Engine, rows: pd.DataFrame) -> None:
    snap = snapshot(engine, Scope(TEAM), parse_period(EMPTY_DAY.isoformat(), TODAY), "")
    assert not snap.has_data
    assert all(f.value is None for f in snap.figures)


def test_rates_that_divide_by_zero_are_none(engine: Engine, rows: pd.DataFrame) -> None:
    quiet = rows[(rows["live_views"] == 0) & (rows["orders"] == 0)]
    key, day = quiet.iloc[0]["seller_id"], quiet.iloc[0]["date"]
    seller = find_seller(engine, TEAM, key)
    assert seller is not None
    period = parse_period(day, TODAY)
    figures = {
        f.kpi.key: f.value
        for f in snapshot(engine, Scope(TEAM, seller_id=seller.id), period, "").figures
    }
    assert figures["aov"] is None and figures["live_engagement"] is None
    assert figures["gpm"] is None
    assert figures["orders"] == 0


def test_reimporting_the_same_sheet_changes_no_figure(engine: Engine, rows: pd.DataFrame) -> None:
    period = Period(FIRST_DAY, TODAY - timedelta(days=1), "")
    before = snapshot(engine, Scope(TEAM), period, "")
    summary = importer_for("kpi-sheet")(
        engine, kpi_data.to_csv(rows), ImportOptions(team_id=TEAM, filename="kpi.csv")
    )
    assert (summary.new, summary.updated) == (0, len(rows))
    assert snapshot(engine, Scope(TEAM), period, "") == before


def test_other_workspaces_data_never_counts(engine: Engine, rows: pd.DataFrame) -> None:
    other = kpi_data.generate(seed=99)
    importer_for("kpi-sheet")(
        engine, kpi_data.to_csv(other), ImportOptions(team_id="TOTHER", filename="kpi.csv")
    )
    period = parse_period("last month", TODAY)
    _check(snapshot(engine, Scope(TEAM), period, ""), rows, period)


def test_today_without_todays_data_shows_the_latest_day(engine: Engine, rows: pd.DataFrame) -> None:
    from bot.shared.kpis.engine import resolve_today
    from storage.kpis.reads import latest_day

    latest = latest_day(engine, Scope(TEAM))
    assert resolve_today(latest, TODAY) == (TODAY - timedelta(days=1), False)
    assert resolve_today(latest, date(2026, 9, 5)) == (date(2026, 9, 5), True)
    assert resolve_today(None, TODAY) == (TODAY, True)


def test_a_sellers_latest_day_is_its_own(engine: Engine, rows: pd.DataFrame) -> None:
    from bot.shared.kpis.engine import resolve_today
    from storage.kpis.reads import latest_day

    other = kpi_data.generate(seed=99)  # the same seller keys in another workspace, other days
    importer_for("kpi-sheet")(
        engine, kpi_data.to_csv(other), ImportOptions(team_id="TOTHER", filename="kpi.csv")
    )
    last_days = rows.groupby("seller_id")["date"].max()
    assert (last_days < (TODAY - timedelta(days=1)).isoformat()).any(), "some sellers stop"
    for key, last in last_days.items():
        seller = find_seller(engine, TEAM, str(key))
        assert seller is not None
        expected = date.fromisoformat(last)
        shown = resolve_today(latest_day(engine, Scope(TEAM, seller_id=seller.id)), TODAY)
        assert shown == ((TODAY, True) if expected >= TODAY else (expected, False)), key


def test_ties_for_the_last_places_go_by_name(engine: Engine) -> None:
    from storage.kpis.reads import leading_sellers

    names = ["Zeta", "Eta", "Alpha", "Theta", "Delta", "Gamma", "Beta"]
    lines = [f"2026-11-02,K{i},{name},Home,5.00,1" for i, name in enumerate(names)]
    lines += ["2026-11-02,K9,Omega,Home,9.00,2", "2026-11-01,K9,Omega,Home,1.00,1"]
    sheet = "date,seller_id,seller_name,category,gmv,orders\n" + "\n".join(lines)
    importer_for("kpi-sheet")(engine, sheet.encode(), ImportOptions(team_id=TEAM, filename="t.csv"))
    day, before = (date(2026, 11, 2),) * 2, (date(2026, 11, 1),) * 2
    top, movers = leading_sellers(engine, Scope(TEAM), day, before, 5)
    assert [(s.name, s.gmv_cents) for s in top] == [
        ("Omega", 900),
        ("Alpha", 500),
        ("Beta", 500),
        ("Delta", 500),
        ("Eta", 500),
    ]
    assert [(s.name, s.gmv_cents - s.previous_gmv_cents) for s in movers] == [
        ("Omega", 800),
        ("Alpha", 500),
        ("Beta", 500),
        ("Delta", 500),
        ("Eta", 500),
    ]
    assert top[0].key == "K9" and top[0].orders == 2
