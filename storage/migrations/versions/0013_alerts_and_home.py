"""KPI alert rules, their claimed firings, and each person's App Home settings

An alert rule judges a metric's latest complete day in a scope; each firing is claimed by
inserting its (rule, day) row, so replicas post it once. The App Home keeps the categories a
person follows and when their tab was last published (refreshes at most once a minute).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "alertrule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("metric", _text(32), nullable=False),
        sa.Column("category", _text(100), nullable=True),
        sa.Column("seller_id", sa.Integer(), nullable=True),
        sa.Column("rule", _text(16), nullable=False),
        sa.Column("baseline", _text(16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("threshold", sa.Numeric(20, 6), nullable=True),
        sa.Column("channel_id", _text(32), nullable=False),
        sa.Column("channel_name", _text(80), nullable=False),
        sa.Column("created_by", _text(32), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("muted_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("muted_by", _text(32), nullable=True),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("alertrule") as batch:
        batch.create_index(batch.f("ix_alertrule_team_id"), ["team_id"], unique=False)
    op.create_table(
        "alertfiring",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", _text(16), nullable=False),
        sa.Column("claimed_by", _text(64), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("severity", sa.Numeric(20, 6), nullable=False),
        sa.Column("message", _text(3000), nullable=False),
        sa.Column("summary", _text(300), nullable=False),
        sa.Column("channel_id", _text(32), nullable=False),
        sa.Column("message_ts", _text(32), nullable=True),
        sa.Column("posted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("error", _text(500), nullable=True),
        sa.Column("acknowledged_by", _text(32), nullable=True),
        sa.Column("acknowledged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["rule_id"], ["alertrule.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "day"),
    )
    with op.batch_alter_table("alertfiring") as batch:
        batch.create_index(batch.f("ix_alertfiring_team_id"), ["team_id"], unique=False)
    op.create_table(
        "hometab",
        sa.Column("team_id", _text(32), nullable=False),
        sa.Column("user_id", _text(32), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("published_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("refresh_due", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("hometab")
    op.drop_table("alertfiring")
    op.drop_table("alertrule")
