"""The creator registry: look-ups, type-ahead, and adding or editing a creator with its level
history. Every query is filtered by team; functions return detached models, never sessions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.creators.models import Creator, CreatorLevelChange, CreatorStage
from storage.db import transaction
from storage.errors import N_, Usage, UserError
from storage.names import match_key


class HandleTaken(UserError):
    """Another creator in the registry already has this handle."""

    def __init__(self, handle: str) -> None:
        super().__init__(
            N_("`@{handle}` is already in the registry."), [f"/creator @{handle}"], handle=handle
        )
        self.handle = handle


class CreatorNotFound(UserError):
    """No creator with this id in the workspace."""

    def __init__(self, creator_id: int) -> None:
        super().__init__(
            N_("That creator is not in this workspace's registry (it may have been removed)."),
            [Usage("/creator", "card"), "/creator add"],
        )
        self.creator_id = creator_id


@dataclass(frozen=True)
class CreatorDraft:
    """What the creator form submits; `level` None means not known."""

    handle: str
    display_name: str = ""
    level: int | None = None
    stage: str = CreatorStage.PROSPECT
    owner_user_id: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    followers: int | None = None


def find_creator(engine: Engine, team_id: str, handle: str) -> Creator | None:
    with Session(engine) as session:
        return creator_by_handle(session, team_id, handle)


def registry_handles(engine: Engine, team_id: str) -> list[str]:
    """Every handle in the workspace's registry (to tell a typo from a new creator)."""
    statement = select(Creator.handle).where(Creator.team_id == team_id)
    with Session(engine) as session:
        return list(session.exec(statement).all())


def handles_known(engine: Engine, team_id: str, handles: list[str]) -> set[str]:
    """Which of `handles` the registry has."""
    if not handles:
        return set()
    statement = select(Creator.handle).where(
        Creator.team_id == team_id, col(Creator.handle).in_(handles)
    )
    with Session(engine) as session:
        return set(session.exec(statement).all())


def creator_by_handle(session: Session, team_id: str, handle: str) -> Creator | None:
    statement = select(Creator).where(Creator.team_id == team_id, Creator.handle == handle)
    return session.exec(statement).first()


def get_creator(engine: Engine, team_id: str, creator_id: int) -> Creator:
    with Session(engine) as session:
        creator = session.get(Creator, creator_id)
        if creator is None or creator.team_id != team_id:
            raise CreatorNotFound(creator_id)
        return creator


def ensure_creator(
    session: Session, team_id: str, handle: str, now: datetime
) -> tuple[Creator, bool]:
    """The creator with `handle`, added as a prospect when the registry lacks it; (creator,
    added). A concurrent add of the same handle makes the flush raise IntegrityError: the
    caller retries its whole transaction, which then finds the other's row."""
    creator = creator_by_handle(session, team_id, handle)
    if creator is not None:
        return creator, False
    creator = Creator(team_id=team_id, handle=handle, created_at=now, updated_at=now)
    session.add(creator)
    session.flush()
    return creator, True


def suggest_creators(engine: Engine, team_id: str, query: str, limit: int = 20) -> list[Creator]:
    """Creators whose handle starts with, or whose name contains, `query`; handles first.
    Both compare match keys, so `ökö` finds `Ökoladen Kitchen` on every database."""
    query = match_key(query.strip().lstrip("@"))
    pattern = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    handle_starts = col(Creator.handle).like(f"{pattern}%", escape="\\")
    name_contains = col(Creator.name_key).like(f"%{pattern}%", escape="\\")
    statement = (
        select(Creator)
        .where(Creator.team_id == team_id, or_(handle_starts, name_contains))
        .order_by(handle_starts.desc(), col(Creator.handle))
        .limit(limit)
    )
    with Session(engine) as session:
        return list(session.exec(statement).all())


def level_history(session: Session, creator_id: int, limit: int = 12) -> list[CreatorLevelChange]:
    """The creator's level changes, newest first."""
    statement = (
        select(CreatorLevelChange)
        .where(CreatorLevelChange.creator_id == creator_id)
        .order_by(col(CreatorLevelChange.effective_on).desc(), col(CreatorLevelChange.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def record_level(
    session: Session, creator: Creator, level: int | None, on: date, source: str
) -> bool:
    """Set the creator's level, recording a change dated `on` when it differs; True if changed."""
    if level is None or level == creator.level:
        return False
    assert creator.id is not None
    session.add(
        CreatorLevelChange(
            team_id=creator.team_id,
            creator_id=creator.id,
            level=level,
            previous_level=creator.level,
            effective_on=on,
            source=source,
        )
    )
    creator.level = level
    return True


def save_creator(
    engine: Engine,
    team_id: str,
    draft: CreatorDraft,
    *,
    today: date,
    now: datetime,
    creator_id: int | None = None,
) -> Creator:
    """Add a creator (`creator_id` None) or update one; a level change is recorded for today.

    Raises HandleTaken when adding a handle the registry has, CreatorNotFound for a wrong id.
    """
    try:
        with transaction(engine) as session:
            if creator_id is None:
                if creator_by_handle(session, team_id, draft.handle) is not None:
                    raise HandleTaken(draft.handle)
                creator = Creator(team_id=team_id, handle=draft.handle, created_at=now)
                session.add(creator)
                session.flush()
            else:
                found = session.get(Creator, creator_id)
                if found is None or found.team_id != team_id:
                    raise CreatorNotFound(creator_id)
                creator = found
            record_level(session, creator, draft.level, today, "manual")
            if draft.level is None:
                creator.level = None
            creator.display_name = draft.display_name
            creator.stage = draft.stage
            creator.owner_user_id = draft.owner_user_id
            creator.categories = list(draft.categories)
            creator.tags = list(draft.tags)
            creator.followers = draft.followers
            creator.updated_at = now
            session.add(creator)
            return creator
    except IntegrityError:  # the same handle added at the same moment by someone else
        raise HandleTaken(draft.handle) from None
