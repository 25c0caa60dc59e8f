"""The seller tables: the registry (numbered per workspace, keyed by name), each change to a
profile, and seller notes with their revisions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from storage.columns import NoteColumns, RevisionColumns, _json_list, table_of, utc_now
from storage.names import match_key


class SellerStatus(StrEnum):
    """Where a seller stands with the team; `inactive` is the one word older imports knew."""

    PROSPECT = "prospect"
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    CHURNED = "churned"
    INACTIVE = "inactive"


class SellerProgram(StrEnum):
    """The TikTok Shop programs a seller can join."""

    LIVE = "live"
    AFFILIATE = "affiliate"
    VIDEO = "video"
    CAMPAIGNS = "campaigns"


class Seller(SQLModel, table=True):
    """A TikTok Shop seller the team manages."""

    __table_args__ = (
        UniqueConstraint("team_id", "seller_key"),
        Index("ix_seller_team_name_key", "team_id", "name_key"),
        Index("ix_seller_team_number", "team_id", "number", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    # The seller's bit in the seller bitmaps of DailyCategoryKpi: 0, 1, 2… within its workspace,
    # so that a workspace's bitmaps are as long as it has sellers, whatever other workspaces
    # have. Bulk inserts give it with next_seller_number; a seller added to a session gets it
    # when the session flushes.
    number: int | None = Field(default=None, nullable=False)
    seller_key: str = Field(max_length=64, description="the seller's ID in TikTok Shop")
    name: str = Field(max_length=200)
    name_key: str = Field(default="", max_length=200, description="match_key(name), kept on write")
    category: str = Field(max_length=100, description="the primary category")
    categories: list[str] = _json_list()
    market: str = Field(default="", max_length=8)
    owner_user_id: str | None = Field(default=None, max_length=32)
    status: str = Field(default=SellerStatus.ACTIVE, max_length=16)
    store_url: str | None = Field(default=None, max_length=500)
    tier: str = Field(default="", max_length=16)
    programs: list[str] = _json_list()
    tags: list[str] = _json_list()
    # [{"name": …, "role": …, "reach": …}]: the people at the seller and how to reach them.
    contacts: list[dict[str, str]] = _json_list()
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


SELLER_TABLE = table_of(Seller)


class SellerChange(SQLModel, table=True):
    """One change to a seller's profile: who made it, when, and each field's old and new value
    (`changes`: field → [old, new])."""

    __table_args__ = (Index("ix_seller_change_seller", "team_id", "seller_id", "changed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")
    changed_by: str = Field(max_length=32, description="a Slack user ID, or `import`")
    source: str = Field(default="form", max_length=16, description="form or import")
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changed_at: datetime = Field(default_factory=utc_now)


class SellerNote(NoteColumns, table=True):
    """A record of a contact with a seller, or a decision about one.

    Full-text search runs on an index the models do not declare (SQLite FTS5 table
    `sellernote_fts`, PostgreSQL column `search_vector`): see storage.note_search.
    """

    __table_args__ = (
        UniqueConstraint("team_id", "client_key", name="uq_sellernote_client_key"),
        # deleted_at too: the latest contact of every seller is read from this index alone.
        Index("ix_sellernote_seller_created", "team_id", "seller_id", "created_at", "deleted_at"),
        Index("ix_sellernote_follow_up", "team_id", "follow_up_on"),
        # Covering for the sellers contacted lately (seller_id, deleted_at read from it).
        Index("ix_sellernote_team_created", "team_id", "created_at", "seller_id", "deleted_at"),
    )

    seller_id: int = Field(foreign_key="seller.id", ondelete="CASCADE")


SELLER_NOTE_TABLE = table_of(SellerNote)


class SellerNoteRevision(RevisionColumns, table=True):
    """The text and tags of a seller note before an edit."""

    note_id: int = Field(foreign_key="sellernote.id", ondelete="CASCADE", index=True)
    text: str = Field(max_length=4000)
    tags: list[str] = _json_list()


SELLER_NOTE_REVISION_TABLE = table_of(SellerNoteRevision)


def next_seller_number(connection: Connection, team_id: str) -> int:
    """The number the workspace's next new seller gets (see Seller.number)."""
    table = SELLER_TABLE
    statement = select(func.coalesce(func.max(table.c.number) + 1, 0)).where(
        table.c.team_id == team_id
    )
    return int(connection.execute(statement).scalar_one())


@event.listens_for(OrmSession, "before_flush")
def _number_new_sellers(session: OrmSession, _flush: Any, _instances: Any) -> None:
    """Sellers added to a session without a number get the next ones of their workspace."""
    upcoming: dict[str, int] = {}
    for seller in session.new:
        if isinstance(seller, Seller) and seller.number is None:
            if seller.team_id not in upcoming:
                upcoming[seller.team_id] = next_seller_number(session.connection(), seller.team_id)
            seller.number = upcoming[seller.team_id]
            upcoming[seller.team_id] += 1


@event.listens_for(Seller, "before_insert")
@event.listens_for(Seller, "before_update")
def _key_seller_name(_mapper: Any, _connection: Any, seller: Seller) -> None:
    """Every ORM write keeps the seller's match key; bulk inserts set it themselves."""
    seller.name_key = match_key(seller.name)
