"""What a request made outside its own record, kept under the request's key (see
bot.shared.effects).

A request's key is its claim's (storage.events): an event's ID, a slash command's
`slash:<key>`. An effect is started (a row without a result) before it is made and given its
result once made; a record written in the same transaction as the effect's own row (an alert
rule) is written made at once (`record_made`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.columns import utc_now
from storage.db import transaction
from storage.models import SIDE_EFFECT_TABLE, SideEffect


@dataclass(frozen=True)
class EffectKey:
    """One effect of one request: (workspace, the request's key, the effect's name)."""

    team_id: str
    request_key: str
    effect: str


@dataclass(frozen=True)
class Effect:
    """An effect as kept: `result` is None while it was started and not (known to be) made."""

    started_at: datetime
    result: str | None


def effect_of(engine: Engine, key: EffectKey) -> Effect | None:
    """The effect as kept, or None when the request never started it."""
    with engine.connect() as connection:
        row = connection.execute(
            select(SIDE_EFFECT_TABLE.c.started_at, SIDE_EFFECT_TABLE.c.result).where(*_where(key))
        ).first()
    return None if row is None else Effect(row.started_at, row.result)


def start_effect(engine: Engine, key: EffectKey, now: datetime | None = None) -> None:
    """Say the effect is being made (kept as it was if it was started before)."""
    try:
        with transaction(engine) as session:
            session.add(_row(key, now or utc_now(), None))
    except IntegrityError:
        pass  # started by an earlier try: its start stays, for the look for what it made


def effect_made(engine: Engine, key: EffectKey, result: str) -> None:
    """The effect is made; `result` says what it made (a ts, a file's ID, a rule's ID)."""
    with transaction(engine) as session:
        changed = session.execute(
            update(SIDE_EFFECT_TABLE).where(*_where(key)).values(result=result[:200])
        )
        if getattr(changed, "rowcount", 0) == 0:
            session.add(_row(key, utc_now(), result))


def record_made(session: Session, key: EffectKey, result: str) -> None:
    """Keep the effect as made, in the caller's transaction: with the row it made."""
    session.add(_row(key, utc_now(), result))


def made_in(session: Session, key: EffectKey) -> str | None:
    """The result of the effect if it was made, read in the caller's transaction."""
    found = session.execute(select(SIDE_EFFECT_TABLE.c.result).where(*_where(key))).first()
    return None if found is None else found.result


def _row(key: EffectKey, started_at: datetime, result: str | None) -> SideEffect:
    return SideEffect(
        team_id=key.team_id,
        request_key=key.request_key,
        effect=key.effect[:120],
        started_at=started_at,
        result=None if result is None else result[:200],
    )


def _where(key: EffectKey) -> tuple[ColumnElement[bool], ...]:
    return (
        SIDE_EFFECT_TABLE.c.team_id == key.team_id,
        SIDE_EFFECT_TABLE.c.request_key == key.request_key,
        SIDE_EFFECT_TABLE.c.effect == key.effect[:120],
    )
