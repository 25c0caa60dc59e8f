"""The KPI tables: seller-days, and the sum tables every import keeps in step with them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.columns import _money, table_of, utc_now


class KpiFigures(SQLModel):
    """The figures of a seller-day, which the sum tables add up: declared once here for both
    tables, and listed for the code in `FIGURE_COLUMNS`. Money is in cents (`*_cents`)."""

    gmv_cents: int = _money()
    orders: int = 0
    items_sold: int = 0
    buyers: int = 0
    live_sessions: int = 0
    live_minutes: int = 0
    live_views: int = Field(default=0, sa_type=BigInteger)
    live_likes: int = Field(default=0, sa_type=BigInteger)
    live_comments: int = 0
    live_shares: int = 0
    live_gmv_cents: int = _money()
    video_gmv_cents: int = _money()
    affiliate_gmv_cents: int = _money()
    new_followers: int = 0


FIGURE_COLUMNS: tuple[str, ...] = tuple(KpiFigures.model_fields)


COUNT_COLUMNS = tuple(c for c in FIGURE_COLUMNS if not c.endswith("_cents"))


class DailySellerKpi(KpiFigures, table=True):
    """One seller's figures for one day (team KPI sheet columns; orders aggregate to this).

    Keyed day first, so that each imported day's rows are appended to the end of the unique
    index, which also serves day-range scans. `seller_id` and `import_batch_id` are
    deliberately not foreign keys: a check per row cost more than half of a large import, every
    importer finds or creates its sellers before it writes their days, and sellers and batches
    are never deleted.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "day", "seller_id", name="uq_kpi_team_day_seller"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    seller_id: int  # Seller.id
    day: date
    category: str = Field(max_length=100)
    import_batch_id: int | None = None  # the ImportBatch that last wrote the row
    updated_at: datetime = Field(default_factory=utc_now)


DAILY_SELLER_KPI_TABLE = table_of(DailySellerKpi)


class DailyCategoryKpi(KpiFigures, table=True):
    """Seller-day figures summed per day and category, kept in step with DailySellerKpi by
    every import: a snapshot reads a few dozen of these instead of thousands of seller-days.

    The `*_bits` columns are bitmaps of the sellers with figures that day, and of those active
    in LIVE, affiliate and video, by their number in the workspace (bit i = the seller whose
    Seller.number is i): OR-ing them over a window counts distinct sellers (for seller
    adoption) without reading seller-days.
    """

    team_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    category: str = Field(primary_key=True, max_length=100)
    seller_bits: bytes = Field(default=b"", sa_type=LargeBinary)
    live_bits: bytes = Field(default=b"", sa_type=LargeBinary)
    affiliate_bits: bytes = Field(default=b"", sa_type=LargeBinary)
    video_bits: bytes = Field(default=b"", sa_type=LargeBinary)


DAILY_CATEGORY_KPI_TABLE = table_of(DailyCategoryKpi)


# A day's sums over thousands of sellers outgrow the 32-bit counts of one seller-day: every
# figure of the sum table is a BigInteger (set before the table is first used).
for _figure in FIGURE_COLUMNS:
    DAILY_CATEGORY_KPI_TABLE.c[_figure].type = BigInteger()


class DailyCategorySellers(SQLModel, table=True):
    """Each seller's GMV and orders per day and category, kept in step with DailySellerKpi by
    every import: ranking the sellers of a window (top sellers, movers) adds up a few dozen of
    these instead of reading thousands of seller-days.

    Three arrays of the same length, little-endian: `sellers`, the numbers (Seller.number) of
    the sellers with figures that day, ascending (int32), and their `gmv_cents` and `orders`
    (int64).
    """

    team_id: str = Field(primary_key=True, max_length=32)
    day: date = Field(primary_key=True)
    category: str = Field(primary_key=True, max_length=100)
    sellers: bytes = Field(default=b"", sa_type=LargeBinary)
    gmv_cents: bytes = Field(default=b"", sa_type=LargeBinary)
    orders: bytes = Field(default=b"", sa_type=LargeBinary)


DAILY_CATEGORY_SELLERS_TABLE = table_of(DailyCategorySellers)


class WeeklySellerKpi(SQLModel, table=True):
    """A seller's GMV and orders per week (Monday to Sunday) and category, kept in step with
    DailySellerKpi by every import: the categories a seller has figures in are read from a
    few of these rather than from every seller-day (ranking sellers reads
    DailyCategorySellers)."""

    __table_args__ = (
        # Carries what the sellers' recent AOV adds up, so that read needs no row of the table.
        Index("ix_weekly_seller_sums", "team_id", "week", "seller_id", "gmv_cents", "orders"),
    )

    team_id: str = Field(primary_key=True, max_length=32)
    week: date = Field(primary_key=True)  # its Monday
    category: str = Field(primary_key=True, max_length=100)
    seller_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    gmv_cents: int = _money()
    orders: int = Field(default=0, sa_type=BigInteger)


WEEKLY_SELLER_KPI_TABLE = table_of(WeeklySellerKpi)
