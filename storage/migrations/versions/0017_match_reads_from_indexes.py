"""Matchmaking's reads of sellers' recent weeks and of recent note sentiment from indexes alone

Ranking sellers for a creator works out every active seller's AOV from their last four weeks,
and ranking creators for a seller reads the team's recent note sentiment. Both read keys that
lead with the week or the day, but fetched each row for its figures; the weekly figures get an
index that carries GMV and orders, and the notes' team-and-day index now carries the creator,
the sentiment and whether the note was deleted.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("weeklysellerkpi", schema=None) as batch_op:
        batch_op.create_index(
            "ix_weekly_seller_sums",
            ["team_id", "week", "seller_id", "gmv_cents", "orders"],
            unique=False,
        )
    with op.batch_alter_table("feedbacknote", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_team_created")
        batch_op.create_index(
            "ix_feedback_team_created",
            ["team_id", "created_at", "creator_id", "sentiment", "deleted_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("feedbacknote", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_team_created")
        batch_op.create_index("ix_feedback_team_created", ["team_id", "created_at"], unique=False)
    with op.batch_alter_table("weeklysellerkpi", schema=None) as batch_op:
        batch_op.drop_index("ix_weekly_seller_sums")
