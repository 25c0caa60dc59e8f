"""What the creator card shows: the creator, their level history, notes and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.creators.levels import Onboarding, onboardings
from storage.creators.models import Creator, CreatorLevelChange
from storage.creators.registry import creator_by_handle, level_history
from storage.feedback.notes import (
    NoteView,
    count_notes,
    notes_about,
    open_follow_ups,
    sentiments_of,
)

RECENT_NOTES = 5
TREND_NOTES = 20


@dataclass(frozen=True)
class CreatorProfile:
    creator: Creator
    level_history: list[CreatorLevelChange]  # newest first
    recent_notes: list[NoteView]  # newest first
    sentiments: list[str]  # of the latest TREND_NOTES notes, newest first
    note_count: int
    open_follow_ups: list[NoteView]  # earliest first
    onboarding: Onboarding | None = None


def creator_profile(engine: Engine, team_id: str, handle: str) -> CreatorProfile | None:
    """The card's data for `handle`, or None when the workspace's registry lacks it."""
    with Session(engine) as session:
        creator = creator_by_handle(session, team_id, handle)
        if creator is None or creator.id is None:
            return None
        history = level_history(session, creator.id)
    _, recent = notes_about(engine, team_id, handle, RECENT_NOTES)
    return CreatorProfile(
        creator=creator,
        level_history=history,
        recent_notes=recent.notes,
        sentiments=sentiments_of(engine, team_id, creator.id, TREND_NOTES),
        note_count=count_notes(engine, team_id, creator.id),
        open_follow_ups=open_follow_ups(engine, team_id, creator_id=creator.id, limit=10),
        onboarding=next(iter(onboardings(engine, team_id, [creator.id])), None),
    )
