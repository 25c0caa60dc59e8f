"""The demo data set: realistic figures, the same rows for the same day, and safe to load again."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from statistics import median
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from devkit.demo.data import DEMO_TEAM_ID, SESSION_DAYS, UNNOTICED_DAYS, DemoCounts, plan_sellers
from devkit.demo.matchmaking import ADDITIVE
from devkit.demo.seed import seed_demo
from storage.creators.models import CreatorStage
from storage.feedback.models import Sentiment
from storage.reviews.scorecard import SCORECARD

TODAY = date(2025, 12, 20)  # the window holds the 9.9, 10.10, 11.11 and 12.12 sales
DAYS = 120
NOTE_TOPICS = {"samples", "commission", "product", "content", "logistics", "payments", "platform"}
NOTHING = DemoCounts(
    sellers=0,
    creators=0,
    level_changes=0,
    kpi_rows=0,
    notes=0,
    reviews=0,
    collaborations=0,
    live_sessions=0,
    seller_notes=0,
    snapshots=0,
    pipeline=0,
)


def _rows(engine: Engine, name: str, team_id: str = DEMO_TEAM_ID) -> list[dict[str, Any]]:
    table = SQLModel.metadata.tables[name]
    with engine.connect() as connection:
        result = connection.execute(select(table).where(table.c.team_id == team_id))
        return [dict(row) for row in result.mappings()]


def test_sellers_creators_notes_and_reviews_look_like_a_lifestyle_team(engine: Engine) -> None:
    summary = seed_demo(engine, today=TODAY, days=DAYS)

    sellers = _rows(engine, "seller")
    assert summary.sellers == summary.totals.sellers == len(sellers) >= 150
    assert len({s["category"] for s in sellers}) >= 6
    assert all(re.fullmatch(r"\d{15,20}", s["seller_key"]) for s in sellers)
    assert len({s["name"] for s in sellers}) == len(sellers)
    assert all(s["market"] and re.fullmatch(r"U0DEMO\d\d", s["owner_user_id"]) for s in sellers)
    assert 1 <= sum(s["status"] == "inactive" for s in sellers) <= 15
    assert sorted(s["number"] for s in sellers) == list(range(len(sellers)))

    creators = _rows(engine, "creator")
    assert summary.creators == len(creators) == 300
    assert all(re.fullmatch(r"[a-z0-9._]+", c["handle"]) for c in creators)
    assert len({c["handle"] for c in creators}) == 300
    assert all(0 <= c["level"] <= 8 and c["followers"] > 0 and c["categories"] for c in creators)
    assert {c["stage"] for c in creators} == set(CreatorStage)
    assert len({c["level"] for c in creators}) == 9

    changes = _rows(engine, "creatorlevelchange")
    assert summary.level_changes == len(changes) >= 300
    assert all(
        0 <= ch["level"] <= 8
        and ch["previous_level"] not in (None, ch["level"])
        and ch["effective_on"].day == 1
        and ch["effective_on"] <= TODAY
        for ch in changes
    )
    level_now = {c["id"]: c["level"] for c in creators}
    assert all(
        level_now[ch["creator_id"]] == ch["level"]
        for ch in changes
        if ch["effective_on"] == TODAY.replace(day=1)
    )

    notes = _rows(engine, "feedbacknote")
    assert 200 <= summary.notes == len(notes) <= 600
    assert {n["client_key"] for n in notes} == {f"demo-note-{i}" for i in range(1, len(notes) + 1)}
    assert {n["topic"] for n in notes} == NOTE_TOPICS
    assert {n["sentiment"] for n in notes} == set(Sentiment)
    assert any(n["follow_up_on"] for n in notes) and any(n["tags"] for n in notes)

    reviews = _rows(engine, "livestreamreview")
    assert 24 <= summary.reviews == len(reviews) <= 100
    assert all(r["client_key"].startswith("demo-review-") and r["seller_id"] for r in reviews)
    assert all(1 <= r[f"score_{item}"] <= 5 for r in reviews for item in SCORECARD)
    assert all(r["strengths"] and r["improvements"] for r in reviews)
    assert all(type(r["gmv_cents"]) is int and r["gmv_cents"] > 0 < r["views"] for r in reviews)
    # Every review is of a demo LIVE session, and its figures are the session's.
    sessions = {s["id"]: s for s in _rows(engine, "livesession")}
    assert summary.live_sessions == len(sessions) >= 500
    for review in reviews:
        session = sessions[review["live_session_id"]]
        assert session["seller_id"] == review["seller_id"]
        assert session["started_at"] == review["stream_started_at"]
        assert (session["views"], session["gmv_cents"]) == (review["views"], review["gmv_cents"])
    assert any(r["improvement_tags"] for r in reviews) and any(r["best_practice"] for r in reviews)

    assert summary.collaborations == len(_rows(engine, "collaboration")) > 0
    assert len(_rows(engine, "workspace")) == 1


def _assert_consistent(kpi: dict[str, Any]) -> None:
    money = [kpi[name] for name in kpi if name.endswith("_cents")]
    assert all(type(value) is int and value >= 0 for value in money), kpi
    if kpi["gmv_cents"] > 0:
        assert kpi["orders"] >= kpi["buyers"] > 0, kpi
    else:
        assert kpi["orders"] == kpi["buyers"] == kpi["items_sold"] == 0, kpi
    assert kpi["items_sold"] >= kpi["orders"], kpi
    assert kpi["live_gmv_cents"] + kpi["video_gmv_cents"] <= kpi["gmv_cents"], kpi
    assert kpi["affiliate_gmv_cents"] <= kpi["gmv_cents"], kpi
    sessions = kpi["live_sessions"]
    if sessions:
        assert 15 * sessions <= kpi["live_minutes"] <= 360 * sessions, kpi
        assert kpi["live_views"] >= max(kpi["live_comments"], kpi["live_shares"], 1), kpi
    else:
        live = ("live_minutes", "live_views", "live_likes", "live_comments", "live_gmv_cents")
        assert all(kpi[name] == 0 for name in live), kpi


def test_kpis_cover_the_window_ending_yesterday_and_add_up(engine: Engine) -> None:
    summary = seed_demo(engine, today=TODAY, days=DAYS)
    kpis = _rows(engine, "dailysellerkpi")
    assert summary.kpi_rows == len(kpis) >= 150 * DAYS * 0.9

    days = {k["day"] for k in kpis}
    assert len(days) == DAYS
    assert (min(days), max(days)) == (TODAY - timedelta(days=DAYS), TODAY - timedelta(days=1))
    yesterday = {k["seller_id"] for k in kpis if k["day"] == TODAY - timedelta(days=1)}
    sellers = _rows(engine, "seller")
    assert yesterday == _trading(sellers)
    # A seller that stopped lately is still active in the registry; its data has stopped.
    unnoticed = {s["id"] for s in sellers if s["status"] == "active"} - yesterday
    assert unnoticed
    for seller_id in unnoticed:
        last = max(k["day"] for k in kpis if k["seller_id"] == seller_id)
        assert TODAY - timedelta(days=UNNOTICED_DAYS) <= last < TODAY - timedelta(days=2)
    for kpi in kpis:
        _assert_consistent(kpi)

    gmv_by_day: dict[date, int] = defaultdict(int)
    for kpi in kpis:
        gmv_by_day[kpi["day"]] += kpi["gmv_cents"]
    typical = median(gmv_by_day.values())
    weekend = median(g for d, g in gmv_by_day.items() if d.weekday() >= 5)
    weekday = median(g for d, g in gmv_by_day.items() if d.weekday() < 5)
    assert weekend > 1.1 * weekday
    assert gmv_by_day[date(2025, 11, 11)] > 2.5 * typical  # the mega sale
    assert min(gmv_by_day.values()) < 0.5 * typical  # the outage


def _trading(sellers: list[dict[str, Any]]) -> set[int]:
    """The ids of the sellers that still trade: active, and not one that stopped lately."""
    stopped = {p.key for p in plan_sellers() if p.stopped_days_ago is not None}
    return {s["id"] for s in sellers if s["status"] == "active" and s["seller_key"] not in stopped}


def _comparable(engine: Engine, team_id: str) -> dict[str, list[Any]]:
    """The team's demo rows with ids and the team left out, so two teams can be compared."""
    sellers = {s["id"]: s["seller_key"] for s in _rows(engine, "seller", team_id)}
    creators = {c["id"]: c["handle"] for c in _rows(engine, "creator", team_id)}
    sessions = {
        s["id"]: (sellers[s["seller_id"]], s["started_at"])
        for s in _rows(engine, "livesession", team_id)
    }
    tables = (
        "seller",
        "creator",
        "creatorlevelchange",
        "collaboration",
        "dailysellerkpi",
        "feedbacknote",
        "livestreamreview",
        "livesession",
    )
    comparable: dict[str, list[Any]] = {}
    for name in tables:
        rows = []
        for row in _rows(engine, name, team_id):
            del row["id"], row["team_id"]
            if "seller_id" in row:
                row["seller_id"] = sellers.get(row["seller_id"])
            if "creator_id" in row:
                row["creator_id"] = creators.get(row["creator_id"])
            if "live_session_id" in row:
                row["live_session_id"] = sessions.get(row["live_session_id"])
            rows.append(row)
        comparable[name] = sorted(rows, key=repr)
    return comparable


