"""The database tables: one SQLModel class per table, for the whole shopbot domain.

Conventions:
- every row that belongs to a Slack workspace carries `team_id`, and every lookup filters on it;
- money is stored exactly, as integer cents (hundredths of the team's currency unit) in BigInteger
  columns named `*_cents`;
- times are timezone-aware and stored in UTC (`utc_now`); calendar days are `date`s in the
  team's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    LargeBinary,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from storage.names import match_key
from storage.reviews.scorecard import SCORECARD


def utc_now() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table a model class maps, typed (SQLModel leaves `__table__` untyped). Each
    table that Core statements use is taken once, as the `<MODEL>_TABLE` constant after its
    class; code handed a model class (leases, deliveries) takes its table with this."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def _money(nullable: bool = False) -> Any:
    return Field(default=None if nullable else 0, sa_type=BigInteger, nullable=nullable)


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class AuthoredColumns(SQLModel):
    """What every record people write carries, whose life cycle storage.authored keeps: its
    workspace, where it came from and the request that made it (a retry saves nothing twice),
    when it was written, and its soft deletion. The author's column is each table's own
    (`author_user_id`, `reviewer_user_id`): the life cycle is told its name; so is
    `updated_at`, set at a note's creation but null until a review is edited. A table that has
    an index on team_id alone declares it by name."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    source_url: str | None = Field(default=None, max_length=500)
    client_key: str | None = Field(
        default=None, max_length=128, description="idempotency key of the request that made it"
    )
    created_at: datetime = Field(default_factory=utc_now)
    deleted_at: datetime | None = None
    deleted_by: str | None = Field(default=None, max_length=32)


class FollowUpColumns(SQLModel):
    """A follow-up date on a record, reminded by DM once and closed once (storage.authored's
    AuthoredNotes)."""

    follow_up_on: date | None = None
    follow_up_done_at: datetime | None = None
    follow_up_reminded_at: datetime | None = Field(
        default=None, description="when the reminder DM was claimed (sent once)"
    )


class NoteColumns(FollowUpColumns, AuthoredColumns):
    """A note (about a creator or a seller): its author, text and tags, and when it last
    changed (its creation until it is edited)."""

    author_user_id: str = Field(max_length=32)
    text: str = Field(max_length=4000)
    tags: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now)


