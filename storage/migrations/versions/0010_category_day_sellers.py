"""Each seller's GMV and orders per day and category, for ranking the sellers of any window

Top sellers and movers add these up instead of reading every seller-day of a window (or every
seller's weeks of a long one).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dailycategorysellers",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("sellers", sa.LargeBinary(), nullable=False),
        sa.Column("gmv_cents", sa.LargeBinary(), nullable=False),
        sa.Column("orders", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "day", "category"),
    )
    # Existing seller-days are summed once here; every import keeps the table in step.
    from storage.kpis.sums import refresh_category_days, seller_day_spans

    bind = op.get_bind()
    for team_id, first, last in seller_day_spans(bind):
        refresh_category_days(bind, team_id, first, last, sellers=True)


def downgrade() -> None:
    op.drop_table("dailycategorysellers")
