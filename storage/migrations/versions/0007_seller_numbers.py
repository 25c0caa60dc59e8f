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
from datetime import date, timedelta
from typing import Any

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

# The per-day-and-category sums as this revision built them, frozen here so that later changes
# to the import code cannot change what this step does: the figures summed in SQL, then the
# bitmaps of each day and category's sellers (and of those active in each program) set from
# the seller-days by the sellers' numbers, 31 days at a time.
FIGURES = (
    "gmv_cents",
    "orders",
    "items_sold",
    "buyers",
    "live_sessions",
    "live_minutes",
    "live_views",
    "live_likes",
    "live_comments",
    "live_shares",
    "live_gmv_cents",
    "video_gmv_cents",
    "affiliate_gmv_cents",
    "new_followers",
)
# The programs a seller adopts, by the figure that shows activity in it: a `<program>_bits`
# bitmap each.
PROGRAMS = {"live": "live_sessions", "affiliate": "affiliate_gmv_cents", "video": "video_gmv_cents"}
DAYS_AT_A_TIME = 31
BITMAPS = ("seller_bits", *(f"{program}_bits" for program in PROGRAMS))

_seller_days = sa.table(
    "dailysellerkpi",
    sa.column("team_id", sa.String()),
    sa.column("day", sa.Date()),
    sa.column("category", sa.String()),
    sa.column("seller_id", sa.Integer()),
    *(sa.column(figure, sa.BigInteger()) for figure in FIGURES),
)
_category_days = sa.table(
    "dailycategorykpi",
    sa.column("team_id", sa.String()),
    sa.column("day", sa.Date()),
    sa.column("category", sa.String()),
    *(sa.column(figure, sa.BigInteger()) for figure in FIGURES),
    *(sa.column(bitmap, sa.LargeBinary()) for bitmap in BITMAPS),
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
    """Re-sum every workspace's per-day-and-category table from its seller-days."""
    bind = op.get_bind()
    days = _seller_days.c
    spans = sa.select(days.team_id, sa.func.min(days.day), sa.func.max(days.day)).group_by(
        days.team_id
    )
    for team_id, first, last in bind.execute(spans).all():
        numbers = _seller_numbers(bind, str(team_id))
        start, end_of_all = _as_date(first), _as_date(last)
        while start <= end_of_all:
            end = min(end_of_all, start + timedelta(days=DAYS_AT_A_TIME - 1))
            _sum_days(bind, str(team_id), start, end, numbers)
            start = end + timedelta(days=1)


def _seller_numbers(bind: sa.engine.Connection, team_id: str) -> dict[int, int]:
    """Seller row id → the seller's number in the workspace (its bit in the bitmaps)."""
    found = sa.select(_sellers.c.id, _sellers.c.number).where(_sellers.c.team_id == team_id)
    return {int(seller_id): int(number) for seller_id, number in bind.execute(found).all()}


def _sum_days(
    bind: sa.engine.Connection, team_id: str, first: date, last: date, numbers: dict[int, int]
) -> None:
    days, sums = _seller_days.c, _category_days.c
    bind.execute(
        _category_days.delete().where(sums.team_id == team_id, sums.day.between(first, last))
    )
    in_days = (days.team_id == team_id, days.day.between(first, last))
    summed = (
        sa.select(
            days.team_id,
            days.day,
            days.category,
            *(sa.func.sum(days[figure]) for figure in FIGURES),
            *(sa.literal(b"", sa.LargeBinary) for _ in BITMAPS),
        )
        .where(*in_days)
        .group_by(days.team_id, days.day, days.category)
    )
    target = ["team_id", "day", "category", *FIGURES, *BITMAPS]
    bind.execute(_category_days.insert().from_select(target, summed))
    flags = sa.select(
        days.day,
        days.category,
        days.seller_id,
        *(days[figure] > 0 for figure in PROGRAMS.values()),
    ).where(*in_days)
    members: dict[tuple[Any, str], list[list[int]]] = {}  # per bitmap, the numbers in it
    for day, category, seller_id, *active in bind.execute(flags).all():
        if seller_id not in numbers:
            raise ValueError(f"seller-days of sellers that workspace {team_id} does not have")
        number = numbers[seller_id]
        group = members.setdefault((_as_date(day), category), [[] for _ in BITMAPS])
        for bitmap, member in zip(group, (True, *active), strict=True):
            if member:
                bitmap.append(number)
    if not members:
        return
    # Every bitmap of these days is as wide as their largest seller number.
    width = max(max(group[0]) for group in members.values()) + 1
    updates = [
        {
            "t": team_id,
            "d": day,
            "c": category,
            **{name: _bitmap(found, width) for name, found in zip(BITMAPS, group, strict=True)},
        }
        for (day, category), group in members.items()
    ]
    bind.execute(
        _category_days.update().where(
            sums.team_id == sa.bindparam("t"),
            sums.day == sa.bindparam("d"),
            sums.category == sa.bindparam("c"),
        ),
        updates,
    )


def _bitmap(numbers: list[int], width: int) -> bytes:
    """Bit i set for every seller number i, in `width` bits (little-endian bytes); no bytes at
    all for no sellers."""
    if not numbers:
        return b""
    bits = bytearray((width + 7) // 8)
    for number in numbers:
        bits[number // 8] |= 1 << (number % 8)
    return bytes(bits)


def _as_date(value: object) -> date:
    """SQLite hands dates over as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
