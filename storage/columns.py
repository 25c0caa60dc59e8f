"""What every table module shares: column helpers, the column mixins of authored records, follow-ups
and revisions, and `table_of`.

Conventions of every table:
- every row that belongs to a Slack workspace carries `team_id`, and every lookup filters on it;
- money is stored exactly, as integer cents (hundredths of the team's currency unit) in BigInteger
  columns named `*_cents`;
- times are timezone-aware and stored in UTC (`utc_now`); calendar days are `date`s in the
  team's time zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Table, inspect
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table a model class maps, typed (SQLModel leaves `__table__` untyped). Each
    table that Core statements use is taken once, as the `<MODEL>_TABLE` constant after its
    class; code handed a model class (leases, deliveries) takes its table with this."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def _money(nullable: bool = False) -> Any:
    return Field(default=None if nullable else 0, sa_type=BigInteger, nullable=nullable)


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class AuthoredColumns(SQLModel):
    """What every record people write carries, whose life cycle storage.authored keeps: its
    workspace, where it came from and the request that made it (a retry saves nothing twice),
    when it was written, and its soft deletion. The author's column is each table's own
    (`author_user_id`, `reviewer_user_id`): the life cycle is told its name; so is
    `updated_at`, set at a note's creation but null until a review is edited. A table that has
    an index on team_id alone declares it by name."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    source_url: str | None = Field(default=None, max_length=500)
    client_key: str | None = Field(
        default=None, max_length=128, description="idempotency key of the request that made it"
    )
    created_at: datetime = Field(default_factory=utc_now)
    deleted_at: datetime | None = None
    deleted_by: str | None = Field(default=None, max_length=32)


class FollowUpColumns(SQLModel):
    """A follow-up date on a record, reminded by DM once and closed once (storage.authored's
    AuthoredNotes)."""

    follow_up_on: date | None = None
    follow_up_done_at: datetime | None = None
    follow_up_reminded_at: datetime | None = Field(
        default=None, description="when the reminder DM was claimed (sent once)"
    )


class NoteColumns(FollowUpColumns, AuthoredColumns):
    """A note (about a creator or a seller): its author, text and tags, and when it last
    changed (its creation until it is edited)."""

    author_user_id: str = Field(max_length=32)
    text: str = Field(max_length=4000)
    tags: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    updated_at: datetime = Field(default_factory=utc_now)


class RevisionColumns(SQLModel):
    """An earlier version of an authored record, kept by an edit: who made the edit and when.
    Each revision table names its record and says what it kept."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    edited_by: str = Field(max_length=32)
    edited_at: datetime = Field(default_factory=utc_now)
