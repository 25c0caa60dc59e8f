"""Event claims: who claimed an event, when, and when its work finished

An event was recorded as handled before its listener ran, so one cut off mid-work was skipped
when Slack delivered it again. Now it is claimed (worker, claimed_at) and marked finished when
its work is done. The events recorded before this were handled the old way: finished.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processedslackevent") as batch:
        batch.add_column(
            sa.Column(
                "worker",
                sqlmodel.sql.sqltypes.AutoString(length=160),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime()))
        batch.add_column(sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime()))
    events = sa.table(
        "processedslackevent",
        sa.column("received_at"),
        sa.column("claimed_at"),
        sa.column("finished_at"),
    )
    op.get_bind().execute(
        events.update().values(claimed_at=events.c.received_at, finished_at=events.c.received_at)
    )
    with op.batch_alter_table("processedslackevent") as batch:
        batch.alter_column("worker", server_default=None)
        batch.alter_column(
            "claimed_at", existing_type=sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("processedslackevent") as batch:
        batch.drop_column("finished_at")
        batch.drop_column("claimed_at")
        batch.drop_column("worker")
