"""Side effects kept under their request's key, and the tries of resumed work

Work cut off after its acknowledgement is resumed on restart, and did its effects again: a
second alert rule, a second workbook by DM. Each effect a request makes (a rule, a post, an
upload, a DM) is now kept under the request's key, so a resumed or repeated request finds it.
And resumed work counts its tries, so a request that kills its worker every time is dropped
after the last one instead of being resumed at every start.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sideeffect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("request_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("effect", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "request_key", "effect"),
    )
    with op.batch_alter_table("processedslackevent") as batch:
        batch.add_column(sa.Column("tries", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("processedslackevent") as batch:
        batch.drop_column("tries")
    op.drop_table("sideeffect")
