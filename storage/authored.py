"""What people write and may take back: creator notes, seller notes, livestream reviews and
alert rules.

They share one life cycle, kept here once: only the author or an admin changes a record;
deleting hides it everywhere and an admin can restore it for RECOVERABLE_FOR, after which it
is purged for good; a follow-up on a note is closed once, and its reminder is claimed with one
conditional UPDATE so that of two processes exactly one sends it. Each record's own module
(storage.feedback.notes, storage.sellers.notes, storage.reviews.records, storage.alerts.rules)
says what its records look like and how they are edited.

One rule for reading them, whatever the kind: a reader (`get`, the lists, search, reports, a
record's history) sees live records only, and a deleted record answers to a reader exactly as
to a change: not found, saying who deleted it and how to bring it back where the kind says so.
Only the restorer sees deleted records: the list of those still restorable (`recently_deleted`,
for admins) and `restore` itself, within RECOVERABLE_FOR; after that nobody does (`purge`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, Protocol, TypedDict, TypeVar

from sqlalchemy import RowMapping, Select, Table, select, update
from sqlalchemy.engine import Connection, Engine

from storage.db import transaction
from storage.errors import N_, AdminsOnly, Number, Sentence, UsageLine, UserError

RECOVERABLE_FOR = timedelta(days=30)
# The most a note (creator or seller) holds: what Slack's text input takes at most, so a note
# can always be edited in its form. The column is wider (4,000) for notes from before.
MAX_NOTE = 3000


class AuthoredView(Protocol):
    """What every view of an authored record shows: its id and its deletion."""

    @property
    def id(self) -> int | None: ...

    @property
    def deleted_at(self) -> datetime | None: ...

    @property
    def deleted_by(self) -> str | None: ...


View = TypeVar("View", bound=AuthoredView)


@dataclass(frozen=True)
class Edit:
    """One edit of a record: who made it, when, and each field it changed as (field, before,
    after), in the order the kind keeps its fields."""

    edited_by: str  # a Slack user ID; "" when the kind did not record one (an import run alone)
    edited_at: datetime
    changes: tuple[tuple[str, Any, Any], ...]
    source: str = ""  # what the edit came through, when the kind records it (`import`)
    why: str = ""  # the reason given for it, where the kind asks for one


@dataclass(frozen=True)
class Revisions(Generic[View]):
    """Where a kind keeps its records' earlier versions (one row an edit, in `table`, naming
    the record in `record_column`), and the fields a version has: `kept(row)` of a revision,
    `now(view)` of the record as it is."""

    table: Table
    record_column: str
    kept: Callable[[RowMapping], dict[str, Any]]
    now: Callable[[View], dict[str, Any]]

    def edits(self, connection: Connection, team_id: str, record: View) -> list[Edit]:
        """The record's edits, oldest first: each from the version it kept to the next one
        (the last to the record as it is now)."""
        table = self.table
        rows = connection.execute(
            select(table)
            .where(table.c.team_id == team_id, table.c[self.record_column] == record.id)
            .order_by(table.c.id)
        ).mappings()
        found = list(rows)
        versions = [self.kept(row) for row in found] + [self.now(record)]
        return [
            Edit(row["edited_by"], _aware(row["edited_at"]), _changes(before, after))
            for row, before, after in zip(found, versions, versions[1:], strict=False)
        ]


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    """The fields both versions have whose values differ (older versions may lack a field
    added since: it is not shown as changed)."""
    return tuple(
        (name, before[name], after[name])
        for name in after
        if name in before and before[name] != after[name]
    )


class ChangedBy(TypedDict):
    """Who changes a record and when, as every change here takes it (`**changed_by`)."""

    user_id: str
    admins: Collection[str]
    now: datetime


def note_of_length(text: str, usage: UsageLine | None = None) -> str:
    """`text`, when a note may hold it; otherwise a UserError that says by how much it is over
    (a note is never cut short silently)."""
    if len(text) > MAX_NOTE:
        raise UserError(
            N_(
                "Notes are limited to {limit} characters; this one has {length}. "
                "Shorten it or split it into two notes."
            ),
            [usage] if usage else [],
            limit=Number(MAX_NOTE),
            length=Number(len(text)),
        )
    return text


def require_author_or_admin(
    author_user_id: str,
    user_id: str,
    admins: Collection[str],
    verb: str,
    author: str = N_("the note's author"),
) -> None:
    """AdminsOnly unless `user_id` wrote the record or is an admin; `verb` says what was
    tried, `author` who else may."""
    if author_user_id != user_id and user_id not in admins:
        action = ACTIONS.get(verb) or Sentence("{verb} it", {"verb": verb})
        besides = Sentence(
            "{author} (<@{user}>)", {"author": Sentence(author), "user": author_user_id}
        )
        raise AdminsOnly(action, admins, besides=besides)


ACTIONS = {
    "edit": N_("edit it"),
    "delete": N_("delete it"),
    "remove": N_("remove it"),
    "mute": N_("mute it"),
    "close the follow-up of": N_("close the follow-up of it"),
}
"""What only the author or an admin may do to a record, by the verb its caller names."""
RESTORES = {
    ("delete", "note"): N_("restore a deleted note"),
    ("delete", "review"): N_("restore a deleted review"),
    ("remove", "alert"): N_("restore a removed alert"),
}
"""What only admins may do to a deleted record, by its removal and noun."""


@dataclass(frozen=True)
class Authored(Generic[View]):
    """The life cycle of one kind of record, kept in `table` (which has `id`, `team_id`,
    `deleted_at`, `deleted_by` and the author's user ID in `author_column`). A record is named
    by `key_column`, unique within a workspace: its id, or the number people type (alerts).
    `views(team_id)` selects the workspace's records, deleted or not, as `to_view` reads them."""

    table: Table
    noun: str  # "note", "review": in "restore a deleted note"
    author: str  # who besides an admin may change one: "the note's author"
    author_column: str
    not_found: Callable[[int], UserError]
    views: Callable[[str], Select[Any]]
    to_view: Callable[[RowMapping], View]
    # what to answer for a deleted record, given who deleted it; not_found when not given
    deleted: Callable[[int, str | None], UserError] | None = None
    key_column: str = "id"
    removal: str = "delete"  # the word people use for it: "delete", "remove" (alerts)
    revisions: Revisions[View] | None = None  # where edits keep earlier versions, if they do

    # ---- reading: the one rule (see the module's docstring) -------------------------------

    def live(self, team_id: str) -> Select[Any]:
        """The workspace's live records, as views: what every reader starts from."""
        return self.views(team_id).where(self.table.c.deleted_at.is_(None))

    def fetch(self, connection: Connection, statement: Select[Any]) -> list[View]:
        return [self.to_view(row) for row in connection.execute(statement).mappings()]

    def page(
        self, connection: Connection, statement: Select[Any], limit: int, offset: int
    ) -> tuple[list[View], bool]:
        """Up to `limit` views from `offset` on, and whether more follow."""
        found = self.fetch(connection, statement.limit(limit + 1).offset(offset))
        return found[:limit], len(found) > limit

    def one(self, connection: Connection, team_id: str, key: int) -> View:
        """The record, deleted or not, as whoever just deleted or restored it sees it;
        not_found when the workspace has none. Readers use `get`."""
        statement = self.views(team_id).where(self.table.c[self.key_column] == key)
        found = self.fetch(connection, statement)
        if not found:
            raise self.not_found(key)
        return found[0]

    def visible(self, connection: Connection, team_id: str, key: int) -> View:
        """`get` within the caller's connection."""
        record = self.one(connection, team_id, key)
        if record.deleted_at is not None:
            raise self._gone(key, record.deleted_by)
        return record

    def get(self, engine: Engine, team_id: str, key: int) -> View:
        """The live record, as a reader sees it; not_found (or `deleted`) when the workspace
        has no such record or it is deleted."""
        with engine.connect() as connection:
            return self.visible(connection, team_id, key)

    def history(self, engine: Engine, team_id: str, key: int) -> tuple[View, list[Edit]]:
        """The record as a reader sees it (`get`: live, this workspace's) and its edits,
        oldest first: a reader of the record may read how it came to be."""
        assert self.revisions is not None, f"edits of a {self.noun} keep no earlier versions"
        with engine.connect() as connection:
            record = self.visible(connection, team_id, key)
            return record, self.revisions.edits(connection, team_id, record)

    def recently_deleted(self, team_id: str, now: datetime) -> Select[Any]:
        """The records an admin can still restore, latest deletion first: the restorer's
        list, the one read that shows deleted records."""
        table = self.table
        return (
            self.views(team_id)
            .where(table.c.deleted_at >= now - RECOVERABLE_FOR)
            .order_by(table.c.deleted_at.desc(), table.c.id.desc())
        )

    def _gone(self, key: int, deleted_by: str | None) -> UserError:
        return self.deleted(key, deleted_by) if self.deleted is not None else self.not_found(key)

    def for_change(self, connection: Connection, team_id: str, record_id: int) -> Any:
        """The record's row, locked until the transaction ends; refused as `get` refuses a
        record that is not this team's or is deleted."""
        row = self._locked(connection, team_id, record_id)
        if row is None:
            raise self.not_found(record_id)
        if row.deleted_at is not None:
            raise self._gone(record_id, row.deleted_by)
        return row

    def _locked(self, connection: Connection, team_id: str, record_id: int) -> Any:
        table = self.table
        return connection.execute(
            select(table)
            .where(table.c[self.key_column] == record_id, table.c.team_id == team_id)
            .with_for_update()
        ).first()

    def require_author_or_admin(
        self, row: Any, user_id: str, admins: Collection[str], verb: str
    ) -> None:
        require_author_or_admin(
            row._mapping[self.author_column], user_id, admins, verb, self.author
        )

    def change(self, connection: Connection, row: Any, **values: Any) -> None:
        """Change the locked `row`'s columns."""
        connection.execute(update(self.table).where(self.table.c.id == row.id).values(values))

    def delete(
        self,
        engine: Engine,
        team_id: str,
        record_id: int,
        *,
        user_id: str,
        admins: Collection[str],
        now: datetime,
    ) -> View:
        """Soft delete: hidden everywhere, restorable by an admin for RECOVERABLE_FOR."""
        with transaction(engine) as session:
            connection = session.connection()
            row = self.for_change(connection, team_id, record_id)
            self.require_author_or_admin(row, user_id, admins, self.removal)
            self.change(connection, row, deleted_at=now, deleted_by=user_id)
            return self.one(connection, team_id, record_id)

    def restore(
        self,
        engine: Engine,
        team_id: str,
        record_id: int,
        *,
        user_id: str,
        admins: Collection[str],
        now: datetime,
    ) -> View:
        """Bring a deleted record back (an admin, within RECOVERABLE_FOR); restoring one that
        is not deleted changes nothing."""
        with transaction(engine) as session:
            return self.restore_in(
                session.connection(), team_id, record_id, user_id=user_id, admins=admins, now=now
            )

    def restore_in(
        self,
        connection: Connection,
        team_id: str,
        record_id: int,
        *,
        user_id: str,
        admins: Collection[str],
        now: datetime,
        allowed: Callable[[Any], None] | None = None,
    ) -> View:
        """`restore` within the caller's transaction; `allowed(row)` may refuse (raise) the
        restore of a deleted record, after the admin and 30-day checks, before it is made."""
        row = self._locked(connection, team_id, record_id)
        if row is None:
            raise self.not_found(record_id)
        if user_id not in admins:
            restore = RESTORES.get((self.removal, self.noun))
            raise AdminsOnly(restore or f"restore a {self.removal}d {self.noun}", admins)
        if row.deleted_at is not None:
            if _aware(row.deleted_at) < now - RECOVERABLE_FOR:
                raise self.not_found(record_id)
            if allowed is not None:
                allowed(row)
            self.change(connection, row, deleted_at=None, deleted_by=None)
        return self.one(connection, team_id, record_id)

    def purge(self, engine: Engine, team_id: str, now: datetime) -> int:
        """Remove for good the workspace's records deleted longer ago than RECOVERABLE_FOR;
        how many."""
        statement = self.table.delete().where(
            self.table.c.team_id == team_id, self.table.c.deleted_at < now - RECOVERABLE_FOR
        )
        with transaction(engine) as session:
            return int(getattr(session.execute(statement), "rowcount", 0) or 0)


@dataclass(frozen=True)
class AuthoredNotes(Authored[View]):
    """Notes, which besides the life cycle carry a follow-up date: their tables have
    `follow_up_done_at` and `follow_up_reminded_at` (reviews do not)."""

    def complete_follow_up(
        self,
        engine: Engine,
        team_id: str,
        record_id: int,
        *,
        user_id: str,
        admins: Collection[str],
        now: datetime,
    ) -> View:
        """Mark the follow-up done (again is harmless); only its author or an admin may."""
        with transaction(engine) as session:
            connection = session.connection()
            row = self.for_change(connection, team_id, record_id)
            self.require_author_or_admin(row, user_id, admins, "close the follow-up of")
            if row.follow_up_done_at is None:
                self.change(connection, row, follow_up_done_at=now)
            return self.one(connection, team_id, record_id)

    def claim_reminder(self, engine: Engine, record_id: int, now: datetime) -> bool:
        """Mark the reminder as being sent; False when another process (or run) claimed it
        first, or the follow-up is done or the note deleted meanwhile. One conditional
        UPDATE: of two concurrent claims the database lets exactly one match."""
        table = self.table
        statement = (
            update(table)
            .where(
                table.c.id == record_id,
                table.c.follow_up_reminded_at.is_(None),
                table.c.follow_up_done_at.is_(None),
                table.c.deleted_at.is_(None),
            )
            .values(follow_up_reminded_at=now)
        )
        with transaction(engine) as session:
            return bool(getattr(session.execute(statement), "rowcount", 0))


def _aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC time, however the database handed it back."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
