"""Each seller's GMV and orders per day and category, for ranking the sellers of any window

Top sellers and movers add these up instead of reading every seller-day of a window (or every
seller's weeks of a long one).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import struct
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The per-day-and-category sums and seller arrays as this revision built them, frozen here so
# that later changes to the import code cannot change what this step does: the figures summed
# in SQL, then the bitmaps of each day and category's sellers (and of those active in each
# program) and their arrays of seller numbers, GMV and orders, from the seller-days by the
# sellers' numbers, 31 days at a time.
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
_seller_arrays = sa.table(
    "dailycategorysellers",
    sa.column("team_id", sa.String()),
    sa.column("day", sa.Date()),
    sa.column("category", sa.String()),
    sa.column("sellers", sa.LargeBinary()),
    sa.column("gmv_cents", sa.LargeBinary()),
    sa.column("orders", sa.LargeBinary()),
)
_sellers = sa.table(
    "seller",
    sa.column("id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("number", sa.Integer()),
)


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
    # Existing seller-days are summed once here (the per-day-and-category sums again with
    # them, as every re-sum of this revision did); every import keeps the table in step.
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


def downgrade() -> None:
    op.drop_table("dailycategorysellers")


def _seller_numbers(bind: sa.engine.Connection, team_id: str) -> dict[int, int]:
    """Seller row id → the seller's number in the workspace (its bit in the bitmaps)."""
    found = sa.select(_sellers.c.id, _sellers.c.number).where(_sellers.c.team_id == team_id)
    return {int(seller_id): int(number) for seller_id, number in bind.execute(found).all()}


def _sum_days(
    bind: sa.engine.Connection, team_id: str, first: date, last: date, numbers: dict[int, int]
) -> None:
    days, sums = _seller_days.c, _category_days.c
    for table in (_category_days, _seller_arrays):
        bind.execute(
            table.delete().where(table.c.team_id == team_id, table.c.day.between(first, last))
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
        days.gmv_cents,
        days.orders,
        *(days[figure] > 0 for figure in PROGRAMS.values()),
    ).where(*in_days)
    members: dict[tuple[Any, str], list[list[int]]] = {}  # per bitmap, the numbers in it
    figures: dict[tuple[Any, str], list[tuple[int, int, int]]] = {}  # (number, GMV, orders)
    for day, category, seller_id, gmv, orders, *active in bind.execute(flags).all():
        if seller_id not in numbers:
            raise ValueError(f"seller-days of sellers that workspace {team_id} does not have")
        number, key = numbers[seller_id], (_as_date(day), category)
        group = members.setdefault(key, [[] for _ in BITMAPS])
        for bitmap, member in zip(group, (True, *active), strict=True):
            if member:
                bitmap.append(number)
        figures.setdefault(key, []).append((number, int(gmv), int(orders)))
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
    bind.execute(
        _seller_arrays.insert(),
        [
            {"team_id": team_id, "day": day, "category": category, **_arrays(found)}
            for (day, category), found in figures.items()
        ],
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


def _arrays(figures: list[tuple[int, int, int]]) -> dict[str, bytes]:
    """The sellers' numbers, ascending, and their GMV and orders in the same order, as arrays
    of little-endian 32-bit and 64-bit integers."""
    ascending = sorted(figures, key=lambda found: found[0])
    count = len(ascending)
    numbers, gmv, orders = zip(*ascending, strict=True)
    return {
        "sellers": struct.pack(f"<{count}i", *numbers),
        "gmv_cents": struct.pack(f"<{count}q", *gmv),
        "orders": struct.pack(f"<{count}q", *orders),
    }


def _as_date(value: object) -> date:
    """SQLite hands dates over as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
