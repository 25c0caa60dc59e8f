"""Seller-day figures summed per day and category, for fast snapshots

Revision ID: 0004
Revises: 0002, 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dailycategorykpi",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("seller_bits", sa.LargeBinary(), nullable=False),
        sa.Column("live_bits", sa.LargeBinary(), nullable=False),
        sa.Column("affiliate_bits", sa.LargeBinary(), nullable=False),
        sa.Column("video_bits", sa.LargeBinary(), nullable=False),
        sa.Column("gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.Column("items_sold", sa.BigInteger(), nullable=False),
        sa.Column("buyers", sa.BigInteger(), nullable=False),
        sa.Column("live_sessions", sa.BigInteger(), nullable=False),
        sa.Column("live_minutes", sa.BigInteger(), nullable=False),
        sa.Column("live_views", sa.BigInteger(), nullable=False),
        sa.Column("live_likes", sa.BigInteger(), nullable=False),
        sa.Column("live_comments", sa.BigInteger(), nullable=False),
        sa.Column("live_shares", sa.BigInteger(), nullable=False),
        sa.Column("live_gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("video_gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("affiliate_gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("new_followers", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "day", "category"),
    )
    # Category questions are answered from the sums now; one index less makes imports faster.
    with op.batch_alter_table("dailysellerkpi", schema=None) as batch_op:
        batch_op.drop_index("ix_kpi_team_category_day")
    # Existing seller-days are summed into it by 0007, which first numbers the sellers within
    # their workspace (the bits of the seller bitmaps); every import keeps the table in step.


def downgrade() -> None:
    with op.batch_alter_table("dailysellerkpi", schema=None) as batch_op:
        batch_op.create_index("ix_kpi_team_category_day", ["team_id", "category", "day"])
    op.drop_table("dailycategorykpi")
