"""New notes kept at once while SQLite is busy, and saved into it in order as soon as it is free.

SQLite has one writer: an import in another process holds the write lock for as long as its one
transaction lasts (half a minute for the largest sheet), far longer than Slack waits for an
answer. A note does not wait for it: when the database is busy, or notes kept earlier still wait
(so that notes are saved in the order they came), it is kept in the intake, a small SQLite file
of its own beside the database (WAL, synchronous FULL, its own write lock, held for one insert),
and it is saved once that insert has committed. One drainer thread saves the kept notes into the
database, oldest first, each under its client key and then removed from the intake: a stop
between the two finds the note saved and saves it no second time. It drains at start what a
stopped process kept, so a note answered "saved" and then killed is saved all the same. A kept
note that fails for another reason than a busy database is tried again, and after NOTE_ATTEMPTS
failures set aside in the intake's `dead_notes` (kept for an admin, not lost; its author is told
by DM to send it again), so that the notes and requests kept after it go on.

Any other quick write (a form, `/feedback restore`, a seller note…) that finds the database busy
is kept the same way, as the request itself (its body as Slack sent it, under its workspace and
key): `keep_request`. Once the notes kept before it are saved, the drainer claims it in the
database (storage.events, under its key: a request kept twice, or claimed already, is done once)
and removes it from the intake, then hands it to the app's replay (bot.resume.replay_kept), which
runs its handler again and answers. A stop after the claim leaves it to be resumed as any cut-off
work is.

PostgreSQL writers of different rows do not wait for each other: there a note is saved directly,
and no request is kept.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from storage.authored import note_of_length
from storage.columns import utc_now
from storage.db import held_by, is_busy, waiting_at_most
from storage.events import EventClaim, claim_event
from storage.feedback import notes
from storage.feedback.notes import NoteDraft, SavedNote

log = logging.getLogger(__name__)
# How long a note waits for SQLite's write lock before it is kept instead: long enough for
# another request's note (a few ms), far shorter than an import's transaction.
DIRECT_PATIENCE_SECONDS = 0.1
RETRY_SECONDS = 0.25  # the drainer's pause after the database was busy for a whole busy timeout
FAILED_RETRY_SECONDS = 30.0  # and after anything else went wrong (logged)
NOTE_ATTEMPTS = 3  # a kept note failing (not busy) this many times is set aside, not retried
_SCHEMA = """CREATE TABLE IF NOT EXISTS kept_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    drafts TEXT NOT NULL,
    kept_at TEXT NOT NULL
)"""
_REQUESTS_SCHEMA = """CREATE TABLE IF NOT EXISTS kept_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id TEXT NOT NULL,
    request_key TEXT NOT NULL,
    request TEXT NOT NULL,
    kept_at TEXT NOT NULL,
    UNIQUE (team_id, request_key)
)"""
# Kept notes that failed NOTE_ATTEMPTS times for another reason than a busy database: kept
# for an admin to look at, out of the way of the notes and requests kept after them.
_DEAD_SCHEMA = """CREATE TABLE IF NOT EXISTS dead_notes (
    id INTEGER PRIMARY KEY,
    drafts TEXT NOT NULL,
    kept_at TEXT NOT NULL,
    failed_at TEXT NOT NULL,
    error TEXT NOT NULL,
    told INTEGER NOT NULL DEFAULT 0
)"""
# Runs a kept request's handler again, under the claim taken for it (bot.resume.replay_kept).
Replay = Callable[[EventClaim, dict[str, Any]], None]
# Tells a person (by user ID) that a note they sent was set aside and should be sent again.
Tell = Callable[[str], None]


class NoteIntake:
    """The intake of one SQLite database: `path` beside it, drained into `engine`."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine, self.path = engine, path
        self._connections = threading.local()
        self._connection().execute("PRAGMA journal_mode=WAL")
        self._connection().execute(_SCHEMA)
        self._connection().execute(_REQUESTS_SCHEMA)
        self._connection().execute(_DEAD_SCHEMA)
        columns = {row[1] for row in self._connection().execute("PRAGMA table_info(kept_notes)")}
        if "attempts" not in columns:  # an intake kept by an earlier version
            self._connection().execute(
                "ALTER TABLE kept_notes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0"
            )
        self._replay: Replay | None = None  # kept requests wait until the app says how
        self._tell: Tell | None = None
        self._wake = threading.Event()
        self._drained = threading.Condition()
        self._drainer = threading.Thread(
            target=self._drain_forever, name="note-intake", daemon=True
        )
        self._drainer.start()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection to the intake (opened once: a connection costs more than
        the one statement each use makes)."""
        connection: sqlite3.Connection | None = getattr(self._connections, "open", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            connection.execute("PRAGMA synchronous=FULL")  # kept means on disk: answered saved
            self._connections.open = connection
        return connection

    def waiting(self) -> int:
        """How many requests' notes are kept and not yet saved into the database."""
        found = self._connection().execute("SELECT count(*) FROM kept_notes").fetchone()
        return int(found[0])

    def requests_waiting(self) -> int:
        """How many requests are kept and not yet claimed to be done again."""
        found = self._connection().execute("SELECT count(*) FROM kept_requests").fetchone()
        return int(found[0])

    def keep_request(
        self, team_id: str, request_key: str, request: dict[str, Any], now: datetime
    ) -> None:
        """Keep a request to be done once the database is free, committed to disk when this
        returns; the same request (workspace and key) kept again is kept once."""
        self._connection().execute(
            "INSERT OR IGNORE INTO kept_requests (team_id, request_key, request, kept_at) "
            "VALUES (?, ?, ?, ?)",
            (team_id, request_key, json.dumps(request), now.isoformat()),
        )
        self._wake.set()

    def replay_with(self, replay: Replay, tell: Tell | None = None) -> None:
        """How kept requests are done, and the authors of notes set aside told (the app's,
        once it is built); they are done from now."""
        self._replay, self._tell = replay, tell
        self._wake.set()

    def dead_notes(self) -> int:
        """How many kept notes were set aside after failing NOTE_ATTEMPTS times."""
        found = self._connection().execute("SELECT count(*) FROM dead_notes").fetchone()
        return int(found[0])

    def keep(self, drafts: Sequence[NoteDraft], now: datetime) -> None:
        """Keep the notes of one request, committed to disk when this returns."""
        self._connection().execute(
            "INSERT INTO kept_notes (drafts, kept_at) VALUES (?, ?)",
            (json.dumps([_encoded(d) for d in drafts]), now.isoformat()),
        )
        self._wake.set()

    def drain(self) -> int:
        """Save the kept notes into the database, oldest first, then do the kept requests
        again, oldest first, until none is left or the database is busy (SQLite's whole busy
        timeout); how many requests' notes were saved and requests done."""
        saved = 0
        while (oldest := self._oldest()) is not None:
            row_id, raw, kept_at = oldest
            try:
                notes.save_notes(self.engine, [_decoded(d) for d in json.loads(raw)], kept_at)
            except OperationalError as error:
                if is_busy(error):
                    break
                self._failed(row_id, error)
                continue
            except Exception as error:
                self._failed(row_id, error)
                continue
            self._connection().execute("DELETE FROM kept_notes WHERE id = ?", (row_id,))
            saved += 1
        else:
            saved += self._replay_requests()
        self._tell_dead()
        with self._drained:
            self._drained.notify_all()
        return saved

    def _failed(self, row_id: int, error: Exception) -> None:
        """A kept note failed (not busy): tried again later, until its NOTE_ATTEMPTS-th
        failure sets it aside in `dead_notes` (kept, not lost), so the notes and requests kept
        after it go on."""
        connection = self._connection()
        connection.execute("UPDATE kept_notes SET attempts = attempts + 1 WHERE id = ?", (row_id,))
        [attempts] = connection.execute(
            "SELECT attempts FROM kept_notes WHERE id = ?", (row_id,)
        ).fetchone()
        if attempts < NOTE_ATTEMPTS:
            raise error
        log.error(
            "kept note %s failed %d times: set aside in the intake's dead_notes",
            row_id,
            attempts,
            exc_info=error,
        )
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute(
                "INSERT OR IGNORE INTO dead_notes (id, drafts, kept_at, failed_at, error) "
                "SELECT id, drafts, kept_at, ?, ? FROM kept_notes WHERE id = ?",
                (utc_now().isoformat(), repr(error)[:500], row_id),
            )
            connection.execute("DELETE FROM kept_notes WHERE id = ?", (row_id,))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _tell_dead(self) -> None:
        """Tell the authors of the notes set aside (once the app says how), each once."""
        if self._tell is None:
            return
        connection = self._connection()
        for row_id, raw in connection.execute(
            "SELECT id, drafts FROM dead_notes WHERE told = 0 ORDER BY id"
        ).fetchall():
            connection.execute("UPDATE dead_notes SET told = 1 WHERE id = ?", (row_id,))
            for author in _authors(raw):
                try:
                    self._tell(author)
                except Exception:
                    log.exception(
                        "could not tell %s that kept note %s was set aside", author, row_id
                    )

    def _replay_requests(self) -> int:
        """Claim each kept request in the database (a request claimed before, by an earlier
        drain cut off mid-way or another replica, is not claimed again), remove it from the
        intake, and have it done; how many left the intake."""
        done = 0
        while self._replay is not None and (oldest := self._oldest_request()) is not None:
            row_id, team_id, request_key, request = oldest
            try:
                claim = claim_event(self.engine, team_id, request_key, request=request)
            except OperationalError as error:
                if is_busy(error):
                    break
                raise
            self._connection().execute("DELETE FROM kept_requests WHERE id = ?", (row_id,))
            done += 1
            if claim is None:
                log.info("kept request %s of %s was done before: skipped", request_key, team_id)
                continue
            try:
                self._replay(claim, request)
            except Exception:  # its claim keeps it: resumed as cut-off work (bot.resume)
                log.exception("doing kept request %s of %s failed", request_key, team_id)
        return done

    def _outstanding(self) -> int:
        return self.waiting() + (self.requests_waiting() if self._replay is not None else 0)

    def wait_until_drained(self, timeout: float) -> bool:
        """Whether every kept note was saved into the database, and every kept request done
        (once the app replays them), within `timeout` seconds."""
        with self._drained:
            return self._drained.wait_for(lambda: self._outstanding() == 0, timeout)

    def _oldest_request(self) -> tuple[int, str, str, dict[str, Any]] | None:
        row = (
            self._connection()
            .execute(
                "SELECT id, team_id, request_key, request FROM kept_requests ORDER BY id LIMIT 1"
            )
            .fetchone()
        )
        if row is None:
            return None
        return int(row[0]), str(row[1]), str(row[2]), json.loads(row[3])

    def _oldest(self) -> tuple[int, str, datetime] | None:
        """The oldest kept note: its row, its drafts as kept (JSON), and when it was kept."""
        row = (
            self._connection()
            .execute("SELECT id, drafts, kept_at FROM kept_notes ORDER BY id LIMIT 1")
            .fetchone()
        )
        if row is None:
            return None
        return int(row[0]), str(row[1]), datetime.fromisoformat(row[2])

    def _drain_forever(self) -> None:
        while True:
            pause = RETRY_SECONDS
            try:
                self.drain()
            except Exception:
                log.exception("draining the intake into the database failed; trying again")
                pause = FAILED_RETRY_SECONDS
            if self._outstanding():
                self._wake.wait(pause)
            else:
                self._wake.wait()
            self._wake.clear()