class RevisionColumns(SQLModel):
    """An earlier version of an authored record, kept by an edit: who made the edit and when.
    Each revision table names its record and says what it kept."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    edited_by: str = Field(max_length=32)
    edited_at: datetime = Field(default_factory=utc_now)


class CreatorStage(StrEnum):
    PROSPECT = "prospect"
    CONTACTED = "contacted"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class SellerStatus(StrEnum):
    """Where a seller stands with the team; `inactive` is the one word older imports knew."""

    PROSPECT = "prospect"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    CHURNED = "churned"
    INACTIVE = "inactive"


class SellerProgram(StrEnum):
    """The TikTok Shop programs a seller can join."""

    LIVE = "live"
    AFFILIATE = "affiliate"
    VIDEO = "video"
    CAMPAIGNS = "campaigns"


class RunStatus(StrEnum):
    """A scheduled post's progress (a digest run, an alert, a monthly report, a reminder); see
    bot.shared.delivery for who moves it and when."""

    CLAIMED = "claimed"  # a runner holds it and is rendering
    POSTING = "posting"  # the visible Slack call has started: it may be in the channel
    POSTED = "posted"
    RETRYING = "retrying"  # a transient failure; retried at next_attempt_at
    FAILED = "failed"


class SubscriptionKind(StrEnum):
    """What a `Subscription` posts."""

    WEEKLY_DIGEST = "digest"
    MONTHLY_REVIEW_REPORT = "review report"


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    FAILING = "failing"  # Slack refused the channel or the token; the creator was told
    STOPPED = "stopped"  # unsubscribed; kept so its run history stays readable


class Workspace(SQLModel, table=True):
    """A Slack workspace (team) the bot is installed in."""

    team_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utc_now)


class Seller(SQLModel, table=True):
    """A TikTok Shop seller the team manages."""

    __table_args__ = (
        UniqueConstraint("team_id", "seller_key"),
        Index("ix_seller_team_name_key", "team_id", "name_key"),
        Index("ix_seller_team_number", "team_id", "number", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    # The seller's bit in the seller bitmaps of DailyCategoryKpi: 0, 1, 2… within its workspace,
    # so that a workspace's bitmaps are as long as it has sellers, whatever other workspaces
    # have. Bulk inserts give it with next_seller_number; a seller added to a session gets it
    # when the session flushes.
    number: int | None = Field(default=None, nullable=False)
    seller_key: str = Field(max_length=64, description="the seller's ID in TikTok Shop")
    name: str = Field(max_length=200)
    name_key: str = Field(default="", max_length=200, description="match_key(name), kept on write")
    category: str = Field(max_length=100, description="the primary category")
    categories: list[str] = _json_list()
    market: str = Field(default="", max_length=8)
    owner_user_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default=SellerStatus.ACTIVE, max_length=16)
    store_url: str | None = Field(default=None, max_length=500)
    tier: str = Field(default="", max_length=16)
    programs: list[str] = _json_list()
    tags: list[str] = _json_list()
    # [{"name": …, "role": …, "reach": …}]: the people at the seller and how to reach them.
    contacts: list[dict[str, str]] = _json_list()
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


SELLER_TABLE = table_of(Seller)


class SellerChange(SQLModel, table=True):
    """One change to a seller's profile: who made it, when, and each field's old and new value
    (`changes`: field → [old, new])."""

    __table_args__ = (Index("ix_seller_change_seller", "team_id", "seller_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")
    changed_by: str = Field(max_length=32, description="a Slack user ID, or `import`")
    source: str = Field(default="form", max_length=16, description="form or import")
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changed_at: datetime = Field(default_factory=utc_now)


class SellerNote(NoteColumns, table=True):
    """A record of a contact with a seller, or a decision about one.

    Full-text search runs on an index the models do not declare (SQLite FTS5 table
    `sellernote_fts`, PostgreSQL column `search_vector`): see storage.note_search.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "client_key", name="uq_sellernote_client_key"),
        # deleted_at too: the latest contact of every seller is read from this index alone.
        Index("ix_sellernote_seller_created", "team_id", "seller_id", "created_at", "deleted_at"),
        Index("ix_sellernote_follow_up", "team_id", "follow_up_on"),
        # Covering for the sellers contacted lately (seller_id, deleted_at read from it).
        Index("ix_sellernote_team_created", "team_id", "created_at", "seller_id", "deleted_at"),
    )

    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")


SELLER_NOTE_TABLE = table_of(SellerNote)


class SellerNoteRevision(RevisionColumns, table=True):
    """The text and tags of a seller note before an edit."""

    note_id: int = Field(foreign_key="sellernote.id", ondelete="CASCADE", index=True)
    text: str = Field(max_length=4000)
    tags: list[str] = _json_list()


SELLER_NOTE_REVISION_TABLE = table_of(SellerNoteRevision)


def next_seller_number(connection: Connection, team_id: str) -> int:
    """The number the workspace's next new seller gets (see Seller.number)."""
    table = SELLER_TABLE
    statement = select(func.coalesce(func.max(table.c.number) + 1, 0)).where(
        table.c.team_id == team_id
    )
    return int(connection.execute(statement).scalar_one())


@event.listens_for(OrmSession, "before_flush")
def _number_new_sellers(session: OrmSession, _flush: Any, _instances: Any) -> None:
    """Sellers added to a session without a number get the next ones of their workspace."""
    upcoming: dict[str, int] = {}
    for seller in session.new:
        if isinstance(seller, Seller) and seller.number is None:
            if seller.team_id not in upcoming:
                upcoming[seller.team_id] = next_seller_number(session.connection(), seller.team_id)
            seller.number = upcoming[seller.team_id]
            upcoming[seller.team_id] += 1


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


class FeedbackNote(NoteColumns, table=True):
    """A note about a creator written by a creator manager.

    Full-text search runs on an index the models do not declare (SQLite FTS5 table
    `feedbacknote_fts`, PostgreSQL column `search_vector`): see storage.note_search.
    """

    __table_args__ = (
        Index("ix_feedbacknote_team_id", "team_id"),
        UniqueConstraint("team_id", "client_key"),
        Index("ix_feedback_creator_created", "team_id", "creator_id", "created_at"),
        # Also carries what a creator's note sentiment reads, so matchmaking's read of the
        # recent notes needs no row of the table.
        Index(
            "ix_feedback_team_created",
            "team_id",
            "created_at",
            "creator_id",
            "sentiment",
            "deleted_at",
        ),
        Index("ix_feedback_author_created", "team_id", "author_user_id", "created_at"),
        Index("ix_feedback_follow_up", "team_id", "follow_up_on"),
    )

    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE")
    topic: str = Field(default="general", max_length=32)
    sentiment: str = Field(default=Sentiment.NEUTRAL, max_length=16)


