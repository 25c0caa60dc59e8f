"""Each person's App Home: the categories they follow and when their tab was last published."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.db import transaction
from storage.models import HOME_TAB_TABLE, HomeTab


def followed_categories(engine: Engine, team_id: str, user_id: str) -> list[str]:
    """The categories the person follows on their Home; empty: all of them."""
    with Session(engine) as session:
        found = session.get(HomeTab, (team_id, user_id))
        return list(found.categories) if found is not None else []


def _ensure(session: Session, team_id: str, user_id: str) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(HOME_TAB_TABLE)
        .values(team_id=team_id, user_id=user_id, categories=[], refresh_due=False)
        .on_conflict_do_nothing(index_elements=["team_id", "user_id"])
    )


def follow_categories(
    engine: Engine, team_id: str, user_id: str, categories: Sequence[str]
) -> None:
    with transaction(engine) as session:
        _ensure(session, team_id, user_id)
        session.execute(
            update(HomeTab)
            .where(col(HomeTab.team_id) == team_id, col(HomeTab.user_id) == user_id)
            .values(categories=list(categories))
        )


def claim_publish(
    engine: Engine, team_id: str, user_id: str, now: datetime, gap: timedelta
) -> bool:
    """Record a publish of the person's Home now, unless one happened less than `gap` ago
    (then False: the caller publishes nothing). One conditional UPDATE, so of two replicas
    refreshing the same Home at once only one publishes."""
    with transaction(engine) as session:
        _ensure(session, team_id, user_id)
        result = session.execute(
            update(HomeTab)
            .where(
                col(HomeTab.team_id) == team_id,
                col(HomeTab.user_id) == user_id,
                or_(col(HomeTab.published_at).is_(None), col(HomeTab.published_at) <= now - gap),
            )
            .values(published_at=now, refresh_due=False)
        )
        return getattr(result, "rowcount", 0) == 1


def mark_refresh_due(engine: Engine, team_id: str, user_id: str) -> None:
    """A refresh that came within a minute of the last publish: done once the minute is up."""
    with transaction(engine) as session:
        session.execute(
            update(HomeTab)
            .where(col(HomeTab.team_id) == team_id, col(HomeTab.user_id) == user_id)
            .values(refresh_due=True)
        )


def due_refreshes(
    engine: Engine, team_id: str, now: datetime, gap: timedelta
) -> list[tuple[str, str]]:
    """(team, person) of the workspace's Homes whose refresh waited and may be published now."""
    with Session(engine) as session:
        rows = session.exec(
            select(HomeTab.team_id, HomeTab.user_id).where(
                HomeTab.team_id == team_id,
                col(HomeTab.refresh_due).is_(True),
                or_(col(HomeTab.published_at).is_(None), col(HomeTab.published_at) <= now - gap),
            )
        ).all()
        return [(str(team), str(user)) for team, user in rows]


def home_viewers(engine: Engine, team_id: str) -> list[str]:
    """The people of the workspace who have opened their Home (whose Home a refresh updates)."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(HomeTab.user_id)
                .where(HomeTab.team_id == team_id)
                .order_by(col(HomeTab.user_id))
            ).all()
        )
