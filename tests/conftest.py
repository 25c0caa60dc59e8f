"""Shared fixtures: a migrated database on each backend, the Slack sandbox, and a running app.

Every test that takes `engine` runs twice: on SQLite and on PostgreSQL. The PostgreSQL run is
skipped when no server answers at SHOPBOT_TEST_POSTGRES_URL (default: the local `test` database);
each test session creates a fresh database there and drops it at the end.

The tests run in parallel worker processes (pytest-xdist; `-n` in pyproject.toml), and a session
is one worker's: each worker has its own PostgreSQL database (named after the worker and its
process, so that none drops another's), its own SQLite files and temporary directories
(`tmp_path` is under the worker's own base directory), and its apps listen on ports the system
picks.

`engine` empties the database before each test; `seed_demo_copy` loads the demo data set into it
for tests that only read the demo (seeded once per worker, then copied).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from scratch import scratch_postgres  # bench/scratch.py
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (every table on SQLModel.metadata, which `engine` empties)
from app import build_app
from bot.settings import Settings, load_settings
from devkit.demo.data import DemoSummary
from devkit.demo.seed import seed_demo
from devkit.offline import OfflineBot
from devkit.sandbox.webapi import SlackSandbox
from storage.db import make_engine
from storage.schema import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "SHOPBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _postgres_available() -> bool:
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with admin.connect():
            pass
        admin.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this worker's test session, dropped afterwards."""
    if not _postgres_available():
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL}")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, … under xdist
    with scratch_postgres(POSTGRES_ADMIN_URL, f"shopbot_test_{worker}") as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database URL on each backend (not migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'shopbot.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


# Every sequence of the schema back at its start, as a fresh database has them (PostgreSQL).
RESTART_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, start_value, false) "
    "FROM pg_sequences WHERE schemaname = current_schema()"
)


def empty_database(engine: Engine) -> None:
    """Every table emptied, its ids starting again from 1.

    Emptied row by row (DELETE, children before parents), not by TRUNCATE: a test leaves few
    rows, and PostgreSQL's TRUNCATE of the 30-odd tables costs a second or more each time
    (new files for every table), where the DELETEs take a few milliseconds."""
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            connection.execute(table.delete())
        if connection.dialect.name == "postgresql":
            connection.execute(RESTART_SEQUENCES)


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """A migrated database, emptied before each test."""
    empty_database(migrated_engine)
    yield migrated_engine


@pytest.fixture
def settings(engine: Engine) -> Settings:
    """Settings as an operator would give them, on the test database; Slack values are
    replaced by the sandbox's when an OfflineBot starts."""
    return load_settings(
        {
            "DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "SHOPBOT_TIMEZONE": "Europe/Berlin",
            "SHOPBOT_ADMINS": "U0MARIA",
        },
        env_file=None,
        require_slack=False,
    )


@pytest.fixture
def bot(settings: Settings, engine: Engine) -> Iterator[OfflineBot]:
    """The real app on loopback HTTP against a fresh Slack sandbox, as in production: quick
    answers in the acknowledgement, slow work after it, its replies landing in the sandbox."""
    with OfflineBot(build_app, settings, engine=engine) as offline_bot:
        yield offline_bot
        # Whatever the test asserted, Slack would have refused these.
        assert offline_bot.sandbox.refusals == [], "the app sent what Slack refuses"


@pytest.fixture
def sandbox() -> Iterator[SlackSandbox]:
    """A loopback Slack of its own, for tests that run the app in another process or call
    Slack's Web API directly."""
    with SlackSandbox() as running:
        yield running


# The demo data set, seeded for real once per worker, backend, workspace and day, then copied.

Rows = dict[str, list[tuple[Any, ...]]]


def _rows(connection: Connection, *, ordered: bool = True) -> Rows:
    """Every row of every table; `ordered`, in an order of their own, to be compared."""
    found = {
        table.name: [tuple(row) for row in connection.execute(select(table))]
        for table in SQLModel.metadata.sorted_tables
    }
    return {name: sorted(rows, key=repr) if ordered else rows for name, rows in found.items()}


def _sequences(connection: Connection) -> list[tuple[str, int | None]]:
    """Where each sequence of the schema stands (PostgreSQL; none on SQLite)."""
    if connection.dialect.name != "postgresql":
        return []
    found = connection.execute(
        text(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences "
            "WHERE schemaname = current_schema() ORDER BY 1"
        )
    )
    return [(name, last) for name, last in found.all()]


SET_SEQUENCE = text("SELECT setval(CAST(:name AS regclass), coalesce(:last, 1), :last IS NOT NULL)")


@dataclass(frozen=True)
class _Seeded:
    """The database as it was before `seed_demo` and after it, and what `seed_demo` returned."""

    before: Rows
    after: Rows
    sequences: list[tuple[str, int | None]]
    summary: DemoSummary


@pytest.fixture(scope="session")
def _demo_copies() -> dict[tuple[str, str, date, int], _Seeded]:
    return {}


@pytest.fixture
def seed_demo_copy(
    engine: Engine, _demo_copies: dict[tuple[str, str, date, int], _Seeded]
) -> Callable[..., DemoSummary]:
    """`seed_demo(engine, team_id=…, today=…, days=…)` for tests that read the demo data, made
    quick: the first call of a worker's session, for one backend, workspace and day, seeds for
    real and keeps the database's rows and sequences from before and after it; a later call
    that finds the database exactly as that one did (the same rows, as after a fresh `bot`)
    writes the rows and sequences from after it instead of seeding again (measured: 3 s instead
    of 8 on SQLite, 5 s instead of 14 on PostgreSQL). Any other database is seeded for real.
    tests/test_demo.py, which tests `seed_demo` itself, calls it directly."""

    def seed(*, team_id: str, today: date, days: int = 120) -> DemoSummary:
        key = (engine.dialect.name, team_id, today, days)
        with engine.connect() as connection:
            before = _rows(connection)
        known = _demo_copies.get(key)
        if known is None or known.before != before:
            summary = seed_demo(engine, team_id=team_id, today=today, days=days)
            if known is None:
                with engine.connect() as connection:
                    after, sequences = _rows(connection, ordered=False), _sequences(connection)
                _demo_copies[key] = _Seeded(before, after, sequences, summary)
            return summary
        with engine.begin() as connection:
            for table in reversed(SQLModel.metadata.sorted_tables):
                connection.execute(table.delete())
            for table in SQLModel.metadata.sorted_tables:
                if known.after[table.name]:
                    keys = [column.name for column in table.columns]
                    rows = [dict(zip(keys, row, strict=True)) for row in known.after[table.name]]
                    connection.execute(table.insert(), rows)
            for name, last in known.sequences:
                connection.execute(SET_SEQUENCE, {"name": name, "last": last})
        return known.summary

    return seed
