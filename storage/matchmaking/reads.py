"""What matchmaking reads from the database: sellers with their AOV and LIVE share, creators
with their latest performance, note sentiment, and the pairs that already work together.

Every function filters on the workspace and returns plain data (`storage.matchmaking.facts`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import product
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Float,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    true,
    union_all,
)
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from storage.creators.models import CREATOR_TABLE, Creator
from storage.feedback.models import FeedbackNote
from storage.kpis.models import WEEKLY_SELLER_KPI_TABLE, DailySellerKpi
from storage.matchmaking.facts import CreatorFacts, SellerFacts
from storage.matchmaking.models import (
    CREATOR_PERFORMANCE_TABLE,
    Collaboration,
    Outreach,
    OutreachStage,
)
from storage.names import match_key
from storage.sellers.models import SELLER_TABLE, SellerStatus

AOV_WEEKS = 4  # the seller's AOV over the last four weeks (recent prices, and a short read)
LIVE_SHARE_DAYS = 28
SENTIMENT_DAYS = 90  # "recent" feedback
FILL = 200  # creators from outside the category, best overall GPM first, when few sell in it


def _chunks(ids: Sequence[int], size: int = 900) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def seller_facts(
    engine: Engine, team_id: str, seller_ids: Sequence[int], today: date
) -> list[SellerFacts]:
    """The sellers (the workspace's active ones when `seller_ids` is empty) with their AOV,
    read with their recent weeks' sums in one query (thousands of rows, once)."""
    weekly = WEEKLY_SELLER_KPI_TABLE
    sums = sa_select(  # whole numbers, where PostgreSQL's sums would come back as decimals
        weekly.c.seller_id,
        cast(func.sum(weekly.c.gmv_cents), BigInteger).label("gmv_cents"),
        cast(func.sum(weekly.c.orders), BigInteger).label("orders"),
    ).where(weekly.c.team_id == team_id, weekly.c.week >= today - timedelta(weeks=AOV_WEEKS))
    sellers = sa_select(SELLER_TABLE.c.id, SELLER_TABLE.c.name, SELLER_TABLE.c.category).where(
        SELLER_TABLE.c.team_id == team_id
    )
    if seller_ids:
        sellers = sellers.where(SELLER_TABLE.c.id.in_(list(seller_ids)))
        sums = sums.where(weekly.c.seller_id.in_(list(seller_ids)))
    else:  # a seller that stopped trading is not one to match creators with
        sellers = sellers.where(SELLER_TABLE.c.status == SellerStatus.ACTIVE)
    recent = sums.group_by(weekly.c.seller_id).subquery("recent")
    statement = sellers.add_columns(recent.c.gmv_cents, recent.c.orders).outerjoin_from(
        SELLER_TABLE, recent, recent.c.seller_id == SELLER_TABLE.c.id
    )
    with engine.connect() as connection:
        rows = connection.execute(statement).all()
    keys = {category: match_key(category) for category in {row[2] for row in rows}}
    return [
        SellerFacts(
            id=seller_id,
            name=name,
            category=category,
            category_key=keys[category],
            aov_cents=int(gmv) // int(orders) if orders else None,
            gmv_cents=int(gmv) if gmv is not None else None,
        )
        for seller_id, name, category, gmv, orders in rows
    ]


def live_shares(
    engine: Engine, team_id: str, seller_ids: Sequence[int], today: date
) -> dict[int, float]:
    """LIVE GMV ÷ GMV of each seller over the last four weeks (sellers with GMV only).

    The window's days are named one by one: the seller-days' key leads with the day, so each
    (day, seller) is then found in the index instead of every seller's day being read; any
    days after today are read as a range (there are none unless figures come early)."""
    window = [today - timedelta(days=d) for d in range(LIVE_SHARE_DAYS + 1)]
    days = (col(DailySellerKpi.day).in_(window), col(DailySellerKpi.day) > today)
    sums: dict[int, tuple[int, int]] = {}
    with Session(engine) as session:
        for chunk, chosen_days in product(_chunks(list(seller_ids)), days):
            statement = (
                select(
                    DailySellerKpi.seller_id,
                    func.sum(DailySellerKpi.live_gmv_cents),
                    func.sum(DailySellerKpi.gmv_cents),
                )
                .where(
                    DailySellerKpi.team_id == team_id,
                    chosen_days,
                    col(DailySellerKpi.seller_id).in_(list(chunk)),
                )
                .group_by(col(DailySellerKpi.seller_id))
            )
            for seller_id, live, gmv in session.exec(statement):
                live_before, gmv_before = sums.get(seller_id, (0, 0))
                sums[seller_id] = (live_before + int(live or 0), gmv_before + int(gmv or 0))
    return {
        seller_id: min(1.0, max(0.0, live / gmv)) for seller_id, (live, gmv) in sums.items() if gmv
    }


def _sentiments(
    connection: Connection, team_id: str, today: date, creator_id: int | None = None
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
        creator_id: int(total) / int(n)
        for creator_id, total, n in connection.execute(statement)
        if n
    }


class Figures(NamedTuple):
    """The snapshot figures matchmaking reads (rates as floats)."""

    gmv_cents: int | None
    orders: int | None
    items_sold: int | None
    live_gpm_cents: int | None
    video_gpm_cents: int | None
    engagement_rate: float | None
    samples_shipped: int | None
    posts_after_samples: int | None
    content_types: str | None


def _figure_columns(table: Any, prefix: str) -> list[Any]:
    return [
        (cast(table.c[f], Float) if f == "engagement_rate" else table.c[f]).label(prefix + f)
        for f in Figures._fields
    ]


def _order_value(row: Figures | None) -> int | None:
    if row is None or not row.gmv_cents:
        return None
    units = row.orders or row.items_sold
    return int(row.gmv_cents) // units if units else None


def _facts(
    basics: Sequence[Any],
    overall: Figures | None,
    in_category: Figures | None,
    category_keys: frozenset[str],
    sentiment: float | None,
) -> CreatorFacts:
    """A creator's facts from their basics (id, handle, display name, level) and their latest
    figures overall and in the category being matched."""
    creator_id, handle, display_name, level, stage = basics
    figures = in_category or overall
    has_gpm = in_category is not None and (
        in_category.live_gpm_cents is not None or in_category.video_gpm_cents is not None
    )
    gpm_row = in_category if has_gpm else overall
    engagement = None  # in the category when known there, else overall
    if in_category is not None and in_category.engagement_rate is not None:
        engagement = in_category.engagement_rate
    elif overall is not None:
        engagement = overall.engagement_rate
    samples = overall if overall is not None and overall.samples_shipped is not None else figures
    content = (overall.content_types if overall else "") or (
        figures.content_types if figures else ""
    )
    return CreatorFacts(
        id=creator_id,
        handle=handle,
        display_name=display_name,
        level=level,
        stage=stage or "",
        category_keys=category_keys,
        live_gpm_cents=gpm_row.live_gpm_cents if gpm_row else None,
        video_gpm_cents=gpm_row.video_gpm_cents if gpm_row else None,
        gpm_in_category=has_gpm,
        engagement_rate=engagement,
        samples_shipped=samples.samples_shipped if samples else None,
        posts_after_samples=samples.posts_after_samples if samples else None,
        sentiment=sentiment,
        order_value_cents=_order_value(in_category) or _order_value(overall),
        content_types=_content_kinds(content or ""),
    )


@lru_cache(maxsize=64)  # a pure memo of a pure function of its text
def _content_kinds(content_types: str) -> frozenset[str]:
    """The kinds a snapshot's `content_types` names ("live,video"): a handful of spellings
    among thousands of creators, so each is split once."""
    return frozenset(filter(None, content_types.split(",")))


_BASICS = (
    CREATOR_TABLE.c.id,
    CREATOR_TABLE.c.handle,
    CREATOR_TABLE.c.display_name,
    CREATOR_TABLE.c.level,
    CREATOR_TABLE.c.stage,
)
_overall = CREATOR_PERFORMANCE_TABLE.alias("overall")
_LATEST_OVERALL = and_(
    _overall.c.team_id == CREATOR_TABLE.c.team_id,
    _overall.c.category_key == "",
    _overall.c.latest == true(),
    _overall.c.creator_id == CREATOR_TABLE.c.id,
)
# A candidate row: the basics, then whether an overall snapshot was found and its figures.
_CANDIDATE = (*_BASICS, _overall.c.creator_id.is_not(None), *_figure_columns(_overall, "o_"))
_OVERALL_AT = len(_BASICS) + 1
_IN_CATEGORY_AT = _OVERALL_AT + len(Figures._fields)


def _in_category_rows(connection: Connection, team_id: str, key: str) -> list[Any]:
    """A candidate row, followed by the in-category figures, of every creator with figures in
    the category: one query led by the latest snapshots' covering index, each creator and
    overall snapshot found by its key (SQLite keeps this order as written)."""
    in_category = CREATOR_PERFORMANCE_TABLE
    statement = (
        sa_select(*_CANDIDATE, *_figure_columns(in_category, ""))
        .select_from(in_category)
        .join(CREATOR_TABLE, CREATOR_TABLE.c.id == in_category.c.creator_id)
        .outerjoin(_overall, _LATEST_OVERALL)
        .where(
            in_category.c.team_id == team_id,
            in_category.c.category_key == key,
            in_category.c.latest == true(),
        )
    )
    return list(connection.execute(statement).all())


def _rows_without_category(connection: Connection, creator_ids: Sequence[int]) -> list[Any]:
    """Candidate rows of creators with no figures in the category (overall figures only)."""
    found: list[Any] = []
    for chunk in _chunks(list(creator_ids)):
        statement = (
            sa_select(*_CANDIDATE)
            .select_from(CREATOR_TABLE)
            .outerjoin(_overall, _LATEST_OVERALL)
            .where(CREATOR_TABLE.c.id.in_(list(chunk)))
        )
        found += connection.execute(statement).all()
    return found


def _listed_in(connection: Connection, team_id: str, category: str) -> set[int]:
    """Creators whose registry categories name `category`: the JSON text as stored is searched
    for the quoted name (ASCII letters in any case)."""
    stored = json.dumps(category).lower()
    pattern = stored.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    text = func.lower(cast(CREATOR_TABLE.c.categories, String))
    statement = sa_select(CREATOR_TABLE.c.id).where(
        CREATOR_TABLE.c.team_id == team_id, text.like(f"%{pattern}%", escape="\\")
    )
    return set(connection.execute(statement).scalars())


def _best_overall(connection: Connection, team_id: str, leaving_out: set[int]) -> list[int]:
    """Up to FILL creators from outside `leaving_out`, best overall LIVE GPM first."""
    best_overall = connection.execute(
        sa_select(CREATOR_PERFORMANCE_TABLE.c.creator_id)
        .where(
            CREATOR_PERFORMANCE_TABLE.c.team_id == team_id,
            CREATOR_PERFORMANCE_TABLE.c.category_key == "",
            CREATOR_PERFORMANCE_TABLE.c.latest == true(),
        )
        .order_by(CREATOR_PERFORMANCE_TABLE.c.live_gpm_cents.desc().nulls_last())
        .limit(FILL + len(leaving_out))
    ).scalars()
    return [cid for cid in best_overall if cid not in leaving_out][: FILL - len(leaving_out)]


def category_candidates(
    engine: Engine, team_id: str, category: str, today: date
) -> list[CreatorFacts]:
    """The creators to rank for a seller of `category`: everyone who sells in it (by the
    registry or by figures), and, when fewer than FILL do, the best creators by overall GPM
    from outside it so a thin category still gets a list; each with their figures in the
    category and overall."""
    key = match_key(category)
    with engine.connect() as connection:
        with_figures = _in_category_rows(connection, team_id, key)
        known = {row[0] for row in with_figures}
        fitting = known | _listed_in(connection, team_id, category)
        others = _best_overall(connection, team_id, fitting) if len(fitting) < FILL else []
        without = _rows_without_category(
            connection, [*(cid for cid in fitting if cid not in known), *others]
        )
        sentiments = _sentiments(connection, team_id, today)
    fits, fits_not = frozenset({key}), frozenset[str]()
    return [
        _facts(
            row[: len(_BASICS)],
            Figures(*row[_OVERALL_AT:_IN_CATEGORY_AT]) if row[len(_BASICS)] else None,
            Figures(*row[_IN_CATEGORY_AT:]) if row[0] in known else None,
            fits if row[0] in fitting else fits_not,
            sentiments.get(row[0]),
        )
        for row in [*with_figures, *without]
    ]


def creator_in_categories(
    engine: Engine, team_id: str, creator_id: int, category_keys: Iterable[str], today: date
) -> dict[str, CreatorFacts]:
    """One creator's facts as seen from each category (their figures there, else overall)."""
    with Session(engine) as session:
        creator = session.get(Creator, creator_id)
        assert creator is not None and creator.team_id == team_id
        statement = sa_select(
            CREATOR_PERFORMANCE_TABLE.c.category_key,
            *_figure_columns(CREATOR_PERFORMANCE_TABLE, ""),
        ).where(
            CREATOR_PERFORMANCE_TABLE.c.creator_id == creator_id,
            CREATOR_PERFORMANCE_TABLE.c.latest.is_(True),
        )
        by_category = {row[0]: Figures(*row[1:]) for row in session.connection().execute(statement)}
        sentiment = _sentiments(session.connection(), team_id, today, creator_id).get(creator_id)
    fits = frozenset({k for k in by_category if k} | {match_key(c) for c in creator.categories})
    basics = (creator_id, creator.handle, creator.display_name, creator.level, creator.stage)
    return {
        key: _facts(basics, by_category.get(""), by_category.get(key), fits, sentiment)
        for key in set(category_keys)
    }


Counts = tuple[int, int, int]  # below, equal, size


_STANDING_FIGURES = (
    (CREATOR_PERFORMANCE_TABLE.c.live_gpm_cents, "live_gpm_cents"),
    (CREATOR_PERFORMANCE_TABLE.c.video_gpm_cents, "video_gpm_cents"),
    (cast(CREATOR_PERFORMANCE_TABLE.c.engagement_rate, Float), "engagement_rate"),
)
_CATEGORIES_PER_READ = 100  # well inside SQLite's limit on the parts of one UNION


def _standing_in(team_id: str, key: str, creator: CreatorFacts) -> Any:
    """The select that counts the creator's standing among one category's latest snapshots;
    a figure the creator lacks has no standing (zeros)."""
    columns: list[Any] = []
    for column, name in _STANDING_FIGURES:
        mine = getattr(creator, name)
        if mine is None:
            columns += [literal(0), literal(0), literal(0)]
            continue
        columns += [
            func.sum(case((column < mine, 1), else_=0)),
            func.sum(case((column == mine, 1), else_=0)),
            func.count(column),
        ]
    return sa_select(literal(key), *columns).where(
        CREATOR_PERFORMANCE_TABLE.c.team_id == team_id,
        CREATOR_PERFORMANCE_TABLE.c.category_key == key,
        CREATOR_PERFORMANCE_TABLE.c.latest == true(),
    )


def creator_standings(
    engine: Engine, team_id: str, facts: dict[str, CreatorFacts]
) -> dict[str, tuple[Counts, Counts, Counts]]:
    """Per category key: (below, equal, size) of the creator's LIVE GPM, video GPM and
    engagement among the category's creators. One select per category, all sent as one
    UNION: each compares with plain values along its own part of the latest snapshots'
    index, where one pass over every category picked the creator's value per row."""
    empty: Counts = (0, 0, 0)
    result = dict.fromkeys(facts, (empty, empty, empty))
    keys = [key for key in facts if key]
    with engine.connect() as connection:
        for start in range(0, len(keys), _CATEGORIES_PER_READ):
            chosen = keys[start : start + _CATEGORIES_PER_READ]
            statement = union_all(*(_standing_in(team_id, key, facts[key]) for key in chosen))
            for key, *numbers in connection.execute(statement):
                n = [int(x or 0) for x in numbers]
                result[key] = ((n[0], n[1], n[2]), (n[3], n[4], n[5]), (n[6], n[7], n[8]))
    return result


def current_collaboration(today: date) -> Any:
    """The condition of a collaboration running on `today`: begun (or no start known) and not
    ended (no end date: ongoing)."""
    since, until = col(Collaboration.since), col(Collaboration.until)
    return and_(or_(since.is_(None), since <= today), or_(until.is_(None), until >= today))


def working_pairs(
    engine: Engine,
    team_id: str,
    today: date,
    *,
    seller_id: int | None = None,
    creator_id: int | None = None,
) -> set[tuple[int, int]]:
    """(creator, seller) pairs that work together on `today`: a collaboration running then, or
    an outreach that reached selling."""
    pairs: set[tuple[int, int]] = set()
    with Session(engine) as session:
        for model in (Collaboration, Outreach):
            statement = select(model.creator_id, model.seller_id).where(model.team_id == team_id)
            if model is Outreach:
                statement = statement.where(Outreach.stage == OutreachStage.SELLING)
            else:
                statement = statement.where(current_collaboration(today))
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
