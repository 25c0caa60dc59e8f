"""Database engine and sessions for SQLite (the default) and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 10_000
# How long a write in this thread waits for SQLite's write lock (see waiting_at_most): a
# setting of the thread for the length of a block, not state of any database.
_patience = threading.local()
T = TypeVar("T")


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and foreign keys on every connection."""
    if is_sqlite(url):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkout", _sqlite_patience)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


@dataclass
class _Held:
    lock: threading.Lock = field(default_factory=threading.Lock)
    values: dict[str, Any] = field(default_factory=dict)


_HELD = "shopbot_held"


def held_by(engine: Engine, name: str, make: Callable[[], T]) -> T:
    """The engine's own `name`, made by `make` the first time it is asked for: state that
    belongs to one database (a cache of what was read from it, the note intake of its file)
    lives as long as the engine that every storage function is handed, in the engine's own
    instance dictionary, rather than in a module-level registry that outlives it."""
    held = vars(engine).get(_HELD) or vars(engine).setdefault(_HELD, _Held())
    with held.lock:
        if name not in held.values:
            held.values[name] = make()
        return held.values[name]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # A larger page cache (in KiB) keeps index pages of big imports and month queries in memory.
    cursor.execute("PRAGMA cache_size=-131072")
    cursor.close()


def _sqlite_patience(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={getattr(_patience, 'ms', SQLITE_BUSY_TIMEOUT_MS)}")
    cursor.close()


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """SQLite: in this block, a write of this thread waits at most `seconds` for another
    writer (a big import in another process, say) and then fails as busy (`is_busy`), instead
    of waiting the whole busy timeout. For answers that must come within Slack's 3 seconds.
    PostgreSQL writers do not wait on each other like this: no effect there."""
    previous = getattr(_patience, "ms", None)
    _patience.ms = int(seconds * 1000)
    try:
        yield
    finally:
        if previous is None:
            del _patience.ms
        else:
            _patience.ms = previous


def is_busy(error: BaseException) -> bool:
    """Whether `error` is SQLite's answer to a write that waited for the lock in vain."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back everything if it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# SQLite has one writer at a time, in the one process that serves it: its work that must wait
# for its turn queues here, as one queue whatever the lock's name.
_SQLITE_QUEUE = threading.Lock()


@contextmanager
def exclusive_transaction(engine: Engine, name: str) -> Iterator[Session]:
    """A transaction (as `transaction`) that runs alone among those with the same name, and
    waits for its turn however long the one before it takes.

    PostgreSQL: an advisory lock on the name, held to the end of the transaction, across
    processes and replicas. SQLite: a lock in the process, held until after the commit
    (waiting on the database's own write lock gives up after the busy timeout)."""
    if engine.dialect.name != "postgresql":
        with _SQLITE_QUEUE, transaction(engine) as session:
            yield session
        return
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    with transaction(engine) as session:
        session.connection().execute(
            text("SELECT pg_advisory_xact_lock(:key)"),
            {"key": int.from_bytes(digest, "big", signed=True)},
        )
        yield session
