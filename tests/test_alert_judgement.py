"""The pure judgement of alert rules: robust usual ranges, percent rules and thresholds,
complete days, contributions, and when a persisting condition speaks again."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from bot.alerts.contributions import Parts, contributions
from bot.alerts.episodes import STEP, episode_start, should_fire
from bot.alerts.judge import RuleTerms, judge
from bot.shared.kpis.completeness import is_complete, latest_complete_day

MONDAY = date(2026, 11, 23)
WEEKLY = (100, 100, 105, 110, 120, 60, 80)  # Monday to Sunday: a quiet Saturday


def _weeks(weeks: int, last: date = MONDAY) -> dict[date, Decimal]:
    first = last - timedelta(days=7 * weeks - 1)
    return {
        first + timedelta(days=n): Decimal(WEEKLY[(first + timedelta(days=n)).weekday()])
        for n in range(7 * weeks)
    }


def test_a_normal_saturday_dip_is_not_unusual_but_a_dip_on_a_monday_is() -> None:
    values = _weeks(10)
    saturday = MONDAY - timedelta(days=2)
    verdict = judge(RuleTerms(), values, saturday)
    assert verdict is not None and not verdict.breached and verdict.expected == 60
    values[MONDAY] = Decimal(60)
    verdict = judge(RuleTerms(), values, MONDAY)
    assert verdict is not None and verdict.breached
    assert verdict.severity == Decimal("0.4") and verdict.below


def test_one_earlier_outage_does_not_widen_the_usual_range() -> None:
    values = _weeks(10)
    values[MONDAY - timedelta(weeks=3)] = Decimal(0)
    values[MONDAY] = Decimal(70)
    verdict = judge(RuleTerms(), values, MONDAY)
    assert verdict is not None and verdict.breached and verdict.expected == 100


def test_too_little_history_judges_nothing() -> None:
    values = _weeks(5)
    assert judge(RuleTerms(), values, MONDAY) is None


def test_percent_rules_against_last_week_and_the_trailing_average() -> None:
    values = _weeks(3)
    values[MONDAY] = Decimal(69)
    week = judge(RuleTerms("drop", "week", 30), values, MONDAY)
    assert week is not None and week.breached and week.expected == 100
    trailing = judge(RuleTerms("drop", "trailing", 30), values, MONDAY)
    mean = sum(WEEKLY, Decimal(0)) / 7
    assert trailing is not None and trailing.expected == mean and not trailing.breached
    rise = judge(RuleTerms("rise", "week", 50), values, MONDAY)
    assert rise is not None and not rise.breached


def test_thresholds() -> None:
    values = {MONDAY: Decimal(70)}
    below = judge(RuleTerms("below", threshold=Decimal(100)), values, MONDAY)
    assert below is not None and below.breached and below.severity == Decimal("0.3")
    above = judge(RuleTerms("above", threshold=Decimal(100)), values, MONDAY)
    assert above is not None and not above.breached


@given(
    st.lists(st.floats(0.97, 1.03), min_size=70, max_size=70),
    st.integers(0, 6),
)
def test_weekly_seasonality_within_three_percent_is_never_unusual(
    noise: list[float], weekday: int
) -> None:
    first = MONDAY - timedelta(days=69)
    values = {
        first + timedelta(days=n): Decimal(WEEKLY[(first + timedelta(days=n)).weekday()] * f)
        for n, f in enumerate(noise)
    }
    day = MONDAY - timedelta(days=weekday)
    verdict = judge(RuleTerms(), values, day)
    assert verdict is None or not verdict.breached


def test_a_day_is_complete_when_every_steady_seller_reported_it() -> None:
    day = MONDAY
    presence = {
        day - timedelta(days=14): 0b111,
        day - timedelta(days=7): 0b011,  # seller 2 stopped: not steady
        day: 0b011,
    }
    assert is_complete(presence, day)
    presence[day] = 0b001  # seller 1's file is late
    assert not is_complete(presence, day)
    presence[day - timedelta(days=1)] = 0b011
    presence[day - timedelta(days=8)] = 0b011
    presence[day - timedelta(days=15)] = 0b011
    assert latest_complete_day(presence, day + timedelta(days=1)) == day - timedelta(days=1)
    assert latest_complete_day({day: 1}, day) is None  # today is never complete


def test_contributions_name_the_parts_that_moved_with_the_change() -> None:
    days = sorted(_weeks(2))
    falling = [20 if d == MONDAY else 100 for d in days]
    rising = [110 if d == MONDAY else 100 for d in days]
    steady = [100 for _ in days]
    parts = Parts(["A", "B", "C"], days, np.array([falling, rising, steady]))
    found = contributions(RuleTerms("drop", "week", 30), parts, MONDAY)
    assert [(c.name, c.change) for c in found] == [("A", Decimal(-80))]
    assert found[0].share == Decimal(-80) / Decimal(-70)
    unusual = contributions(RuleTerms(), Parts(["A"], days, np.array([falling])), MONDAY)
    assert unusual == []  # two weeks are too little history for the weekday's median


def test_a_persisting_condition_speaks_again_only_a_step_worse() -> None:
    values = _weeks(10)
    sunday, monday = MONDAY - timedelta(days=1), MONDAY
    values[sunday], values[monday] = Decimal(40), Decimal(45)  # both far below usual
    terms = RuleTerms()
    verdict = judge(terms, values, monday)
    assert verdict is not None and verdict.breached
    start = episode_start(monday, lambda d: judge(terms, values, d), lambda d: d in values)
    assert start == sunday
    assert should_fire(verdict, start, {})
    assert not should_fire(verdict, start, {sunday: verdict.severity - STEP / 2})
    assert should_fire(verdict, start, {sunday: verdict.severity - STEP})
