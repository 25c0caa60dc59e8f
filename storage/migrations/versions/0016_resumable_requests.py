"""Requests kept while their work runs, so that work cut off by a restart is done again

Slack does not deliver again an event or a slash command the app has acknowledged, so work
that a restart cut off after the acknowledgement was lost. The claim now keeps the request
until its work is done; a worker gone or a lease run out leaves it to be resumed.

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processedslackevent") as batch:
        batch.add_column(sa.Column("request", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processedslackevent") as batch:
        batch.drop_column("request")
