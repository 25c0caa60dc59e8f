"""Schema versions: apply the Alembic migrations and tell whether a database is up to date."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "shopbot db upgrade"


class SchemaOutOfDate(RuntimeError):
    """The database is not at the newest migration; the message names the fixing command."""


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to `revision` in one transaction."""
    config = _config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_state(engine: Engine) -> SchemaState:
    head = ScriptDirectory.from_config(_config(engine)).get_current_head()
    assert head is not None, "no migrations found"
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return SchemaState(current=current, head=head)


def require_current_schema(engine: Engine) -> None:
    """Raise `SchemaOutOfDate` unless the database is at the newest migration."""
    state = schema_state(engine)
    if not state.up_to_date:
        found = state.current or "an empty database"
        raise SchemaOutOfDate(
            f"The database schema is out of date (found {found}, need {state.head}): "
            f"run `{UPGRADE_COMMAND}` first."
        )
