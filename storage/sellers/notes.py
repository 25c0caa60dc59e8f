"""Seller notes: the record of every contact with a seller and every decision about one.

The same rules as creator notes, kept once in storage.authored: only the author or an admin
edits or deletes a note; an edit keeps the text before it as a revision; a deleted note is
hidden and an admin can restore it for RECOVERABLE_FOR; a follow-up date reminds the author by
DM once (claimed with one conditional UPDATE). Search shares the notes' full-text machinery
(storage.note_search). Every query is filtered by team.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.authored import AuthoredNotes, Revisions, note_of_length, require_author_or_admin
from storage.db import transaction
from storage.errors import N_, Usage, UserError
from storage.note_search import ranked_note_ids, search_words
from storage.sellers.models import (
    SELLER_NOTE_REVISION_TABLE,
    SELLER_NOTE_TABLE,
    SELLER_TABLE,
    SellerNote,
)


class SellerNoteNotFound(UserError):
    def __init__(self, note_id: int) -> None:
        super().__init__(
            N_(
                "There is no seller note {note_id} here: it was deleted (an admin can restore it "
                "for 30 days), or it is in another workspace."
            ),
            [Usage("/seller", "log")],
            note_id=note_id,
        )


@dataclass(frozen=True)
class SellerNoteView:
    id: int
    seller_id: int
    seller_name: str
    author_user_id: str
    text: str
    tags: list[str]
    follow_up_on: date | None
    follow_up_done_at: datetime | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    deleted_by: str | None


@dataclass(frozen=True)
class SellerNotePage:
    notes: list[SellerNoteView]
    offset: int
    has_more: bool


@dataclass(frozen=True)
class SellerNoteDraft:
    team_id: str
    seller_id: int
    author_user_id: str
    text: str
    tags: list[str] = field(default_factory=list)
    follow_up_on: date | None = None
    source_url: str | None = None
    client_key: str | None = None  # the request's: a retry saves nothing twice


_COLUMNS = [
    *(
        SELLER_NOTE_TABLE.c[n]
        for n in SellerNoteView.__dataclass_fields__
        if n in SELLER_NOTE_TABLE.c
    ),
    SELLER_TABLE.c.name.label("seller_name"),
]


def _views(team_id: str) -> Select[Any]:
    return (
        select(*_COLUMNS)
        .join(SELLER_TABLE, SELLER_TABLE.c.id == SELLER_NOTE_TABLE.c.seller_id)
        .where(SELLER_NOTE_TABLE.c.team_id == team_id)
    )


_LIFE: AuthoredNotes[SellerNoteView] = AuthoredNotes(
    table=SELLER_NOTE_TABLE,
    noun="note",
    author=N_("the note's author"),
    author_column="author_user_id",
    not_found=SellerNoteNotFound,
    views=_views,
    to_view=lambda row: SellerNoteView(**row),
    revisions=Revisions(
        table=SELLER_NOTE_REVISION_TABLE,
        record_column="note_id",
        kept=lambda row: {"text": row["text"], "tags": row["tags"]},
        now=lambda note: {"text": note.text, "tags": note.tags},
    ),
)
_live, _fetch, _one = _LIFE.live, _LIFE.fetch, _LIFE.one
# The live note; SellerNoteNotFound when there is none here or it is deleted.
get_seller_note = _LIFE.get
seller_note_history = _LIFE.history  # the live note and its edits, oldest first


def save_seller_note(engine: Engine, draft: SellerNoteDraft, now: datetime) -> SellerNoteView:
    """Save the note; a retry of the same request (client_key) returns the note it saved."""
    note_of_length(draft.text)
    try:
        with transaction(engine) as session:
            if draft.client_key is not None:
                again = _by_key(session, draft.team_id, draft.client_key)
                if again is not None:
                    return again
            note = SellerNote(**draft.__dict__, created_at=now, updated_at=now)
            session.add(note)
            session.flush()
            assert note.id is not None
            return _one(session.connection(), draft.team_id, note.id)
    except IntegrityError:
        # The same request saved concurrently: the other one won; return its note.
        with Session(engine) as session:
            assert draft.client_key is not None
            found = _by_key(session, draft.team_id, draft.client_key)
        if found is None:
            raise
        return found


def _by_key(session: Session, team_id: str, key: str) -> SellerNoteView | None:
    found = _fetch(
        session.connection(), _views(team_id).where(SELLER_NOTE_TABLE.c.client_key == key)
    )
    return found[0] if found else None


def edit_seller_note(
    engine: Engine,
    team_id: str,
    note_id: int,
    *,
    text: str,
    tags: list[str],
    follow_up_on: date | None,
    user_id: str,
    admins: Collection[str],
    now: datetime,
) -> SellerNoteView:
    """Change the note; the text and tags before become a revision."""
    note_of_length(text)
    with transaction(engine) as session:
        connection = session.connection()
        note = _LIFE.for_change(connection, team_id, note_id)
        require_author_or_admin(note.author_user_id, user_id, admins, "edit")
        if (note.text, list(note.tags)) != (text, tags):
            connection.execute(
                SELLER_NOTE_REVISION_TABLE.insert().values(
                    team_id=team_id,
                    note_id=note_id,
                    text=note.text,
                    tags=list(note.tags),
                    edited_by=user_id,
                    edited_at=now,
                )
            )
        values: dict[str, Any] = {"text": text, "tags": tags, "updated_at": now}
        if follow_up_on != note.follow_up_on:
            # A new date is a new follow-up: remind again, and it is not done yet.
            values.update(follow_up_on=follow_up_on, follow_up_reminded_at=None)
            values.update(follow_up_done_at=None)
        _LIFE.change(connection, note, **values)
        return _one(connection, team_id, note_id)


delete_seller_note = _LIFE.delete
restore_seller_note = _LIFE.restore


def seller_log(
    engine: Engine, team_id: str, seller_id: int, limit: int, offset: int = 0
) -> SellerNotePage:
    """A page of the seller's notes, newest first."""
    statement = (
        _live(team_id)
        .where(SELLER_NOTE_TABLE.c.seller_id == seller_id)
        .order_by(SELLER_NOTE_TABLE.c.created_at.desc(), SELLER_NOTE_TABLE.c.id.desc())
    )
    with engine.connect() as connection:
        notes, more = _LIFE.page(connection, statement, limit, offset)
    return SellerNotePage(notes, offset, more)