def test_weekly_seller_sums_add_up_the_days_also_after_the_next_day(engine: Engine) -> None:
    seed_demo(engine, today=TODAY, days=30)
    seed_demo(engine, today=TODAY + timedelta(days=1), days=30)
    expected: dict[tuple[date, str, int], list[int]] = defaultdict(lambda: [0, 0])
    for kpi in _rows(engine, "dailysellerkpi"):
        sums = expected[
            (kpi["day"] - timedelta(days=kpi["day"].weekday()), kpi["category"], kpi["seller_id"])
        ]
        sums[0] += kpi["gmv_cents"]
        sums[1] += kpi["orders"]
    weeks = {
        (w["week"], w["category"], w["seller_id"]): [w["gmv_cents"], w["orders"]]
        for w in _rows(engine, "weeklysellerkpi")
    }
    assert weeks == dict(expected)


def test_seller_arrays_per_day_hold_the_days_also_after_the_next_day(engine: Engine) -> None:
    seed_demo(engine, today=TODAY, days=30)
    seed_demo(engine, today=TODAY + timedelta(days=1), days=30)
    numbers = {s["id"]: s["number"] for s in _rows(engine, "seller")}
    expected: dict[tuple[date, str], list[tuple[int, int, int]]] = defaultdict(list)
    for kpi in _rows(engine, "dailysellerkpi"):
        expected[(kpi["day"], kpi["category"])].append(
            (numbers[kpi["seller_id"]], kpi["gmv_cents"], kpi["orders"])
        )
    arrays = {
        (row["day"], row["category"]): list(
            zip(
                np.frombuffer(row["sellers"], "<i4").tolist(),
                np.frombuffer(row["gmv_cents"], "<i8").tolist(),
                np.frombuffer(row["orders"], "<i8").tolist(),
                strict=True,
            )
        )
        for row in _rows(engine, "dailycategorysellers")
    }
    assert arrays == {key: sorted(sellers) for key, sellers in expected.items()}