FEEDBACK_NOTE_TABLE = table_of(FeedbackNote)


class FeedbackNoteRevision(RevisionColumns, table=True):
    """The text of a note before an edit."""

    __table_args__ = (Index("ix_feedbacknoterevision_team_id", "team_id"),)

    note_id: int = Field(foreign_key="feedbacknote.id", ondelete="CASCADE", index=True)
    text: str = Field(max_length=4000)
    topic: str = Field(max_length=32)
    sentiment: str = Field(max_length=16)
    tags: list[str] = _json_list()


FEEDBACK_NOTE_REVISION_TABLE = table_of(FeedbackNoteRevision)


class LivestreamReview(AuthoredColumns, table=True):
    """A livestream quality review: ten 1–5 scores plus notes and the stream's figures."""

    __table_args__ = (
        Index("ix_livestreamreview_team_id", "team_id"),
        UniqueConstraint("team_id", "client_key"),
        Index("ix_review_team_started", "team_id", "stream_started_at"),
        Index("ix_review_team_seller", "team_id", "seller_id", "stream_started_at"),
        *(
            CheckConstraint(f"score_{name} BETWEEN 1 AND 5", name=f"review_{name}_range")
            for name in SCORECARD
        ),
    )

    seller_id: int | None = Field(default=None, foreign_key="seller.id", ondelete="SET NULL")
    creator_id: int | None = Field(default=None, foreign_key="creator.id", ondelete="SET NULL")
    host_name: str = Field(default="", max_length=200)
    stream_url: str | None = Field(default=None, max_length=500)
    stream_date: date
    reviewer_user_id: str = Field(max_length=32)
    score_opening_hook: int
    score_host_presence: int
    score_product_explanation: int
    score_demonstration: int
    score_production: int
    score_interaction: int
    score_merchandising: int
    score_calls_to_action: int
    score_structure: int
    score_compliance: int
    strengths: str = Field(default="", max_length=3000)
    improvements: str = Field(default="", max_length=3000)
    views: int | None = Field(default=None, sa_type=BigInteger)
    gmv_cents: int | None = _money(nullable=True)
    engagement_rate: float | None = Field(default=None, sa_type=Numeric(9, 6))
    # The stream (start as the shop's wall-clock time; reviews from before it was asked start
    # at midnight of stream_date) and the LIVE session it was found in.
    stream_started_at: datetime = Field(sa_type=DateTime())
    live_session_id: int | None = Field(
        default=None, foreign_key="livesession.id", ondelete="SET NULL"
    )
    peak_viewers: int | None = None
    avg_view_seconds: int | None = None
    orders: int | None = None
    comments: int | None = None
    new_followers: int | None = None
    product_clicks: int | None = None
    improvement_tags: list[str] = _json_list()
    best_practice: str | None = Field(
        default=None, max_length=1000, description="the moment worth copying, when flagged"
    )
    # Null until the review is first edited (a note's updated_at starts at its creation).
    updated_at: datetime | None = None


LIVESTREAM_REVIEW_TABLE = table_of(LivestreamReview)


class LivestreamReviewRevision(RevisionColumns, table=True):
    """A review as it was before an edit (its fields as JSON, scores included)."""

    __table_args__ = (Index("ix_livestreamreviewrevision_team_id", "team_id"),)

    review_id: int = Field(foreign_key="livestreamreview.id", ondelete="CASCADE", index=True)
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


LIVESTREAM_REVIEW_REVISION_TABLE = table_of(LivestreamReviewRevision)