def _encoded(draft: NoteDraft) -> dict[str, object]:
    fields = asdict(draft)
    fields["follow_up_on"] = draft.follow_up_on.isoformat() if draft.follow_up_on else None
    return fields


def _authors(raw: str) -> set[str]:
    """Who wrote the kept drafts `raw`, as far as they can be read."""
    try:
        drafts = json.loads(raw)
    except ValueError:
        return set()
    if not isinstance(drafts, list):
        return set()
    return {
        str(d["author_user_id"]) for d in drafts if isinstance(d, dict) and d.get("author_user_id")
    }


def _decoded(fields: dict[str, Any]) -> NoteDraft:
    follow_up = fields.pop("follow_up_on", None)
    return NoteDraft(**fields, follow_up_on=date.fromisoformat(follow_up) if follow_up else None)


def intake_path(engine: Engine) -> Path | None:
    """Where the intake of the engine's SQLite file is (`<database>.intake`); None on
    PostgreSQL or an in-memory database, which have none."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(f"{Path(database).resolve()}.intake")


def intake_for(engine: Engine) -> NoteIntake | None:
    """The intake of the engine's SQLite file (its drainer started with it, which first saves
    what an earlier process kept); None on PostgreSQL or an in-memory database."""
    path = intake_path(engine)
    if path is None:
        return None
    return held_by(engine, "note intake", lambda: NoteIntake(engine, path))


def save_notes(
    engine: Engine, drafts: Sequence[NoteDraft], now: datetime
) -> list[SavedNote] | None:
    """The notes saved as `storage.feedback.notes.save_notes` saves them; or, when SQLite is busy
    (or notes kept earlier still wait), kept in the intake and saved into the database as soon
    as it is free: then None. Either way they are on disk when this returns."""
    intake = intake_for(engine)
    if intake is None:
        return notes.save_notes(engine, drafts, now)
    if not intake.waiting():
        try:
            with waiting_at_most(DIRECT_PATIENCE_SECONDS):
                return notes.save_notes(engine, drafts, now)
        except OperationalError as error:
            if not is_busy(error):
                raise
    for draft in drafts:
        note_of_length(draft.text)
    # A request without a client key gets one here, so that draining it twice saves it once.
    keyed = [
        d if d.client_key else replace(d, client_key=f"kept:{uuid.uuid4().hex}") for d in drafts
    ]
    intake.keep(keyed, now)
    return None
