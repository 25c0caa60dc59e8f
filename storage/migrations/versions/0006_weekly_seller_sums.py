"""Seller GMV and orders summed per week, for ranking the sellers of long periods

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "weeklysellerkpi",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("seller_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("gmv_cents", sa.BigInteger(), nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "week", "category", "seller_id"),
    )
    # Existing seller-days are summed once here; every import keeps the table in step.
    from storage.kpis.sums import refresh_seller_weeks, seller_day_spans

    bind = op.get_bind()
    for team_id, first, last in seller_day_spans(bind):
        refresh_seller_weeks(bind, team_id, first, last)


def downgrade() -> None:
    op.drop_table("weeklysellerkpi")