def search_seller_notes(
    engine: Engine, team_id: str, query: str, limit: int, offset: int = 0
) -> SellerNotePage:
    """Live notes with every word of `query`, best match first."""
    with engine.connect() as connection:
        ids = ranked_note_ids(
            connection, team_id, search_words(query), limit + 1, offset, table="sellernote"
        )
        # The workspace checked on the seller: a condition on the note's team_id would lead
        # SQLite, before it has statistics, to read every note of the team instead of these.
        by_id = (
            select(*_COLUMNS)
            .join(SELLER_TABLE, SELLER_TABLE.c.id == SELLER_NOTE_TABLE.c.seller_id)
            .where(SELLER_NOTE_TABLE.c.id.in_(ids), SELLER_TABLE.c.team_id == team_id)
            .where(SELLER_NOTE_TABLE.c.deleted_at.is_(None))
        )
        found = {n.id: n for n in _fetch(connection, by_id)}
    notes = [found[i] for i in ids if i in found]
    return SellerNotePage(notes[:limit], offset, len(notes) > limit)


def due_seller_follow_ups(
    engine: Engine, team_id: str, author: str, today: date, limit: int
) -> tuple[list[SellerNoteView], int]:
    """The author's open seller-note follow-ups due today or overdue (earliest first, up to
    `limit`) and how many there are in all."""
    due = _live(team_id).where(
        SELLER_NOTE_TABLE.c.author_user_id == author,
        SELLER_NOTE_TABLE.c.follow_up_on <= today,
        SELLER_NOTE_TABLE.c.follow_up_done_at.is_(None),
    )
    counted = select(func.count()).select_from(due.subquery())
    with engine.connect() as connection:
        total = int(connection.execute(counted).scalar_one())
        shown = _fetch(
            connection,
            due.order_by(SELLER_NOTE_TABLE.c.follow_up_on, SELLER_NOTE_TABLE.c.id).limit(limit),
        )
    return shown, total


def due_seller_reminders(
    engine: Engine, team_id: str, today: date, oldest: date
) -> list[SellerNoteView]:
    """Open follow-ups dated `oldest`..`today` whose reminder has not been sent."""
    statement = _live(team_id).where(
        SELLER_NOTE_TABLE.c.follow_up_on <= today,
        SELLER_NOTE_TABLE.c.follow_up_on >= oldest,
        SELLER_NOTE_TABLE.c.follow_up_done_at.is_(None),
        SELLER_NOTE_TABLE.c.follow_up_reminded_at.is_(None),
    )
    with engine.connect() as connection:
        return _fetch(
            connection, statement.order_by(SELLER_NOTE_TABLE.c.follow_up_on, SELLER_NOTE_TABLE.c.id)
        )


claim_seller_reminder = _LIFE.claim_reminder
complete_seller_follow_up = _LIFE.complete_follow_up
purge_deleted_seller_notes = _LIFE.purge
