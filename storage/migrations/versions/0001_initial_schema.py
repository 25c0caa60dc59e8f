"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "creator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("handle", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("followers", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("level IS NULL OR (level BETWEEN 0 AND 8)", name="creator_level_range"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "handle"),
    )
    with op.batch_alter_table("creator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_creator_team_id"), ["team_id"], unique=False)

    op.create_table(
        "digestsubscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("channel_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("weekdays", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("post_time", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("seller_keys", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("digestsubscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_digestsubscription_team_id"), ["team_id"], unique=False
        )

    op.create_table(
        "processedslackevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "event_id"),
    )
    op.create_table(
        "seller",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seller_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("market", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("owner_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("store_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "seller_key"),
    )
    with op.batch_alter_table("seller", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seller_team_id"), ["team_id"], unique=False)

    op.create_table(
        "workspace",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_table(
        "collaboration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "creator_id", "seller_id"),
    )
    with op.batch_alter_table("collaboration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_collaboration_team_id"), ["team_id"], unique=False)

    op.create_table(
        "creatorlevelchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("previous_level", sa.Integer(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("creatorlevelchange", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_creatorlevelchange_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            "ix_level_change_creator", ["creator_id", "effective_on"], unique=False
        )

    op.create_table(
        "digestrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("posted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("message_ts", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["digestsubscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscription_id", "period"),
    )
    with op.batch_alter_table("digestrun", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digestrun_team_id"), ["team_id"], unique=False)

    op.create_table(
        "feedbacknote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("creator_id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("sentiment", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("source_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("client_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("deleted_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "client_key"),
    )
    with op.batch_alter_table("feedbacknote", schema=None) as batch_op:
        batch_op.create_index(
            "ix_feedback_creator_created", ["team_id", "creator_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feedbacknote_team_id"), ["team_id"], unique=False)

    op.create_table(
        "importbatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("importbatch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_importbatch_team_id"), ["team_id"], unique=False)

    op.create_table(
        "livestreamreview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=True),
        sa.Column("creator_id", sa.Integer(), nullable=True),
        sa.Column("host_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("stream_url", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("stream_date", sa.Date(), nullable=False),
        sa.Column("reviewer_user_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("score_opening_hook", sa.Integer(), nullable=False),
        sa.Column("score_host_presence", sa.Integer(), nullable=False),
        sa.Column("score_product_explanation", sa.Integer(), nullable=False),
        sa.Column("score_demonstration", sa.Integer(), nullable=False),
        sa.Column("score_production", sa.Integer(), nullable=False),
        sa.Column("score_interaction", sa.Integer(), nullable=False),
        sa.Column("score_merchandising", sa.Integer(), nullable=False),
        sa.Column("score_calls_to_action", sa.Integer(), nullable=False),
        sa.Column("score_structure", sa.Integer(), nullable=False),
        sa.Column("score_compliance", sa.Integer(), nullable=False),
        sa.Column("strengths", sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
        sa.Column("improvements", sqlmodel.sql.sqltypes.AutoString(length=3000), nullable=False),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("gmv_cents", sa.BigInteger(), nullable=True),
        sa.Column("engagement_rate", sa.Numeric(precision=9, scale=6), nullable=True),
        sa.Column("client_key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "score_calls_to_action BETWEEN 1 AND 5", name="review_calls_to_action_range"
        ),
        sa.CheckConstraint("score_compliance BETWEEN 1 AND 5", name="review_compliance_range"),
        sa.CheckConstraint(
            "score_demonstration BETWEEN 1 AND 5", name="review_demonstration_range"
        ),
        sa.CheckConstraint(
            "score_host_presence BETWEEN 1 AND 5", name="review_host_presence_range"
        ),
        sa.CheckConstraint("score_interaction BETWEEN 1 AND 5", name="review_interaction_range"),
        sa.CheckConstraint(
            "score_merchandising BETWEEN 1 AND 5", name="review_merchandising_range"
        ),
        sa.CheckConstraint("score_opening_hook BETWEEN 1 AND 5", name="review_opening_hook_range"),
        sa.CheckConstraint(
            "score_product_explanation BETWEEN 1 AND 5", name="review_product_explanation_range"
        ),
        sa.CheckConstraint("score_production BETWEEN 1 AND 5", name="review_production_range"),
        sa.CheckConstraint("score_structure BETWEEN 1 AND 5", name="review_structure_range"),
        sa.ForeignKeyConstraint(["creator_id"], ["creator.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "client_key"),
    )
    with op.batch_alter_table("livestreamreview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_livestreamreview_team_id"), ["team_id"], unique=False)

    op.create_table(
        "dailysellerkpi",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("items_sold", sa.Integer(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("live_sessions", sa.Integer(), nullable=False),
        sa.Column("live_minutes", sa.Integer(), nullable=False),
        sa.Column("live_views", sa.BigInteger(), nullable=False),
        sa.Column("live_likes", sa.BigInteger(), nullable=False),
        sa.Column("live_comments", sa.Integer(), nullable=False),
        sa.Column("live_shares", sa.Integer(), nullable=False),
        sa.Column("live_gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("video_gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("affiliate_gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("new_followers", sa.Integer(), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["import_batch_id"], ["importbatch.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "seller_id", "day"),
    )
    with op.batch_alter_table("dailysellerkpi", schema=None) as batch_op:
        batch_op.create_index(
            "ix_kpi_team_category_day", ["team_id", "category", "day"], unique=False
        )
        batch_op.create_index("ix_kpi_team_day", ["team_id", "day"], unique=False)

    op.create_table(
        "feedbacknoterevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("topic", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("sentiment", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("edited_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("edited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["feedbacknote.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedbacknoterevision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedbacknoterevision_note_id"), ["note_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedbacknoterevision_team_id"), ["team_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedbacknoterevision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedbacknoterevision_team_id"))
        batch_op.drop_index(batch_op.f("ix_feedbacknoterevision_note_id"))

    op.drop_table("feedbacknoterevision")
    with op.batch_alter_table("dailysellerkpi", schema=None) as batch_op:
        batch_op.drop_index("ix_kpi_team_day")
        batch_op.drop_index("ix_kpi_team_category_day")

    op.drop_table("dailysellerkpi")
    with op.batch_alter_table("livestreamreview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_livestreamreview_team_id"))

    op.drop_table("livestreamreview")
    with op.batch_alter_table("importbatch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_importbatch_team_id"))

    op.drop_table("importbatch")
    with op.batch_alter_table("feedbacknote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedbacknote_team_id"))
        batch_op.drop_index("ix_feedback_creator_created")

    op.drop_table("feedbacknote")
    with op.batch_alter_table("digestrun", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digestrun_team_id"))

    op.drop_table("digestrun")
    with op.batch_alter_table("creatorlevelchange", schema=None) as batch_op:
        batch_op.drop_index("ix_level_change_creator")
        batch_op.drop_index(batch_op.f("ix_creatorlevelchange_team_id"))

    op.drop_table("creatorlevelchange")
    with op.batch_alter_table("collaboration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collaboration_team_id"))

    op.drop_table("collaboration")
    op.drop_table("workspace")
    with op.batch_alter_table("seller", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seller_team_id"))

    op.drop_table("seller")
    op.drop_table("processedslackevent")
    with op.batch_alter_table("digestsubscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_digestsubscription_team_id"))

    op.drop_table("digestsubscription")
    with op.batch_alter_table("creator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_creator_team_id"))

    op.drop_table("creator")
