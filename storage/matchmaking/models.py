"""What matchmaking keeps: creator–seller collaborations, creator performance snapshots, and the
outreach pipeline with each pair's moves."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

# the tables its foreign keys name
import storage.creators.models
import storage.sellers.models  # noqa: F401
from storage.columns import _money, table_of, utc_now


class Collaboration(SQLModel, table=True):
    """A creator already working with a seller (used by matchmaking)."""

    __table_args__ = (UniqueConstraint("team_id", "creator_id", "seller_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE")
    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")
    since: date | None = None
    until: date | None = None  # the latest day the pair worked together, when known
    gmv_cents: int | None = _money(nullable=True)


class CreatorPerformance(SQLModel, table=True):
    """A dated snapshot of a creator's Affiliate Center performance, overall (`category` "")
    or in one category. Older snapshots are kept so trends can be read; `latest` marks the
    newest per creator and category (kept by the importer), which matchmaking reads."""

    __table_args__ = (
        UniqueConstraint(
            "team_id", "creator_id", "category_key", "as_of", name="uq_performance_snapshot"
        ),
        # Covers what matchmaking reads of the latest snapshots, so a category's creators and
        # their overall figures come from the index alone.
        Index(
            "ix_performance_latest",
            "team_id",
            "category_key",
            "latest",
            "creator_id",
            "gmv_cents",
            "orders",
            "items_sold",
            "live_gpm_cents",
            "video_gpm_cents",
            "engagement_rate",
            "samples_shipped",
            "posts_after_samples",
            "content_types",
        ),
        Index("ix_performance_creator", "creator_id", "as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE")
    as_of: date
    category: str = Field(default="", max_length=100, description="as the file spells it")
    category_key: str = Field(default="", max_length=100, description="match_key(category)")
    latest: bool = Field(default=True)
    gmv_cents: int | None = _money(nullable=True)
    orders: int | None = None
    items_sold: int | None = None
    live_gpm_cents: int | None = _money(nullable=True)  # GMV per 1,000 LIVE views
    video_gpm_cents: int | None = _money(nullable=True)  # GMV per 1,000 video views
    engagement_rate: float | None = Field(default=None, sa_type=Numeric(9, 6))
    followers: int | None = Field(default=None, sa_type=BigInteger)
    samples_shipped: int | None = None
    posts_after_samples: int | None = None
    response_rate: float | None = Field(default=None, sa_type=Numeric(9, 6))
    content_types: str = Field(default="", max_length=16, description="'live', 'video' or both")


CREATOR_PERFORMANCE_TABLE = table_of(CreatorPerformance)


class OutreachStage(StrEnum):
    SUGGESTED = "suggested"
    CONTACTED = "contacted"
    SAMPLE_SENT = "sample sent"
    CONTENT_POSTED = "content posted"
    SELLING = "selling"
    DECLINED = "declined"


class Outreach(SQLModel, table=True):
    """A creator–seller pair in the outreach pipeline, and where it stands."""

    __table_args__ = (
        UniqueConstraint("team_id", "creator_id", "seller_id", name="uq_outreach_pair"),
        Index("ix_outreach_owner", "team_id", "owner_user_id"),
        Index("ix_outreach_seller", "team_id", "seller_id"),
        Index("ix_outreach_follow_up", "team_id", "follow_up_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE")
    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")
    stage: str = Field(default=OutreachStage.SUGGESTED, max_length=16)
    owner_user_id: str = Field(max_length=32)
    declined_reason: str | None = Field(default=None, max_length=500)
    stage_since: datetime = Field(default_factory=utc_now)
    follow_up_on: date | None = None
    follow_up_reminded_at: datetime | None = None
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class OutreachStageChange(SQLModel, table=True):
    """One move of a pair through the pipeline (the digest reads the week's moves)."""

    __table_args__ = (Index("ix_outreach_change_team_at", "team_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    outreach_id: int = Field(foreign_key="outreach.id", ondelete="CASCADE", index=True)
    stage: str = Field(max_length=16)
    previous_stage: str | None = Field(default=None, max_length=16)
    reason: str | None = Field(default=None, max_length=500)
    changed_by: str = Field(max_length=32)
    changed_at: datetime = Field(default_factory=utc_now)