def test_the_same_day_gives_the_same_rows(engine: Engine) -> None:
    first = seed_demo(engine, team_id="TFIRST", today=TODAY, days=DAYS)
    second = seed_demo(engine, team_id="TSECOND", today=TODAY, days=DAYS)

    assert first == second
    assert _comparable(engine, "TFIRST") == _comparable(engine, "TSECOND")


def test_seeding_again_inserts_nothing(engine: Engine) -> None:
    first = seed_demo(engine, today=TODAY, days=30)
    again = seed_demo(engine, today=TODAY, days=30)

    assert again.added == NOTHING
    assert again.totals == first.totals == first.added
    assert again.describe().startswith("already loaded")


def test_the_next_day_adds_only_that_days_kpis(engine: Engine) -> None:
    first = seed_demo(engine, today=TODAY, days=30)
    tomorrow = seed_demo(engine, today=TODAY + timedelta(days=1), days=30)

    active = len(_trading(_rows(engine, "seller")))
    streams = [s for s in _rows(engine, "livesession") if s["started_at"].date() == TODAY]
    assert tomorrow.added == replace(NOTHING, kpi_rows=active, live_sessions=len(streams))
    assert tomorrow.totals.kpi_rows == first.totals.kpi_rows + active
    newest = [k for k in _rows(engine, "dailysellerkpi") if k["day"] == TODAY]
    assert len(newest) == active
    for kpi in newest:
        _assert_consistent(kpi)


