"""Schema versions: apply the Alembic migrations and tell whether a database is up to date."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from storage.db import make_engine

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "shopbot db upgrade"


class SchemaOutOfDate(RuntimeError):
    """The database is not at the newest migration; the message names the fixing command."""


@dataclass(frozen=True)
class SchemaState:
    """The revisions a database is at, and the newest ones (features may branch off in
    parallel, so there can be several heads; all of them are applied)."""

    current: frozenset[str]
    heads: frozenset[str]

    @property
    def up_to_date(self) -> bool:
        return self.current == self.heads

    @staticmethod
    def describe(revisions: frozenset[str]) -> str:
        return "+".join(sorted(revisions)) or "empty"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Apply every migration up to `revision` (default: all heads) in one transaction."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_state(engine: Engine) -> SchemaState:
    heads = frozenset(ScriptDirectory.from_config(_config()).get_heads())
    with engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    return SchemaState(current=current, heads=heads)


def require_current_schema(engine: Engine) -> None:
    """Raise `SchemaOutOfDate` unless the database is at the newest migration."""
    state = schema_state(engine)
    if not state.up_to_date:
        found = SchemaState.describe(state.current) if state.current else "an empty database"
        raise SchemaOutOfDate(
            f"The database schema is out of date (found {found}, need "
            f"{SchemaState.describe(state.heads)}): "
            f"run `{UPGRADE_COMMAND}` first."
        )


def new_revision(message: str, rev_id: str) -> Path:
    """Write a migration for the difference between the models and the migrations so far.

    The comparison runs on a scratch SQLite database brought to every current head; review the
    generated file (and run the tests, which also apply it to PostgreSQL) before committing.
    """
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{scratch}/scratch.db")
        upgrade(engine)
        config = _config()
        heads = sorted(ScriptDirectory.from_config(config).get_heads())
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            script = command.revision(
                config,
                message=message,
                autogenerate=True,
                rev_id=rev_id,
                head=heads[0] if len(heads) == 1 else "heads",
                splice=len(heads) > 1,
            )
        engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
