"""What matchmaking reads from the database: sellers with their AOV and LIVE share, creators
with their latest performance, note sentiment, and the pairs that already work together.

Every function filters on the workspace and returns plain data (`storage.match_data`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, case, cast, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from storage.match_data import CreatorFacts, SellerFacts
from storage.models import (
    Collaboration,
    Creator,
    CreatorPerformance,
    DailySellerKpi,
    FeedbackNote,
    Outreach,
    OutreachStage,
    Seller,
    WeeklySellerKpi,
)
from storage.names import match_key

AOV_WEEKS = 12  # the seller's AOV over the last twelve weeks with figures
LIVE_SHARE_DAYS = 28
SENTIMENT_DAYS = 90  # "recent" feedback
_SENTIMENT = {"positive": 1, "neutral": 0, "negative": -1}
_creators = Creator.__table__  # type: ignore[attr-defined]
_performance = CreatorPerformance.__table__  # type: ignore[attr-defined]
_sellers = Seller.__table__  # type: ignore[attr-defined]
FILL = 200  # creators from outside the category, best overall GPM first, when few sell in it


def _chunks(ids: Sequence[int], size: int = 900) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def seller_facts(
    engine: Engine, team_id: str, seller_ids: Sequence[int], today: date
) -> list[SellerFacts]:
    """The sellers (all of the workspace's when `seller_ids` is empty) with their AOV."""
    sellers = sa_select(_sellers.c.id, _sellers.c.name, _sellers.c.category).where(
        _sellers.c.team_id == team_id
    )
    weekly = WeeklySellerKpi.__table__  # type: ignore[attr-defined]
    sums = sa_select(weekly.c.seller_id, func.sum(weekly.c.gmv_cents), func.sum(weekly.c.orders))
    sums = sums.where(
        weekly.c.team_id == team_id, weekly.c.week >= today - timedelta(weeks=AOV_WEEKS)
    )
    if seller_ids:
        sellers = sellers.where(_sellers.c.id.in_(list(seller_ids)))
        sums = sums.where(weekly.c.seller_id.in_(list(seller_ids)))
    with engine.connect() as connection:
        rows = connection.execute(sellers).all()
        aov = {
            seller_id: int(gmv) // int(orders)
            for seller_id, gmv, orders in connection.execute(sums.group_by(weekly.c.seller_id))
            if orders
        }
    return [
        SellerFacts(
            id=seller_id,
            name=name,
            category=category,
            category_key=match_key(category),
            aov_cents=aov.get(seller_id),
        )
        for seller_id, name, category in rows
    ]


def live_shares(
    engine: Engine, team_id: str, seller_ids: Sequence[int], today: date
) -> dict[int, float]:
    """LIVE GMV ÷ GMV of each seller over the last four weeks (sellers with GMV only)."""
    since = today - timedelta(days=LIVE_SHARE_DAYS)
    shares: dict[int, float] = {}
    with Session(engine) as session:
        for chunk in _chunks(list(seller_ids)):
            statement = (
                select(
                    DailySellerKpi.seller_id,
                    func.sum(DailySellerKpi.live_gmv_cents),
                    func.sum(DailySellerKpi.gmv_cents),
                )
                .where(
                    DailySellerKpi.team_id == team_id,
                    DailySellerKpi.day >= since,
                    col(DailySellerKpi.seller_id).in_(list(chunk)),
                )
                .group_by(col(DailySellerKpi.seller_id))
            )
            for seller_id, live, gmv in session.exec(statement):
                if gmv:
                    shares[seller_id] = min(1.0, max(0.0, int(live or 0) / int(gmv)))
    return shares


def _sentiments(
    session: Session, team_id: str, today: date, creator_id: int | None = None
) -> dict[int, float]:
    """Each creator's mean note sentiment (-1 to 1) over the recent days."""
    since = datetime.combine(today - timedelta(days=SENTIMENT_DAYS), time(), tzinfo=UTC)
    score = case(
        (col(FeedbackNote.sentiment) == "positive", 1),
        (col(FeedbackNote.sentiment) == "negative", -1),
        else_=0,
    )
    statement = (
        select(FeedbackNote.creator_id, func.sum(score), func.count())
        .where(
            FeedbackNote.team_id == team_id,
            col(FeedbackNote.deleted_at).is_(None),
            col(FeedbackNote.created_at) >= since,
        )
        .group_by(col(FeedbackNote.creator_id))
    )
    if creator_id is not None:
        statement = statement.where(FeedbackNote.creator_id == creator_id)
    return {
        creator_id: int(total) / int(n) for creator_id, total, n in session.exec(statement) if n
    }


def _order_value(row: Any) -> int | None:
    if row is None or not row.gmv_cents:
        return None
    units = row.orders or row.items_sold
    return int(row.gmv_cents) // units if units else None


def _facts(
    creator: Any,
    overall: Any,
    in_category: Any,
    category_keys: frozenset[str],
    sentiment: float | None,
) -> CreatorFacts:
    """A creator's facts from their basics (creator_id, handle, display_name, level) and latest
    snapshots overall and in the category (rows, or None)."""
    figures = in_category or overall
    has_gpm = in_category is not None and (
        in_category.live_gpm_cents is not None or in_category.video_gpm_cents is not None
    )
    gpm_row = in_category if has_gpm else overall
    engagement = next(
        (r.engagement_rate for r in (in_category, overall) if r and r.engagement_rate is not None),
        None,
    )
    samples = overall if overall is not None and overall.samples_shipped is not None else figures
    content = (overall.content_types if overall else "") or (
        figures.content_types if figures else ""
    )
    return CreatorFacts(
        id=creator.creator_id,
        handle=creator.handle,
        display_name=creator.display_name,
        level=creator.level,
        category_keys=category_keys,
        live_gpm_cents=gpm_row.live_gpm_cents if gpm_row else None,
        video_gpm_cents=gpm_row.video_gpm_cents if gpm_row else None,
        gpm_in_category=has_gpm,
        engagement_rate=float(engagement) if engagement is not None else None,
        samples_shipped=samples.samples_shipped if samples else None,
        posts_after_samples=samples.posts_after_samples if samples else None,
        sentiment=sentiment,
        order_value_cents=_order_value(in_category) or _order_value(overall),
        content_types=frozenset(filter(None, content.split(","))),
    )


_BASICS = (_creators.c.handle, _creators.c.display_name, _creators.c.level)


def _latest(
    connection: Connection, team_id: str, category_key: str, creator_ids: Sequence[int] | None
) -> dict[int, Any]:
    """The latest snapshots in a category ("" overall), of the given creators or all, with
    each creator's handle, display name and level; by creator id."""
    statement = (
        sa_select(_performance, *_BASICS)
        .join(_creators, _creators.c.id == _performance.c.creator_id)
        .where(
            _performance.c.team_id == team_id,
            _performance.c.category_key == category_key,
            _performance.c.latest.is_(True),
        )
    )
    if creator_ids is None:
        return {row.creator_id: row for row in connection.execute(statement)}
    found: dict[int, Any] = {}
    for chunk in _chunks(list(creator_ids)):
        chosen = statement.where(_performance.c.creator_id.in_(list(chunk)))
        found |= {row.creator_id: row for row in connection.execute(chosen)}
    return found


def _listed_in(connection: Connection, team_id: str, category: str) -> dict[int, Any]:
    """Creators whose registry categories include `category`: the JSON text is searched for
    the name as it is stored (ASCII letters in any case), then each list is checked on match
    keys; a creator's categories are decoded only when the text mentions the name."""
    stored = json.dumps(category)[1:-1].lower()
    pattern = stored.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    text = cast(_creators.c.categories, String)
    statement = sa_select(_creators.c.id.label("creator_id"), *_BASICS, text.label("listed")).where(
        _creators.c.team_id == team_id,
        func.lower(text).like(f"%{pattern}%", escape="\\"),
    )
    key = match_key(category)
    return {
        row.creator_id: row
        for row in connection.execute(statement)
        if key in {match_key(c) for c in json.loads(row.listed)}
    }


def category_candidates(
    engine: Engine, team_id: str, category: str, today: date
) -> list[CreatorFacts]:
    """The creators to rank for a seller of `category`: everyone who sells in it (by the
    registry or by figures), and, so a thin category still gets a list, the best creators by
    overall GPM from outside it; each with their figures in the category (overall otherwise)."""
    key = match_key(category)
    with engine.connect() as connection:
        in_category = _latest(connection, team_id, key, None)
        listed = _listed_in(connection, team_id, category)
        fitting = set(in_category) | set(listed)
        best_overall = connection.execute(
            sa_select(_performance.c.creator_id)
            .where(
                _performance.c.team_id == team_id,
                _performance.c.category_key == "",
                _performance.c.latest.is_(True),
            )
            .order_by(_performance.c.live_gpm_cents.desc().nulls_last())
            .limit(FILL + len(fitting))
        ).scalars()
        others = [cid for cid in best_overall if cid not in fitting][:FILL]
        overall = _latest(connection, team_id, "", [*fitting, *others])
        with Session(bind=connection) as session:
            sentiments = _sentiments(session, team_id, today)
    fits, fits_not = frozenset({key}), frozenset[str]()
    return [
        _facts(
            in_category.get(cid) or listed.get(cid) or overall[cid],
            overall.get(cid),
            in_category.get(cid),
            fits if cid in fitting else fits_not,
            sentiments.get(cid),
        )
        for cid in [*fitting, *others]
        if cid in overall or cid in in_category or cid in listed
    ]


def creator_in_categories(
    engine: Engine, team_id: str, creator_id: int, category_keys: Iterable[str], today: date
) -> dict[str, CreatorFacts]:
    """One creator's facts as seen from each category (their figures there, else overall)."""
    with Session(engine) as session:
        creator = session.get(Creator, creator_id)
        assert creator is not None and creator.team_id == team_id
        rows = session.exec(
            select(CreatorPerformance).where(
                CreatorPerformance.creator_id == creator_id,
                col(CreatorPerformance.latest).is_(True),
            )
        ).all()
        by_category = {row.category_key: row for row in rows}
        sentiment = _sentiments(session, team_id, today, creator_id).get(creator_id)
    fits = frozenset({k for k in by_category if k} | {match_key(c) for c in creator.categories})
    basics = _Basics(creator_id, creator.handle, creator.display_name, creator.level)
    return {
        key: _facts(basics, by_category.get(""), by_category.get(key), fits, sentiment)
        for key in set(category_keys)
    }


@dataclass(frozen=True)
class _Basics:
    creator_id: int
    handle: str
    display_name: str
    level: int | None


def creator_standings(
    engine: Engine, team_id: str, facts: dict[str, CreatorFacts]
) -> dict[str, tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]]:
    """Per category key: (below, equal, size) of the creator's LIVE GPM, video GPM and
    engagement among the category's creators, counted in the database."""
    result = {}
    with Session(engine) as session:
        for key, creator in facts.items():
            counts = []
            for column, value in (
                (CreatorPerformance.live_gpm_cents, creator.live_gpm_cents),
                (CreatorPerformance.video_gpm_cents, creator.video_gpm_cents),
                (CreatorPerformance.engagement_rate, creator.engagement_rate),
            ):
                if value is None:
                    counts.append((0, 0, 0))
                    continue
                below, equal, size = session.exec(
                    select(
                        func.sum(case((col(column) < value, 1), else_=0)),
                        func.sum(case((col(column) == value, 1), else_=0)),
                        func.count(col(column)),
                    ).where(
                        CreatorPerformance.team_id == team_id,
                        CreatorPerformance.category_key == key,
                        col(CreatorPerformance.latest).is_(True),
                    )
                ).one()
                counts.append((int(below or 0), int(equal or 0), int(size or 0)))
            result[key] = (counts[0], counts[1], counts[2])
    return result


