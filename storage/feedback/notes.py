"""Feedback notes: saving, finding, editing, deleting and restoring, follow-ups.

Every query is filtered by team. Writes run in one transaction, so a note is never half-saved
(a prospect creator added for it is rolled back with it). Reads return `NoteView`s: a note with
its creator's handle and name, detached from any session.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.authored import (
    AuthoredNotes,
    Revisions,
    note_of_length,
    require_author_or_admin,
)
from storage.creators.models import CREATOR_TABLE, Creator
from storage.creators.registry import creator_by_handle, ensure_creator
from storage.db import transaction
from storage.errors import N_, UserError
from storage.feedback.models import FEEDBACK_NOTE_REVISION_TABLE, FEEDBACK_NOTE_TABLE, FeedbackNote
from storage.note_search import ranked_note_ids, search_words

SAVE_ATTEMPTS = 3
_EDITED = ("text", "topic", "sentiment", "tags")  # what a revision keeps of the note


class NoteNotFound(UserError):
    """No such note in this workspace (or it is deleted, for changes other than restore)."""

    def __init__(self, note_id: int) -> None:
        super().__init__(
            N_(
                "There is no note {note_id} here: it was deleted (an admin can restore it for 30 "
                "days), or it is in another workspace."
            ),
            ["/feedback mine", "/feedback deleted"],
            note_id=note_id,
        )
        self.note_id = note_id


@dataclass(frozen=True)
class NoteView:
    id: int
    creator_id: int
    handle: str
    creator_name: str
    author_user_id: str
    text: str
    topic: str
    sentiment: str
    tags: list[str]
    follow_up_on: date | None
    follow_up_done_at: datetime | None
    source_url: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    deleted_by: str | None


@dataclass(frozen=True)
class NotePage:
    """One page of a longer result: the notes, where it starts, and whether more follow."""

    notes: list[NoteView]
    offset: int
    has_more: bool


@dataclass(frozen=True)
class NoteDraft:
    """A new note, from a quick note or the form; `client_key` makes a retry a no-op."""

    team_id: str
    author_user_id: str
    handle: str
    text: str
    topic: str
    sentiment: str
    tags: list[str] = field(default_factory=list)
    follow_up_on: date | None = None
    source_url: str | None = None
    client_key: str | None = None


@dataclass(frozen=True)
class NoteChanges:
    text: str
    topic: str
    sentiment: str
    tags: list[str]
    follow_up_on: date | None


@dataclass(frozen=True)
class SavedNote:
    note: NoteView
    created: bool  # False: this request (client_key) was saved before; nothing was added
    new_creator: bool  # the handle was not in the registry and was added as a prospect


_VIEW_COLUMNS = [
    *(
        FEEDBACK_NOTE_TABLE.c[name]
        for name in NoteView.__dataclass_fields__
        if name in FEEDBACK_NOTE_TABLE.c
    ),
    CREATOR_TABLE.c.handle,
    CREATOR_TABLE.c.display_name.label("creator_name"),
]


def _views(team_id: str) -> Select[Any]:
    return (
        select(*_VIEW_COLUMNS)
        .join(CREATOR_TABLE, CREATOR_TABLE.c.id == FEEDBACK_NOTE_TABLE.c.creator_id)
        .where(FEEDBACK_NOTE_TABLE.c.team_id == team_id)
    )


_LIFE: AuthoredNotes[NoteView] = AuthoredNotes(
    table=FEEDBACK_NOTE_TABLE,
    noun="note",
    author=N_("the note's author"),
    author_column="author_user_id",
    not_found=NoteNotFound,
    views=_views,
    to_view=lambda row: NoteView(**row),
    revisions=Revisions(
        table=FEEDBACK_NOTE_REVISION_TABLE,
        record_column="note_id",
        kept=lambda row: {name: row[name] for name in _EDITED},
        now=lambda note: {name: getattr(note, name) for name in _EDITED},
    ),
)
_live, _fetch, _one = _LIFE.live, _LIFE.fetch, _LIFE.one
get_note = _LIFE.get  # the live note; NoteNotFound when there is none here or it is deleted
note_history = _LIFE.history  # the live note and its edits, oldest first


def _page(connection: Connection, statement: Select[Any], limit: int, offset: int) -> NotePage:
    notes, more = _LIFE.page(connection, statement, limit, offset)
    return NotePage(notes, offset, more)


def _newest_first(statement: Select[Any]) -> Select[Any]:
    return statement.order_by(
        FEEDBACK_NOTE_TABLE.c.created_at.desc(), FEEDBACK_NOTE_TABLE.c.id.desc()
    )


# ---- saving -------------------------------------------------------------------------------


def save_note(engine: Engine, draft: NoteDraft, now: datetime) -> SavedNote:
    """Store a note (adding an unknown handle as a prospect), or return the one already saved
    under the same `client_key`. One transaction: a failure keeps neither note nor creator."""
    [saved] = save_notes(engine, [draft], now)
    return saved


def save_notes(engine: Engine, drafts: Sequence[NoteDraft], now: datetime) -> list[SavedNote]:
    """Store several notes (one per creator of a quick note) all together or not at all,
    each as `save_note` stores one.

    A concurrent save of the same request (or a new handle added at the same moment) loses on
    a unique constraint; the whole transaction is then tried again and finds the winner's rows.
    """
    for attempt in range(1, SAVE_ATTEMPTS + 1):
        try:
            return _save_once(engine, drafts, now)
        except IntegrityError:
            if attempt == SAVE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _save_once(engine: Engine, drafts: Sequence[NoteDraft], now: datetime) -> list[SavedNote]:
    saved: list[SavedNote] = []
    for draft in drafts:
        note_of_length(draft.text)
    with transaction(engine) as session:
        for draft in drafts:
            if draft.client_key:
                existing = _by_client_key(session, draft.team_id, draft.client_key)
                if existing is not None:
                    saved.append(SavedNote(existing, created=False, new_creator=False))
                    continue
            creator, added = ensure_creator(session, draft.team_id, draft.handle, now)
            assert creator.id is not None
            fields = {k: v for k, v in asdict(draft).items() if k != "handle"}
            note = FeedbackNote(**fields, creator_id=creator.id, created_at=now, updated_at=now)
            session.add(note)
            session.flush()
            assert note.id is not None
            saved.append(SavedNote(_one(session.connection(), draft.team_id, note.id), True, added))
    return saved


def _by_client_key(session: Session, team_id: str, key: str) -> NoteView | None:
    found = _fetch(
        session.connection(), _views(team_id).where(FEEDBACK_NOTE_TABLE.c.client_key == key)
    )
    return found[0] if found else None


def edit_note(
    engine: Engine,
    team_id: str,
    note_id: int,
    changes: NoteChanges,
    *,
    user_id: str,
    admins: Collection[str],
    now: datetime,
) -> NoteView:
    """Apply the changes; the previous text, topic, sentiment and tags become a revision."""
    note_of_length(changes.text)
    with transaction(engine) as session:
        connection = session.connection()
        note = _LIFE.for_change(connection, team_id, note_id)
        require_author_or_admin(note.author_user_id, user_id, admins, "edit")
        before = (note.text, note.topic, note.sentiment, list(note.tags))
        after = (changes.text, changes.topic, changes.sentiment, list(changes.tags))
        if before != after:
            connection.execute(
                FEEDBACK_NOTE_REVISION_TABLE.insert().values(
                    team_id=team_id,
                    note_id=note_id,
                    text=note.text,
                    topic=note.topic,
                    sentiment=note.sentiment,
                    tags=list(note.tags),
                    edited_by=user_id,
                    edited_at=now,
                )
            )
        values: dict[str, Any] = dict(
            zip(("text", "topic", "sentiment", "tags"), after, strict=True)
        )
        if changes.follow_up_on != note.follow_up_on:
            # A new date is a new follow-up: remind again, and it is not done yet.
            values.update(follow_up_on=changes.follow_up_on, follow_up_reminded_at=None)
            values.update(follow_up_done_at=None)
        _LIFE.change(connection, note, updated_at=now, **values)
        return _one(connection, team_id, note_id)


delete_note = _LIFE.delete
restore_note = _LIFE.restore
purge_deleted = _LIFE.purge


# ---- finding --------------------------------------------------------------------------------


def notes_about(
    engine: Engine, team_id: str, handle: str, limit: int, offset: int = 0
) -> tuple[Creator | None, NotePage]:
    """The creator (None if not in the registry) and a page of their notes, newest first."""
    with Session(engine) as session:
        creator = creator_by_handle(session, team_id, handle)
        if creator is None:
            return None, NotePage([], offset, False)
        statement = _newest_first(
            _live(team_id).where(FEEDBACK_NOTE_TABLE.c.creator_id == creator.id)
        )
        return creator, _page(session.connection(), statement, limit, offset)


def recent_notes(
    engine: Engine, team_id: str, since: datetime, limit: int, offset: int = 0
) -> NotePage:
    statement = _newest_first(_live(team_id).where(FEEDBACK_NOTE_TABLE.c.created_at >= since))
    with engine.connect() as connection:
        return _page(connection, statement, limit, offset)


def notes_by(engine: Engine, team_id: str, author: str, limit: int, offset: int = 0) -> NotePage:
    statement = _newest_first(_live(team_id).where(FEEDBACK_NOTE_TABLE.c.author_user_id == author))
    with engine.connect() as connection:
        return _page(connection, statement, limit, offset)


def search_notes(engine: Engine, team_id: str, query: str, limit: int, offset: int = 0) -> NotePage:
    """Notes with every word of `query` (stemmed: "sample" finds "samples"), best first."""
    with engine.connect() as connection:
        ids = ranked_note_ids(connection, team_id, search_words(query), limit + 1, offset)
        found = {
            n.id: n
            for n in _fetch(connection, _views(team_id).where(FEEDBACK_NOTE_TABLE.c.id.in_(ids)))
        }
    notes = [found[i] for i in ids if i in found]
    return NotePage(notes[:limit], offset, len(notes) > limit)


def deleted_notes(
    engine: Engine, team_id: str, now: datetime, limit: int, offset: int = 0
) -> NotePage:
    """Notes an admin can still restore, most recently deleted first."""
    with engine.connect() as connection:
        return _page(connection, _LIFE.recently_deleted(team_id, now), limit, offset)


def notes_between(engine: Engine, team_id: str, start: datetime, end: datetime) -> list[NoteView]:
    """Every live note written in [start, end), oldest first (for reports)."""
    statement = _live(team_id).where(
        FEEDBACK_NOTE_TABLE.c.created_at >= start, FEEDBACK_NOTE_TABLE.c.created_at < end
    )
    with engine.connect() as connection:
        return _fetch(
            connection,
            statement.order_by(FEEDBACK_NOTE_TABLE.c.created_at, FEEDBACK_NOTE_TABLE.c.id),
        )


def export_notes(engine: Engine, team_id: str, since: datetime | None) -> list[NoteView]:
    """The live notes written since `since` (all when None), oldest first."""
    statement = _live(team_id)
    if since is not None:
        statement = statement.where(FEEDBACK_NOTE_TABLE.c.created_at >= since)
    with engine.connect() as connection:
        return _fetch(
            connection,
            statement.order_by(FEEDBACK_NOTE_TABLE.c.created_at, FEEDBACK_NOTE_TABLE.c.id),
        )


# ---- follow-ups -----------------------------------------------------------------------------


def _open_follow_ups(team_id: str) -> Select[Any]:
    return _live(team_id).where(
        FEEDBACK_NOTE_TABLE.c.follow_up_on.is_not(None),
        FEEDBACK_NOTE_TABLE.c.follow_up_done_at.is_(None),
    )


def open_follow_ups(
    engine: Engine,
    team_id: str,
    *,
    author: str | None = None,
    creator_id: int | None = None,
    limit: int = 50,
) -> list[NoteView]:
    """Follow-ups not done yet, earliest date first, for one author or creator or everyone."""
    statement = _open_follow_ups(team_id)
    if author is not None:
        statement = statement.where(FEEDBACK_NOTE_TABLE.c.author_user_id == author)
    if creator_id is not None:
        statement = statement.where(FEEDBACK_NOTE_TABLE.c.creator_id == creator_id)
    statement = statement.order_by(
        FEEDBACK_NOTE_TABLE.c.follow_up_on, FEEDBACK_NOTE_TABLE.c.id
    ).limit(limit)
    with engine.connect() as connection:
        return _fetch(connection, statement)


def due_follow_ups(
    engine: Engine, team_id: str, author: str, today: date, limit: int
) -> tuple[list[NoteView], int]:
    """The author's open follow-ups due today or overdue (earliest first, up to `limit`) and
    how many there are in all."""
    due = _open_follow_ups(team_id).where(
        FEEDBACK_NOTE_TABLE.c.author_user_id == author, FEEDBACK_NOTE_TABLE.c.follow_up_on <= today
    )
    counted = select(func.count()).select_from(due.subquery())
    with engine.connect() as connection:
        total = int(connection.execute(counted).scalar_one())
        shown = _fetch(
            connection,
            due.order_by(FEEDBACK_NOTE_TABLE.c.follow_up_on, FEEDBACK_NOTE_TABLE.c.id).limit(limit),
        )
    return shown, total


def due_reminders(engine: Engine, team_id: str, today: date, oldest: date) -> list[NoteView]:
    """Open follow-ups dated `oldest`..`today` whose reminder has not been sent."""
    statement = _open_follow_ups(team_id).where(
        FEEDBACK_NOTE_TABLE.c.follow_up_on <= today,
        FEEDBACK_NOTE_TABLE.c.follow_up_on >= oldest,
        FEEDBACK_NOTE_TABLE.c.follow_up_reminded_at.is_(None),
    )
    with engine.connect() as connection:
        return _fetch(
            connection,
            statement.order_by(FEEDBACK_NOTE_TABLE.c.follow_up_on, FEEDBACK_NOTE_TABLE.c.id),
        )


claim_reminder = _LIFE.claim_reminder
complete_follow_up = _LIFE.complete_follow_up


def sentiments_of(engine: Engine, team_id: str, creator_id: int, limit: int) -> list[str]:
    """The sentiments of the creator's latest notes, newest first."""
    statement = (
        select(FEEDBACK_NOTE_TABLE.c.sentiment)
        .where(
            FEEDBACK_NOTE_TABLE.c.team_id == team_id,
            FEEDBACK_NOTE_TABLE.c.creator_id == creator_id,
            FEEDBACK_NOTE_TABLE.c.deleted_at.is_(None),
        )
        .order_by(FEEDBACK_NOTE_TABLE.c.created_at.desc(), FEEDBACK_NOTE_TABLE.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as connection:
        return [str(s) for s in connection.execute(statement).scalars()]


def count_notes(engine: Engine, team_id: str, creator_id: int) -> int:
    statement = select(func.count()).where(
        FEEDBACK_NOTE_TABLE.c.team_id == team_id,
        FEEDBACK_NOTE_TABLE.c.creator_id == creator_id,
        FEEDBACK_NOTE_TABLE.c.deleted_at.is_(None),
    )
    with engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())


def follow_up_counts(engine: Engine, team_id: str, today: date) -> tuple[int, int]:
    """(open follow-ups, of which overdue) in the workspace."""
    overdue = func.count().filter(FEEDBACK_NOTE_TABLE.c.follow_up_on < today)
    statement = select(func.count(), overdue).where(
        FEEDBACK_NOTE_TABLE.c.team_id == team_id,
        FEEDBACK_NOTE_TABLE.c.deleted_at.is_(None),
        FEEDBACK_NOTE_TABLE.c.follow_up_on.is_not(None),
        FEEDBACK_NOTE_TABLE.c.follow_up_done_at.is_(None),
    )
    with engine.connect() as connection:
        total, late = connection.execute(statement).one()
    return int(total), int(late)
