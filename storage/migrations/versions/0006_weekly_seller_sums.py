"""Seller GMV and orders summed per week, for ranking the sellers of long periods

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The tables as they were at this revision, and only the columns read or written here.
_seller_days = sa.table(
    "dailysellerkpi",
    sa.column("team_id", sa.String()),
    sa.column("day", sa.Date()),
    sa.column("category", sa.String()),
    sa.column("seller_id", sa.Integer()),
    sa.column("gmv_cents", sa.BigInteger()),
    sa.column("orders", sa.Integer()),
)
_seller_weeks = sa.table(
    "weeklysellerkpi",
    sa.column("team_id", sa.String()),
    sa.column("week", sa.Date()),
    sa.column("category", sa.String()),
    sa.column("seller_id", sa.Integer()),
    sa.column("gmv_cents", sa.BigInteger()),
    sa.column("orders", sa.BigInteger()),
)


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
    # Existing seller-days are summed once here; every import keeps the table in step. The
    # statements are the imports' own re-sum as it was at this revision, frozen here so that
    # later changes to the code cannot change what this step does.
    bind = op.get_bind()
    days = _seller_days.c
    spans = sa.select(days.team_id, sa.func.min(days.day), sa.func.max(days.day)).group_by(
        days.team_id
    )
    for team_id, first, last in bind.execute(spans).all():
        _sum_weeks(bind, str(team_id), _as_date(first), _as_date(last))


def _sum_weeks(bind: sa.engine.Connection, team_id: str, first: date, last: date) -> None:
    """Re-sum the per-week seller table for every Monday-to-Sunday week that holds a day of
    first..last."""
    days, weeks = _seller_days.c, _seller_weeks.c
    week = first - timedelta(days=first.weekday())
    while week <= last:
        bind.execute(_seller_weeks.delete().where(weeks.team_id == team_id, weeks.week == week))
        sums = (
            sa.select(
                sa.literal(team_id),
                sa.literal(week, sa.Date),
                days.category,
                days.seller_id,
                sa.func.sum(days.gmv_cents),
                sa.func.sum(days.orders),
            )
            .where(days.team_id == team_id, days.day.between(week, week + timedelta(days=6)))
            .group_by(days.category, days.seller_id)
        )
        target = ["team_id", "week", "category", "seller_id", "gmv_cents", "orders"]
        bind.execute(_seller_weeks.insert().from_select(target, sums))
        week += timedelta(days=7)


def _as_date(value: object) -> date:
    """SQLite hands dates over as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def downgrade() -> None:
    op.drop_table("weeklysellerkpi")
