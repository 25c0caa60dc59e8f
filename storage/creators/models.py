"""The creator tables: the registry, each creator's level changes, onboarding checklists."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Index, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from storage.columns import _json_list, _money, table_of, utc_now
from storage.names import match_key


class CreatorStage(StrEnum):
    PROSPECT = "prospect"
    CONTACTED = "contacted"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"


class Creator(SQLModel, table=True):
    """A TikTok creator in the registry, keyed by handle (without the @, case-folded)."""

    __table_args__ = (
        UniqueConstraint("team_id", "handle"),
        CheckConstraint("level IS NULL OR (level BETWEEN 0 AND 8)", name="creator_level_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    handle: str = Field(max_length=64, description="match_key of the handle, without the @")
    display_name: str = Field(default="", max_length=200)
    name_key: str = Field(
        default="", max_length=200, description="match_key(display_name), kept on write"
    )
    level: int | None = Field(default=None)
    stage: str = Field(default=CreatorStage.PROSPECT, max_length=16)
    owner_user_id: str | None = Field(default=None, max_length=32)
    categories: list[str] = _json_list()
    tags: list[str] = _json_list()
    followers: int | None = Field(default=None, sa_type=BigInteger)
    # The latest Affiliate Center figures (creator data import), as exported.
    gmv_cents: int | None = _money(nullable=True)
    orders: int | None = None
    videos: int | None = None
    samples_shipped: int | None = None
    est_commission_cents: int | None = _money(nullable=True)
    figures_updated_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


CREATOR_TABLE = table_of(Creator)


class CreatorLevelChange(SQLModel, table=True):
    """One entry of a creator's level history (TikTok Shop refreshes levels monthly)."""

    __table_args__ = (
        Index("ix_level_change_creator", "creator_id", "effective_on"),
        Index("ix_level_change_team_day", "team_id", "effective_on"),  # a month's moves
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE")
    level: int
    previous_level: int | None = None
    effective_on: date
    source: str = Field(default="manual", max_length=32)
    recorded_at: datetime = Field(default_factory=utc_now)


CREATOR_LEVEL_CHANGE_TABLE = table_of(CreatorLevelChange)


class OnboardingStep(SQLModel, table=True):
    """One step of a creator's onboarding checklist (the steps are a setting)."""

    __table_args__ = (UniqueConstraint("team_id", "creator_id", "step", name="uq_onboarding_step"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE", index=True)
    position: int
    step: str = Field(max_length=64)
    done_on: date | None = None
    done_by: str | None = Field(default=None, max_length=32)
    started_by: str = Field(max_length=32)
    started_at: datetime = Field(default_factory=utc_now)


@event.listens_for(Creator, "before_insert")
@event.listens_for(Creator, "before_update")
def _key_creator_name(_mapper: Any, _connection: Any, creator: Creator) -> None:
    creator.name_key = match_key(creator.display_name)
