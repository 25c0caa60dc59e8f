"""Livestream reviews with their revisions, the monthly review report's posts, and the LIVE sessions
a review links to."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Numeric,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

# the tables its foreign keys name
import storage.creators.models
import storage.sellers.models  # noqa: F401
from storage.columns import AuthoredColumns, RevisionColumns, _json_list, _money, table_of, utc_now
from storage.delivery.models import RunStatus
from storage.reviews.scorecard import SCORECARD


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
    marker: str | None = Field(
        default=None,
        max_length=80,
        description="the marker of a post begun before its subscription was renumbered (0022)",
    )


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
