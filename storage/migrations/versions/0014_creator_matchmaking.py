"""Creator matchmaking: dated creator performance snapshots, the outreach pipeline with its
stage history, onboarding checklists, and collaborations' end date and GMV

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "creatorperformance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("category_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("latest", sa.Boolean(), nullable=False),
        sa.Column("gmv_cents", sa.BigInteger(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=True),
        sa.Column("items_sold", sa.Integer(), nullable=True),
        sa.Column("live_gpm_cents", sa.BigInteger(), nullable=True),
        sa.Column("video_gpm_cents", sa.BigInteger(), nullable=True),
        sa.Column("engagement_rate", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("followers", sa.BigInteger(), nullable=True),
        sa.Column("samples_shipped", sa.Integer(), nullable=True),
        sa.Column("posts_after_samples", sa.Integer(), nullable=True),
        sa.Column("response_rate", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("content_types", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "team_id", "creator_id", "category_key", "as_of", name="uq_performance_snapshot"
        ),
    )
    with op.batch_alter_table("creatorperformance", schema=None) as batch_op:
        batch_op.create_index("ix_performance_creator", ["creator_id", "as_of"], unique=False)
        batch_op.create_index(
            "ix_performance_latest",
            [
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
            ],
            unique=False,
        )

    op.create_table(
        "onboardingstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("started_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "creator_id", "step", name="uq_onboarding_step"),
    )
    with op.batch_alter_table("onboardingstep", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_onboardingstep_creator_id"), ["creator_id"], unique=False
        )

    op.create_table(
        "outreach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("declined_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("stage_since", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "creator_id", "seller_id", name="uq_outreach_pair"),
    )
    with op.batch_alter_table("outreach", schema=None) as batch_op:
        batch_op.create_index("ix_outreach_follow_up", ["team_id", "follow_up_on"], unique=False)
        batch_op.create_index("ix_outreach_owner", ["team_id", "owner_user_id"], unique=False)
        batch_op.create_index("ix_outreach_seller", ["team_id", "seller_id"], unique=False)

    op.create_table(
        "outreachstagechange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("outreach_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("previous_stage", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("changed_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["outreach_id"], ["outreach.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outreachstagechange", schema=None) as batch_op:
        batch_op.create_index("ix_outreach_change_team_at", ["team_id", "changed_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outreachstagechange_outreach_id"), ["outreach_id"], unique=False
        )

    with op.batch_alter_table("creatorlevelchange", schema=None) as batch_op:
        batch_op.create_index("ix_level_change_team_day", ["team_id", "effective_on"], unique=False)

    with op.batch_alter_table("collaboration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("gmv_cents", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("creatorlevelchange", schema=None) as batch_op:
        batch_op.drop_index("ix_level_change_team_day")

    with op.batch_alter_table("collaboration", schema=None) as batch_op:
        batch_op.drop_column("gmv_cents")
        batch_op.drop_column("until")

    with op.batch_alter_table("outreachstagechange", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outreachstagechange_outreach_id"))
        batch_op.drop_index("ix_outreach_change_team_at")

    op.drop_table("outreachstagechange")
    with op.batch_alter_table("outreach", schema=None) as batch_op:
        batch_op.drop_index("ix_outreach_seller")
        batch_op.drop_index("ix_outreach_owner")
        batch_op.drop_index("ix_outreach_follow_up")

    op.drop_table("outreach")
    with op.batch_alter_table("onboardingstep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_onboardingstep_creator_id"))

    op.drop_table("onboardingstep")
    with op.batch_alter_table("creatorperformance", schema=None) as batch_op:
        batch_op.drop_index("ix_performance_latest")
        batch_op.drop_index("ix_performance_creator")

    op.drop_table("creatorperformance")
