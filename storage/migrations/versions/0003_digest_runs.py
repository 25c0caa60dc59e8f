"""digest runs

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22

Scheduled digests: one subscription per channel (with the channel's name, for lists and the
command line, and the moment it became active, before which no slot is caught up), and each
run's progress (when it was due, the week it shows, when its visible Slack call started, who
asked for a manual send, the files it posted). Branches from 0001 beside the feedback
migration; all heads are applied.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults fill the rows that exist already; new rows get the models' defaults.
    with op.batch_alter_table("digestrun", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("slot_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("week_start", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("posting_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch_op.add_column(
            sa.Column("file_ids", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )

    with op.batch_alter_table("digestsubscription", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "channel_name",
                sqlmodel.sql.sqltypes.AutoString(length=80),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "active_since",
                sqlmodel.sql.sqltypes.UTCDateTime(),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )
        batch_op.create_unique_constraint("uq_digest_channel", ["team_id", "channel_id"])


def downgrade() -> None:
    with op.batch_alter_table("digestsubscription", schema=None) as batch_op:
        batch_op.drop_constraint("uq_digest_channel", type_="unique")
        batch_op.drop_column("active_since")
        batch_op.drop_column("channel_name")

    with op.batch_alter_table("digestrun", schema=None) as batch_op:
        batch_op.drop_column("file_ids")
        batch_op.drop_column("requested_by")
        batch_op.drop_column("posting_at")
        batch_op.drop_column("week_start")
        batch_op.drop_column("slot_at")
