"""Scheduled posts: their status, subscriptions, digest runs, reminder DMs, and the run history of
every attempt."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import _json_list, table_of, utc_now


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
