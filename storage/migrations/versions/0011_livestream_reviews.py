"""Livestream reviews: LIVE sessions stored one by one, the review's stream, figures, tags,
best-practice moment, edits and soft deletes, the earlier versions of edited reviews, and the
monthly review report's subscriptions and posts

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_UTC = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "livesession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("host_name", _TEXT(length=200), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("peak_viewers", sa.Integer(), nullable=True),
        sa.Column("avg_view_seconds", sa.Integer(), nullable=True),
        sa.Column("gmv_cents", sa.BigInteger(), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=True),
        sa.Column("likes", sa.BigInteger(), nullable=True),
        sa.Column("comments", sa.Integer(), nullable=True),
        sa.Column("shares", sa.Integer(), nullable=True),
        sa.Column("new_followers", sa.Integer(), nullable=True),
        sa.Column("product_impressions", sa.BigInteger(), nullable=True),
        sa.Column("product_clicks", sa.Integer(), nullable=True),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "seller_id", "started_at", name="uq_live_session_start"),
    )
    op.create_index("ix_live_session_team_start", "livesession", ["team_id", "started_at"])

    with op.batch_alter_table("livestreamreview") as batch_op:
        batch_op.add_column(sa.Column("stream_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("live_session_id", sa.Integer(), nullable=True))
        for name in (
            "peak_viewers",
            "avg_view_seconds",
            "orders",
            "comments",
            "new_followers",
            "product_clicks",
        ):
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("improvement_tags", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("best_practice", _TEXT(length=1000), nullable=True))
        batch_op.add_column(sa.Column("source_url", _TEXT(length=500), nullable=True))
        batch_op.add_column(sa.Column("updated_at", _UTC(), nullable=True))
        batch_op.add_column(sa.Column("deleted_at", _UTC(), nullable=True))
        batch_op.add_column(sa.Column("deleted_by", _TEXT(length=32), nullable=True))
        batch_op.create_foreign_key(
            "fk_livestreamreview_live_session_id_livesession",
            "livesession",
            ["live_session_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Reviews from before the start was asked for started at midnight of their day, as far as
    # anyone knows; from now on every review says when its stream started.
    midnight = (
        "CAST(stream_date AS TIMESTAMP)"
        if op.get_bind().dialect.name == "postgresql"
        else "stream_date || ' 00:00:00.000000'"  # how SQLAlchemy writes a datetime there
    )
    op.execute(f"UPDATE livestreamreview SET stream_started_at = {midnight}")
    with op.batch_alter_table("livestreamreview") as batch_op:
        # The default only filled the rows that existed; new rows always give their tags.
        batch_op.alter_column("improvement_tags", server_default=None)
        batch_op.alter_column("stream_started_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index("ix_review_team_started", ["team_id", "stream_started_at"])
        batch_op.create_index(
            "ix_review_team_seller", ["team_id", "seller_id", "stream_started_at"]
        )

    op.create_table(
        "livestreamreviewrevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("edited_by", _TEXT(length=32), nullable=False),
        sa.Column("edited_at", _UTC(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["livestreamreview.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_livestreamreviewrevision_review_id", "livestreamreviewrevision", ["review_id"]
    )
    op.create_index("ix_livestreamreviewrevision_team_id", "livestreamreviewrevision", ["team_id"])

    op.create_table(
        "reviewreportsubscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("channel_id", _TEXT(length=32), nullable=False),
        sa.Column("channel_name", _TEXT(length=80), nullable=False),
        sa.Column("post_time", _TEXT(length=5), nullable=False),
        sa.Column("timezone", _TEXT(length=64), nullable=False),
        sa.Column("category", _TEXT(length=100), nullable=True),
        sa.Column("created_by", _TEXT(length=32), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("last_error", _TEXT(length=500), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("active_since", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_review_report_channel"),
    )
    op.create_index("ix_reviewreportsubscription_team_id", "reviewreportsubscription", ["team_id"])
    op.create_table(
        "reviewreportpost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("claimed_at", _UTC(), nullable=False),
        sa.Column("posted_at", _UTC(), nullable=True),
        sa.Column("message_ts", _TEXT(length=32), nullable=True),
        sa.Column("error", _TEXT(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["reviewreportsubscription.id"], ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "month"),
    )
    op.create_index("ix_reviewreportpost_team_id", "reviewreportpost", ["team_id"])


def downgrade() -> None:
    op.drop_table("reviewreportpost")
    op.drop_table("reviewreportsubscription")
    op.drop_table("livestreamreviewrevision")
    with op.batch_alter_table("livestreamreview") as batch_op:
        batch_op.drop_index("ix_review_team_seller")
        batch_op.drop_index("ix_review_team_started")
        batch_op.drop_constraint(
            "fk_livestreamreview_live_session_id_livesession", type_="foreignkey"
        )
        for name in (
            "deleted_by",
            "deleted_at",
            "updated_at",
            "source_url",
            "best_practice",
            "improvement_tags",
            "product_clicks",
            "new_followers",
            "comments",
            "orders",
            "avg_view_seconds",
            "peak_viewers",
            "live_session_id",
            "stream_started_at",
        ):
            batch_op.drop_column(name)
    op.drop_index("ix_live_session_team_start", table_name="livesession")
    op.drop_table("livesession")
