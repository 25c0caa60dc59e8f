"""Alert rules, each workspace's last alert number, and the alerts fired."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

import storage.sellers.models  # noqa: F401  (the table its foreign keys name)
from storage.columns import table_of, utc_now
from storage.delivery.models import RunStatus


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
