"""The digest's content on both databases: its numbers against tests/kpi_data.py's independent
reference, its charts as decodable 960 × 540 PNGs, the "no data" week, and its sections."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pandas as pd
import pytest
from PIL import Image
from sqlalchemy.engine import Engine
from sqlmodel import select

from app import FEATURES
from bot.digest.content import Digest, compose_digest
from bot.features import Features
from bot.shared.digest_section import DigestSpec
from bot.shared.kpis.definitions import KPIS
from bot.shared.numbers import NumberStyle
from bot.shared.periods import Period
from bot.shared.schedule import last_full_week
from storage.creators.models import Creator
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from storage.reviews.models import LivestreamReview
from storage.reviews.scorecard import SCORECARD
from storage.sellers.models import Seller
from tests.digest_support import TEAM, import_kpis
from tests.kpi_data import cents, expected_change, reference, window

SECTIONS = Features(FEATURES).digest_sections

STYLE = NumberStyle("USD", "en_US")
WEEK = last_full_week(date(2026, 10, 19))  # 12–18 Oct 2026, a full week of data
SUMMARY = {
    "gmv": "GMV",
    "orders": "Orders",
    "aov": "AOV",
    "live_share": "LIVE share",
    "live_engagement": "LIVE engagement",
    "adoption": "Seller adoption",
}
UNITS = {"gmv": "money", "aov": "money", "orders": "count"}


KPI_BY_KEY = {kpi.key: kpi for kpi in KPIS}


@pytest.fixture
def rows(engine: Engine) -> pd.DataFrame:
    return import_kpis(engine)


def digest_for(engine: Engine, week: Period = WEEK, category: str | None = None) -> Digest:
    spec = DigestSpec(TEAM, week, category, "Europe/Berlin")
    return compose_digest(engine, spec, SECTIONS)


def shown(key: str, value: object) -> str:
    unit = UNITS.get(key, "rate")
    if unit == "money":
        return STYLE.money(value)  # type: ignore[arg-type]
    if unit == "count":
        return STYLE.count(value)  # type: ignore[arg-type]
    return STYLE.rate(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("category", [None, "Personal Care"])
def test_key_numbers_match_the_reference(
    engine: Engine, rows: pd.DataFrame, category: str | None
) -> None:
    digest = digest_for(engine, category=category)
    now = reference(window(rows, WEEK.start, WEEK.end, category))
    before = reference(window(rows, WEEK.start - timedelta(7), WEEK.end - timedelta(7), category))
    for key, label in SUMMARY.items():
        moved = expected_change(key, now[key], before[key])
        change = STYLE.kpi_change(KPI_BY_KEY[key], moved)
        assert f"*{label}* {shown(key, now[key])} · {change}" in digest.text, label
    assert digest.title == f"Weekly digest · {category or 'all categories'} · 12 – 18 Oct 2026"
    assert digest.text.startswith(f"*{digest.title}* (vs 5 – 11 Oct 2026)")


def test_categories_and_sellers_match_the_reference(engine: Engine, rows: pd.DataFrame) -> None:
    digest = digest_for(engine)
    week = window(rows, WEEK.start, WEEK.end)
    total = cents(week["gmv"])
    for category, group in week.groupby("category"):
        gmv = cents(group["gmv"])
        share = STYLE.rate(Decimal(gmv) / Decimal(total))
        assert f"• {str(category).replace('&', '&amp;')}: {STYLE.money(gmv)} ({share})" in (
            digest.text
        )
    by_seller = {name: cents(g["gmv"]) for name, g in week.groupby("seller_name")}
    best = max(by_seller.items(), key=lambda kv: (kv[1], kv[0]))
    assert f"*Top sellers*\n• {best[0]}: {STYLE.money(best[1])} · " in digest.text


def test_charts_are_960_by_540_pngs(engine: Engine, rows: pd.DataFrame) -> None:
    digest = digest_for(engine)
    assert [c.key for c in digest.charts] == ["gmv-by-day", "gmv-by-category"]
    for chart in digest.charts:
        image = Image.open(io.BytesIO(chart.png))
        image.load()  # decodes every byte, not just the header
        assert image.format == "PNG"
        assert image.size == (960, 540)
    one_category = digest_for(engine, category="Kitchenware")
    assert [c.key for c in one_category.charts] == ["gmv-by-day", "gmv-by-seller"]


def test_a_week_without_data_is_a_short_note_and_no_chart(
    engine: Engine, rows: pd.DataFrame
) -> None:
    digest = digest_for(engine, last_full_week(date(2027, 1, 4)))
    assert not digest.has_data and digest.charts == ()
    assert "No data for this week: nothing was imported for 28 Dec 2026 – 3 Jan 2027." in (
        digest.text
    )
    assert "The latest figures are from Sat 14 Nov 2026." in digest.text
    assert "*GMV*" not in digest.text
    empty = compose_digest(engine, DigestSpec("T0EMPTY", WEEK, None, "UTC"), SECTIONS)
    assert not empty.has_data and "No data yet." in empty.text


def test_a_week_with_its_last_days_missing_says_so(engine: Engine, rows: pd.DataFrame) -> None:
    digest = digest_for(engine, last_full_week(date(2026, 11, 16)))  # 9–15 Nov; data to the 14th
    assert "Data up to Sat 14 Nov 2026 (the figures after Sat 14 Nov are not in yet)" in digest.text
    assert digest.charts, "six days of data are charted"


def _review(seller_id: int, day: date, scores: dict[str, int], n: int) -> LivestreamReview:
    return LivestreamReview(
        team_id=TEAM,
        seller_id=seller_id,
        stream_date=day,
        stream_started_at=datetime.combine(day, time(19)),
        reviewer_user_id="U0PRIYA",
        client_key=f"review-{n}",
        **{f"score_{item}": scores.get(item, 3) for item in SCORECARD},
    )


def test_livestream_reviews_of_the_week(engine: Engine, rows: pd.DataFrame) -> None:
    assert "Livestream reviews" not in digest_for(engine).text  # none yet: no section
    with transaction(engine) as session:
        sellers = {s.category: s.id for s in session.exec(select(Seller)).all()}
        kitchen, care = sellers["Kitchenware"], sellers["Personal Care"]
        session.add(_review(kitchen, date(2026, 10, 13), {"host_presence": 5, "compliance": 1}, 1))
        session.add(_review(care, date(2026, 10, 16), {"host_presence": 4, "compliance": 2}, 2))
        session.add(_review(care, date(2026, 10, 7), {}, 3))  # the week before: all threes
    text = digest_for(engine).text
    # Means: host presence 4.5, compliance 1.5, the rest 3; overall (4.5 + 1.5 + 8×3) / 10.
    assert (
        "*Livestream reviews* · 2 streams reviewed (▲ 1 vs the 7 days before), average score "
        "3.0 / 5 (before: 3.0) · best: Host presence 4.5 · weakest: Compliance 1.5"
    ) in text
    assert "review-scores" in [c.key for c in digest_for(engine).charts]
    kitchen_only = digest_for(engine, category="Kitchenware").text
    assert "1 stream reviewed (new vs the 7 days before)" in kitchen_only
    assert "(before: none)" in kitchen_only


def test_creator_feedback_joins_when_the_week_has_notes(engine: Engine, rows: pd.DataFrame) -> None:
    with transaction(engine) as session:
        creator = Creator(team_id=TEAM, handle="maria.makes", display_name="Maria")
        session.add(creator)
        session.flush()
        assert creator.id is not None
        for n, sentiment in enumerate(("positive", "negative", "positive")):
            written = datetime(2026, 10, 14, 10 + n, tzinfo=UTC)
            session.add(
                FeedbackNote(
                    team_id=TEAM,
                    creator_id=creator.id,
                    author_user_id="U0TOM",
                    text=f"note {n} about the unboxing video",
                    topic="content",
                    sentiment=sentiment,
                    created_at=written,
                    updated_at=written,
                )
            )
    digest = digest_for(engine)
    assert "Creator feedback" in digest.text and ": 3 notes" in digest.text
    assert [c.key for c in digest.charts][-1] == "creator-feedback"
    assert "Creator feedback" not in digest_for(engine, category="Kitchenware").text