def working_pairs(
    engine: Engine, team_id: str, *, seller_id: int | None = None, creator_id: int | None = None
) -> set[tuple[int, int]]:
    """(creator, seller) pairs that already work together: a collaboration on record, or an
    outreach that reached selling."""
    pairs: set[tuple[int, int]] = set()
    with Session(engine) as session:
        for model in (Collaboration, Outreach):
            statement = select(model.creator_id, model.seller_id).where(model.team_id == team_id)
            if model is Outreach:
                statement = statement.where(Outreach.stage == OutreachStage.SELLING)
            if seller_id is not None:
                statement = statement.where(model.seller_id == seller_id)
            if creator_id is not None:
                statement = statement.where(model.creator_id == creator_id)
            pairs |= set(session.exec(statement).all())
    return pairs


def pipeline_stages(
    engine: Engine, team_id: str, *, seller_id: int | None = None, creator_id: int | None = None
) -> dict[tuple[int, int], str]:
    """Where each (creator, seller) pair in the outreach pipeline stands."""
    statement = select(Outreach.creator_id, Outreach.seller_id, Outreach.stage).where(
        Outreach.team_id == team_id
    )
    if seller_id is not None:
        statement = statement.where(Outreach.seller_id == seller_id)
    if creator_id is not None:
        statement = statement.where(Outreach.creator_id == creator_id)
    with Session(engine) as session:
        return {(c, s): stage for c, s, stage in session.exec(statement)}