class ReviewReportPost(SQLModel, table=True):
    """A claimed monthly review report: one row per subscription and month, so one post. It
    goes through the delivery life cycle (bot.shared.delivery) like a digest run."""

    __table_args__ = (UniqueConstraint("subscription_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE")
    month: date = Field(description="the first day of the month reported")
    status: str = Field(default=RunStatus.CLAIMED, max_length=16)
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = Field(default_factory=utc_now)
    attempts: int = 1
    next_attempt_at: datetime | None = None
    posting_at: datetime | None = Field(
        default=None, description="when the visible Slack calls started (a post may exist since)"
    )
    posted_at: datetime | None = None
    message_ts: str | None = Field(default=None, max_length=32)
    file_ids: list[str] = _json_list()  # the chart, once uploaded: not uploaded again
    error: str | None = Field(default=None, max_length=500)


class LiveSession(SQLModel, table=True):
    """One livestream of a seller, as the LIVE sessions export lists it (the seller-day sums
    in DailySellerKpi are kept as well). `started_at` is the start as the export writes it: the
    shop's wall-clock time, without a zone. Figures the export lacks stay empty."""

    __table_args__ = (
        UniqueConstraint("team_id", "seller_id", "started_at", name="uq_live_session_start"),
        Index("ix_live_session_team_start", "team_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")
    started_at: datetime = Field(sa_type=DateTime())  # wall-clock, no zone
    host_name: str = Field(default="", max_length=200, description="the export's creator")
    duration_minutes: int = 0
    views: int | None = Field(default=None, sa_type=BigInteger)
    peak_viewers: int | None = None
    avg_view_seconds: int | None = None
    gmv_cents: int | None = _money(nullable=True)
    orders: int | None = None
    likes: int | None = Field(default=None, sa_type=BigInteger)
    comments: int | None = None
    shares: int | None = None
    new_followers: int | None = None
    product_impressions: int | None = Field(default=None, sa_type=BigInteger)
    product_clicks: int | None = None
    import_batch_id: int | None = None  # the ImportBatch that last wrote the row


LIVE_SESSION_TABLE = table_of(LiveSession)


class ImportBatch(SQLModel, table=True):
    """One imported file: what it was, who sent it, and what it changed."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    kind: str = Field(max_length=32)
    filename: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    seller_id: int | None = Field(default=None, foreign_key="seller.id", ondelete="SET NULL")
    user_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default="done", max_length=16)
    rows_total: int = 0
    rows_new: int = 0
    rows_updated: int = 0
    first_day: date | None = None
    last_day: date | None = None
    error: str | None = Field(default=None, max_length=4000)
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None


IMPORT_BATCH_TABLE = table_of(ImportBatch)


class KpiFigures(SQLModel):
    """The figures of a seller-day, which the sum tables add up: declared once here for both
    tables, and listed for the code in `FIGURE_COLUMNS`. Money is in cents (`*_cents`)."""

    gmv_cents: int = _money()
    orders: int = 0
    items_sold: int = 0
    buyers: int = 0
    live_sessions: int = 0
    live_minutes: int = 0
    live_views: int = Field(default=0, sa_type=BigInteger)
    live_likes: int = Field(default=0, sa_type=BigInteger)
    live_comments: int = 0
    live_shares: int = 0
    live_gmv_cents: int = _money()
    video_gmv_cents: int = _money()
    affiliate_gmv_cents: int = _money()
    new_followers: int = 0


FIGURE_COLUMNS: tuple[str, ...] = tuple(KpiFigures.model_fields)
COUNT_COLUMNS = tuple(c for c in FIGURE_COLUMNS if not c.endswith("_cents"))


class DailySellerKpi(KpiFigures, table=True):
    """One seller's figures for one day (team KPI sheet columns; orders aggregate to this).

    Keyed day first, so that each imported day's rows are appended to the end of the unique
    index, which also serves day-range scans. `seller_id` and `import_batch_id` are
    deliberately not foreign keys: a check per row cost more than half of a large import, every
    importer finds or creates its sellers before it writes their days, and sellers and batches
    are never deleted.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "day", "seller_id", name="uq_kpi_team_day_seller"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    seller_id: int  # Seller.id
    day: date
    category: str = Field(max_length=100)
    import_batch_id: int | None = None  # the ImportBatch that last wrote the row
    updated_at: datetime = Field(default_factory=utc_now)


DAILY_SELLER_KPI_TABLE = table_of(DailySellerKpi)


class DailyCategoryKpi(KpiFigures, table=True):
    """Seller-day figures summed per day and category, kept in step with DailySellerKpi by
    every import: a snapshot reads a few dozen of these instead of thousands of seller-days.

    The `*_bits` columns are bitmaps of the sellers with figures that day, and of those active
    in LIVE, affiliate and video, by their number in the workspace (bit i = the seller whose
    Seller.number is i): OR-ing them over a window counts distinct sellers (for seller
    adoption) without reading seller-days.
    """

    team_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    category: str = Field(primary_key=True, max_length=100)
    seller_bits: bytes = Field(default=b"", sa_type=LargeBinary)
    live_bits: bytes = Field(default=b"", sa_type=LargeBinary)
    affiliate_bits: bytes = Field(default=b"", sa_type=LargeBinary)
    video_bits: bytes = Field(default=b"", sa_type=LargeBinary)


DAILY_CATEGORY_KPI_TABLE = table_of(DailyCategoryKpi)


# A day's sums over thousands of sellers outgrow the 32-bit counts of one seller-day: every
# figure of the sum table is a BigInteger (set before the table is first used).
for _figure in FIGURE_COLUMNS:
    DAILY_CATEGORY_KPI_TABLE.c[_figure].type = BigInteger()


class DailyCategorySellers(SQLModel, table=True):
    """Each seller's GMV and orders per day and category, kept in step with DailySellerKpi by
    every import: ranking the sellers of a window (top sellers, movers) adds up a few dozen of
    these instead of reading thousands of seller-days.

    Three arrays of the same length, little-endian: `sellers`, the numbers (Seller.number) of
    the sellers with figures that day, ascending (int32), and their `gmv_cents` and `orders`
    (int64).
    """

    team_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    category: str = Field(primary_key=True, max_length=100)
    sellers: bytes = Field(default=b"", sa_type=LargeBinary)
    gmv_cents: bytes = Field(default=b"", sa_type=LargeBinary)
    orders: bytes = Field(default=b"", sa_type=LargeBinary)


DAILY_CATEGORY_SELLERS_TABLE = table_of(DailyCategorySellers)


class WeeklySellerKpi(SQLModel, table=True):
    """A seller's GMV and orders per week (Monday to Sunday) and category, kept in step with
    DailySellerKpi by every import: the categories a seller has figures in are read from a
    few of these rather than from every seller-day (ranking sellers reads
    DailyCategorySellers)."""

    __table_args__ = (
        # Carries what the sellers' recent AOV adds up, so that read needs no row of the table.
        Index("ix_weekly_seller_sums", "team_id", "week", "seller_id", "gmv_cents", "orders"),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    week: date = Field(primary_key=True)  # its Monday
    category: str = Field(primary_key=True, max_length=100)
    seller_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    gmv_cents: int = _money()
    orders: int = Field(default=0, sa_type=BigInteger)


WEEKLY_SELLER_KPI_TABLE = table_of(WeeklySellerKpi)


class Subscription(SQLModel, table=True):
    """A channel's subscription to a scheduled post of one kind (one per channel and kind): the
    weekly digest on its weekdays, the monthly review report on the 1st of each month; at
    `post_time` in `timezone`, for `category` (None: every category). Each kind keeps its posts
    in its own table (`DigestRun`, `ReviewReportPost`) under the subscription's id."""

    __table_args__ = (
        UniqueConstraint("team_id", "kind", "channel_id", name="uq_subscription_channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    kind: str = Field(max_length=16, description="a SubscriptionKind")
    channel_id: str = Field(max_length=32)
    channel_name: str = Field(default="", max_length=80, description="as Slack named it")
    post_time: str = Field(default="09:00", max_length=5, description="HH:MM local time")
    timezone: str = Field(default="UTC", max_length=64)
    category: str | None = Field(default=None, max_length=100)
    created_by: str = Field(max_length=32)
    status: str = Field(default=SubscriptionStatus.ACTIVE, max_length=16)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utc_now)
    # Slots before this are not caught up: a new (or renewed) subscription starts from now.
    active_since: datetime = Field(default_factory=utc_now)
    # The weekly digest's own: its weekdays and what it shows (empty for the monthly report).
    weekdays: str = Field(default="", max_length=32, description="comma list: mon,thu")
    seller_keys: list[str] = _json_list()
    sections: list[str] = _json_list()


class DigestRun(SQLModel, table=True):
    """A claimed digest post: at most one row per subscription and period, so one post.

    `attempts` counts the claims taken on the run; a runner acts on it only while the row still
    shows its own (claimed_by, attempts), so a stale runner can never move a run it lost.
    """

    __table_args__ = (UniqueConstraint("subscription_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    subscription_id: int = Field(foreign_key="subscription.id", ondelete="CASCADE")
    period: str = Field(
        max_length=40, description="the slot's local date (YYYY-MM-DD), or `send …` when manual"
    )
    status: str = Field(default=RunStatus.CLAIMED, max_length=16)
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = Field(default_factory=utc_now)
    attempts: int = 0
    next_attempt_at: datetime | None = None
    posted_at: datetime | None = None
    message_ts: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, max_length=500)
    slot_at: datetime | None = Field(default=None, description="when it was due (UTC)")
    week_start: date | None = Field(default=None, description="the Monday of the week shown")
    posting_at: datetime | None = Field(
        default=None, description="when the visible Slack call started (a post may exist since)"
    )
    requested_by: str | None = Field(default=None, max_length=32, description="manual sends")
    file_ids: list[str] = _json_list()


class ProcessedSlackEvent(SQLModel, table=True):
    """An Events API event being handled, or handled (Slack retries; handle each event once).

    `worker` claimed it at `claimed_at`; `finished_at` is set when its work is done. An
    unfinished claim whose lease ran out, or whose worker is gone, is taken over by a
    redelivery, or resumed from `request` (storage.events). Slow slash commands are claimed
    here too, as `slash:<key of their trigger_id>`."""

    __table_args__ = (UniqueConstraint("team_id", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    event_id: str = Field(max_length=64)
    received_at: datetime = Field(default_factory=utc_now)
    worker: str = Field(default="", max_length=160)
    claimed_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None
    request: str | None = Field(
        default=None,
        sa_type=Text,
        description="the request (JSON) while its work runs, to do it again if it is cut off",
    )
    tries: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """How many times its work has been started: resumed work is dropped after the last try."""


PROCESSED_SLACK_EVENT_TABLE = table_of(ProcessedSlackEvent)


class SideEffect(SQLModel, table=True):
    """Something a request made outside its own record (a rule, a post, an upload, a DM), kept
    under the request's key (its claim: an event's ID, a slash command's `slash:<key>`), so a
    resumed or repeated request finds it rather than making it again (bot.shared.effects).

    `started_at` is written before the effect is tried and `result` (a rule's ID, a message's
    ts, a file's ID) once it is made: a row with no result is an effect cut off mid-way, whose
    absence is checked where it would be before it is made again."""

    __table_args__ = (UniqueConstraint("team_id", "request_key", "effect"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    request_key: str = Field(max_length=80)
    effect: str = Field(max_length=120)
    started_at: datetime = Field(default_factory=utc_now)
    result: str | None = Field(default=None, max_length=200)


SIDE_EFFECT_TABLE = table_of(SideEffect)


class AlertRule(SQLModel, table=True):
    """A KPI alert: a metric in a scope (the workspace, a category or a seller), the rule that
    judges its latest complete day, and the channel told when it fires (bot.alerts). `number`
    is what people type and read (`/alert mute 3`, "Alert 3"): given once from the workspace's
    AlertNumbers counter, it never changes and is never given again, even after a removal. A
    removed rule is kept (deleted_at) for 30 days, so an admin can restore it under its number
    (storage.authored)."""

    __table_args__ = (Index("ix_alertrule_team_number", "team_id", "number", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    number: int = Field(default=0)
    metric: str = Field(max_length=32, description="a KPI key (bot.shared.kpis.definitions)")
    category: str | None = Field(default=None, max_length=100)
    seller_id: int | None = Field(default=None, foreign_key="seller.id", ondelete="CASCADE")
    rule: str = Field(default="unusual", max_length=16, description="unusual|drop|rise|below|above")
    baseline: str = Field(default="", max_length=16, description="week|trailing for drop/rise")
    percent: int | None = Field(default=None, description="drop/rise: how many percent")
    threshold: Decimal | None = Field(
        default=None,
        sa_type=Numeric(20, 6),
        description="below/above: in the metric's unit (cents for money, a fraction for rates)",
    )
    channel_id: str = Field(max_length=32)
    channel_name: str = Field(default="", max_length=80)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utc_now)
    muted_until: datetime | None = None
    muted_by: str | None = Field(default=None, max_length=32)
    deleted_at: datetime | None = None
    deleted_by: str | None = Field(default=None, max_length=32)


ALERT_RULE_TABLE = table_of(AlertRule)


class AlertNumbers(SQLModel, table=True):
    """The last alert number a workspace has given: kept when its rule is removed, so a
    number printed in an old post never names another rule."""

    team_id: str = Field(primary_key=True, max_length=32)
    last: int = 0


class AlertFiring(SQLModel, table=True):
    """An alert claimed for a rule and day: at most one row per (rule, day), so one post,
    however many replicas check at once. `severity` (how far outside, as a fraction) lets a
    persisting condition speak again only when it worsens past a further step."""

    __table_args__ = (UniqueConstraint("rule_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    rule_id: int = Field(foreign_key="alertrule.id", ondelete="CASCADE")
    day: date
    status: str = Field(default=RunStatus.CLAIMED, max_length=16)
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = Field(default_factory=utc_now)
    attempts: int = 1
    next_attempt_at: datetime | None = None
    severity: Decimal = Field(default=Decimal(0), sa_type=Numeric(20, 6))
    message: str = Field(default="", max_length=3000, description="the alert's mrkdwn text")
    summary: str = Field(default="", max_length=300, description="one line, for the App Home")
    channel_id: str = Field(default="", max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    posting_at: datetime | None = Field(
        default=None, description="when the visible Slack call started (a post may exist since)"
    )
    posted_at: datetime | None = None
    error: str | None = Field(default=None, max_length=500)
    acknowledged_by: str | None = Field(default=None, max_length=32)
    acknowledged_at: datetime | None = None


ALERT_FIRING_TABLE = table_of(AlertFiring)


class ReminderPost(SQLModel, table=True):
    """A reminder DM (a note's follow-up, an overdue outreach pair): one row per kind, subject
    and due day, so one DM, posted through the delivery life cycle (bot.shared.delivery) with the
    message it was claimed with, so whoever takes it over sends the same."""

    __table_args__ = (UniqueConstraint("kind", "subject_id", "due_on"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    kind: str = Field(max_length=32, description="note, seller note, outreach")
    subject_id: int = Field(description="the note's or the pair's id")
    due_on: date
    user_id: str = Field(max_length=32, description="who gets the DM")
    text: str = Field(default="", max_length=3000)
    blocks: list[dict[str, Any]] = _json_list()
    status: str = Field(default=RunStatus.CLAIMED, max_length=16)
    claimed_by: str = Field(default="", max_length=64)
    claimed_at: datetime = Field(default_factory=utc_now)
    attempts: int = 1
    next_attempt_at: datetime | None = None
    posting_at: datetime | None = None
    posted_at: datetime | None = None
    message_ts: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, max_length=500)


class DeliveryAttempt(SQLModel, table=True):
    """The run history of every scheduled post: one row per attempt's end (posted, retrying,
    failed, taken over), written by the attempt that held the post's lease."""

    __table_args__ = (Index("ix_deliveryattempt_team_at", "team_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    kind: str = Field(max_length=32, description="the post's table: digestrun, alertfiring, …")
    delivery_id: int = Field(description="the post's row in that table")
    attempt: int
    worker: str = Field(default="", max_length=64)
    outcome: str = Field(max_length=16, description="a RunStatus, or `taken over`")
    error: str | None = Field(default=None, max_length=500)
    at: datetime = Field(default_factory=utc_now)


DELIVERY_ATTEMPT_TABLE = table_of(DeliveryAttempt)


class HomeTab(SQLModel, table=True):
    """A person's App Home: the categories they follow (none: all), when it was last
    published, so automatic refreshes reach them at most once a minute, and whether a
    refresh waits for that minute to pass."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    categories: list[str] = _json_list()
    published_at: datetime | None = None
    refresh_due: bool = False


HOME_TAB_TABLE = table_of(HomeTab)


@event.listens_for(Seller, "before_insert")
@event.listens_for(Seller, "before_update")
def _key_seller_name(_mapper: Any, _connection: Any, seller: Seller) -> None:
    """Every ORM write keeps the seller's match key; bulk inserts set it themselves."""
    seller.name_key = match_key(seller.name)


@event.listens_for(Creator, "before_insert")
@event.listens_for(Creator, "before_update")
def _key_creator_name(_mapper: Any, _connection: Any, creator: Creator) -> None:
    creator.name_key = match_key(creator.display_name)
