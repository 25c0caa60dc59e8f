"""Feedback notes about creators, and their revisions."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

import storage.creators.models  # noqa: F401  (the table its foreign keys name)
from storage.columns import NoteColumns, RevisionColumns, _json_list, table_of


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class FeedbackNote(NoteColumns, table=True):
    """A note about a creator written by a creator manager.

    Full-text search runs on an index the models do not declare (SQLite FTS5 table
    `feedbacknote_fts`, PostgreSQL column `search_vector`): see storage.note_search.
    """

    __table_args__ = (
        Index("ix_feedbacknote_team_id", "team_id"),
        UniqueConstraint("team_id", "client_key"),
        Index("ix_feedback_creator_created", "team_id", "creator_id", "created_at"),
        # Also carries what a creator's note sentiment reads, so matchmaking's read of the
        # recent notes needs no row of the table.
        Index(
            "ix_feedback_team_created",
            "team_id",
            "created_at",
            "creator_id",
            "sentiment",
            "deleted_at",
        ),
        Index("ix_feedback_author_created", "team_id", "author_user_id", "created_at"),
        Index("ix_feedback_follow_up", "team_id", "follow_up_on"),
    )

    creator_id: int = Field(foreign_key="creator.id", ondelete="CASCADE")
    topic: str = Field(default="general", max_length=32)
    sentiment: str = Field(default=Sentiment.NEUTRAL, max_length=16)


FEEDBACK_NOTE_TABLE = table_of(FeedbackNote)


class FeedbackNoteRevision(RevisionColumns, table=True):
    """The text of a note before an edit."""

    __table_args__ = (Index("ix_feedbacknoterevision_team_id", "team_id"),)

    note_id: int = Field(foreign_key="feedbacknote.id", ondelete="CASCADE", index=True)
    text: str = Field(max_length=4000)
    topic: str = Field(max_length=32)
    sentiment: str = Field(max_length=16)
    tags: list[str] = _json_list()


FEEDBACK_NOTE_REVISION_TABLE = table_of(FeedbackNoteRevision)
