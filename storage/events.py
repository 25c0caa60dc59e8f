"""Processed Slack events: Slack redelivers an event it thinks was missed; handle each once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from storage.db import transaction
from storage.models import ProcessedSlackEvent


def claim_event(engine: Engine, team_id: str, event_id: str) -> bool:
    """Record `event_id` as handled; False when it was already recorded (a redelivery)."""
    try:
        with transaction(engine) as session:
            session.add(ProcessedSlackEvent(team_id=team_id, event_id=event_id))
    except IntegrityError:
        return False
    return True


def prune_processed_events(engine: Engine, before: datetime) -> int:
    """Delete the records of events received before `before`; returns how many."""
    with transaction(engine) as session:
        statement = delete(ProcessedSlackEvent).where(
            ProcessedSlackEvent.received_at < before  # type: ignore[arg-type]
        )
        result = session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0)
