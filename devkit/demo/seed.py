"""`seed_demo`: the whole demo data set (devkit.demo.data, with its sellers' notes and gaps,
devkit.demo.sellers, and its matchmaking data, devkit.demo.matchmaking) loaded into a workspace
in one transaction."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sql_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from devkit.demo.data import (
    DEMO_TEAM_ID,
    DemoCounts,
    DemoSummary,
    Row,
    _add_kpis,
    _add_level_changes,
    _at,
    _kpi_rows,
    _table,
    _Team,
    creator_row,
    plan_collaborations,
    plan_creators,
    plan_live_sessions,
    plan_notes,
    plan_reviews,
    plan_sellers,
    seller_row,
)
from devkit.demo.matchmaking import add_performance, add_pipeline, collaboration_figures
from devkit.demo.sellers import plan_seller_notes
from storage.creators.models import Creator, CreatorLevelChange
from storage.db import transaction
from storage.feedback.models import FeedbackNote
from storage.kpis.models import DailySellerKpi
from storage.matchmaking.models import Collaboration, CreatorPerformance, Outreach
from storage.models import Workspace
from storage.reviews.models import LiveSession, LivestreamReview
from storage.sellers.models import Seller, SellerNote


def _totals(session: Session, team_id: str) -> DemoCounts:
    def count(model: Any) -> int:
        return session.exec(select(func.count()).where(model.team_id == team_id)).one()

    return DemoCounts(
        sellers=count(Seller),
        creators=count(Creator),
        level_changes=count(CreatorLevelChange),
        kpi_rows=count(DailySellerKpi),
        notes=count(FeedbackNote),
        reviews=count(LivestreamReview),
        collaborations=count(Collaboration),
        live_sessions=count(LiveSession),
        seller_notes=count(SellerNote),
        snapshots=count(CreatorPerformance),
        pipeline=count(Outreach),
    )


def seed_demo(
    engine: Engine, *, team_id: str = DEMO_TEAM_ID, today: date, days: int = 120
) -> DemoSummary:
    """Load the Lifestyle demo data set into `team_id`, inserting only the rows it lacks.

    KPIs cover the `days` days ending yesterday. The same `today` always gives the same rows; a
    second run inserts nothing, and a run on a later day adds only the new days. One transaction.
    """
    sellers, creators = plan_sellers(), plan_creators()
    with transaction(engine) as session:
        if session.get(Workspace, team_id) is None:
            name, created_at = "Demo · Lifestyle (EU)", _at(today, 6)
            session.add(Workspace(team_id=team_id, name=name, created_at=created_at))
        team = _Team.load(session, team_id)
        # A seller that stopped trading already on file: its KPI history is complete.
        on_file = team.existing(Seller, ("seller_key",))
        trading = [s for s in sellers if s.stopped_days_ago is None or (s.key,) not in on_file]
        new_sellers = team.add_missing(
            Seller, [seller_row(s, today, n) for n, s in enumerate(sellers)]
        )
        new_creators = team.add_missing(Creator, [creator_row(c, today) for c in creators])
        team = _Team.load(session, team_id)  # now with the ids of the rows just added
        streams = plan_live_sessions(trading, creators, today, days)
        kpi_rows = _kpi_rows(team, trading, today, days)
        # Sessions come with their seller-day's KPI row: a day's sessions add up to its row.
        new_days = {(r["seller_id"], r["day"]) for r in kpi_rows}
        new_sessions = team.add_missing(
            LiveSession,
            [
                s.row
                for s in streams
                if (team.sellers[s.seller.key], s.started_at.date()) in new_days
            ],
        )
        notes, reviews = (
            plan_notes(sellers, creators, today),
            _linked(team, plan_reviews(streams, today)),
        )
        return DemoSummary(
            sellers=len(new_sellers),
            creators=len(new_creators),
            level_changes=_add_level_changes(team, creators, today),
            kpi_rows=_add_kpis(team, kpi_rows),
            notes=len(team.add_missing(FeedbackNote, notes)),
            reviews=len(team.add_missing(LivestreamReview, reviews)),
            collaborations=len(
                team.add_missing(
                    Collaboration,
                    [
                        collaboration_figures(row, today)
                        for row in plan_collaborations(sellers, creators, today)
                    ],
                )
            ),
            live_sessions=len(new_sessions),
            seller_notes=len(team.add_missing(SellerNote, plan_seller_notes(sellers, today, UTC))),
            snapshots=add_performance(team, creators, today),
            pipeline=add_pipeline(team, sellers, creators, today),
            totals=_totals(session, team_id),
        )


def _linked(team: _Team, reviews: list[Row]) -> list[Row]:
    """The reviews with the id of the LIVE session each reviewed."""
    table = _table(LiveSession)
    query = sql_select(table.c.seller_id, table.c.started_at, table.c.id).where(
        table.c.team_id == team.team_id
    )
    ids = {(seller, start): id_ for seller, start, id_ in team.session.connection().execute(query)}
    return [
        {**r, "live_session_id": ids.get((team.sellers[r["seller"]], r["stream_started_at"]))}
        for r in reviews
    ]
