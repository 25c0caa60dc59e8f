"""Sellers numbered within their workspace, and the seller bitmaps rebuilt with those numbers

The bitmaps of dailycategorykpi had one bit per seller row id, so every workspace's bitmaps
were as long as the largest seller id of all workspaces. Each seller now has a number in its
workspace (0, 1, 2… in order of creation), which is its bit; the per-day-and-category sums are
rebuilt from the seller-days with it (also filling them for databases upgraded from before
0004, which no longer fills them itself).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

INDEX = "ix_seller_team_number"
_sellers = sa.table(
    "seller",
    sa.column("id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("number", sa.Integer()),
)


def upgrade() -> None:
    bind = op.get_bind()
    # SQLite adds a NOT NULL column only with a default, and keeps it (dropping it would copy
    # the table); every insert gives the number anyway. PostgreSQL drops it once filled.
    op.add_column("seller", sa.Column("number", sa.Integer(), nullable=False, server_default="0"))
    found = bind.execute(
        sa.select(_sellers.c.id, _sellers.c.team_id).order_by(_sellers.c.team_id, _sellers.c.id)
    ).all()
    given: Counter[str] = Counter()
    numbers = []
    for seller_id, team_id in found:
        numbers.append({"seller_id": seller_id, "number": given[team_id]})
        given[team_id] += 1
    if numbers:
        bind.execute(
            _sellers.update()
            .where(_sellers.c.id == sa.bindparam("seller_id"))
            .values(number=sa.bindparam("number")),
            numbers,
        )
    if bind.dialect.name != "sqlite":
        op.alter_column("seller", "number", server_default=None)
    op.create_index(INDEX, "seller", ["team_id", "number"], unique=True)
    _rebuild_category_days()


def downgrade() -> None:
    # Back to one bit per seller row id, as the code before this revision reads the bitmaps.
    op.drop_index(INDEX, table_name="seller")
    op.get_bind().execute(_sellers.update().values(number=_sellers.c.id))
    _rebuild_category_days()
    op.drop_column("seller", "number")


def _rebuild_category_days() -> None:
    from storage.kpis.sums import refresh_category_days, seller_day_spans

    bind = op.get_bind()
    for team_id, first, last in seller_day_spans(bind):
        refresh_category_days(bind, team_id, first, last)