def test_a_new_month_adds_its_level_refresh_and_the_missing_days(engine: Engine) -> None:
    seed_demo(engine, today=TODAY, days=30)
    later = date(2026, 1, 3)
    summary = seed_demo(engine, today=later, days=30)

    active = len(_trading(_rows(engine, "seller")))
    assert summary.kpi_rows == active * (later - TODAY).days
    assert summary.level_changes > 0
    assert (summary.sellers, summary.creators, summary.notes, summary.reviews) == (0, 0, 0, 0)
    changes = _rows(engine, "creatorlevelchange")
    january = {
        c["creator_id"]: c["level"] for c in changes if c["effective_on"] == date(2026, 1, 1)
    }
    assert len(january) == summary.level_changes
    assert all(january.get(c["id"], c["level"]) == c["level"] for c in _rows(engine, "creator"))


def test_the_demo_data_answers_kpi_questions(engine: Engine) -> None:
    """The summaries /kpi reads are filled by the demo loader too, not only by imports."""
    from bot.shared.kpis.engine import snapshot
    from bot.shared.periods import parse_period
    from storage.kpis.reads import Scope

    today = date(2026, 11, 22)
    seed_demo(engine, team_id="TKPI", today=today, days=30)
    result = snapshot(engine, Scope("TKPI"), parse_period("last week", today), "all sellers")
    assert result.has_data and result.data_until == date(2026, 11, 21)
    gmv = next(f.value for f in result.figures if f.kpi.key == "gmv")
    assert isinstance(gmv, int) and gmv > 0


AGREES = "TAGREES"


@pytest.fixture(scope="module")
def demo_rows(migrated_engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """The demo loaded once per database for the checks that it agrees with itself, read into
    memory at once (other tests empty the database between tests)."""
    seed_demo(migrated_engine, team_id=AGREES, today=TODAY, days=DAYS)
    names = ("dailysellerkpi", "livesession", "creatorperformance", "livestreamreview", "creator")
    return {name: _rows(migrated_engine, name, AGREES) for name in names}


def test_a_days_live_sessions_add_up_to_its_kpi_sheet_live_figures(
    demo_rows: dict[str, list[dict[str, Any]]],
) -> None:
    summed: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for session in demo_rows["livesession"]:
        day = summed[(session["seller_id"], session["started_at"].date())]
        day["live_sessions"] += 1
        day["live_gmv_cents"] += session["gmv_cents"]
        day["live_minutes"] += session["duration_minutes"]
        for figure in ("views", "likes", "comments", "shares"):
            day[f"live_{figure}"] += session[figure]
    first_session_day = TODAY - timedelta(days=SESSION_DAYS)
    checked = 0
    for kpi in demo_rows["dailysellerkpi"]:
        if kpi["day"] < first_session_day:
            continue  # older than the LIVE sessions export reaches (the README says so)
        sessions = summed.pop((kpi["seller_id"], kpi["day"]), {})
        assert {name: kpi[name] for name in sessions} == sessions, kpi
        assert bool(sessions) == (kpi["live_sessions"] > 0), kpi
        checked += bool(sessions)
    assert summed == {}, "sessions on a seller-day the KPI sheet does not have"
    assert checked >= 500


def test_a_creators_category_rows_add_up_to_its_overall_figures(
    demo_rows: dict[str, list[dict[str, Any]]],
) -> None:
    snapshots: dict[tuple[int, date], list[dict[str, Any]]] = defaultdict(list)
    for row in demo_rows["creatorperformance"]:
        snapshots[(row["creator_id"], row["as_of"])].append(row)
    split = 0
    for rows in snapshots.values():
        overall = [r for r in rows if r["category"] == ""]
        categories = [r for r in rows if r["category"]]
        assert len(overall) == 1
        if not categories:
            continue
        split += 1
        for name in ADDITIVE:
            assert sum(r[name] for r in categories) == overall[0][name], (name, rows)
        assert all(r["posts_after_samples"] <= r["samples_shipped"] for r in categories)
    assert split == len(demo_rows["creator"])


def test_every_review_shows_a_session_of_its_own_host(
    demo_rows: dict[str, list[dict[str, Any]]],
) -> None:
    sessions = {s["id"]: s for s in demo_rows["livesession"]}
    creators = {c["id"]: c for c in demo_rows["creator"]}
    reviews = demo_rows["livestreamreview"]
    for review in reviews:
        session = sessions[review["live_session_id"]]
        assert session["host_name"] == review["host_name"], review
        if review["creator_id"] is not None:
            assert creators[review["creator_id"]]["display_name"] == session["host_name"]
    # Both kinds of host are reviewed: the seller's own and registry creators.
    assert {r["creator_id"] is None for r in reviews} == {True, False}
