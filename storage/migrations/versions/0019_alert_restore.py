"""Removed alert rules are kept for 30 days, so an admin can restore them

`/alert remove` deleted the rule at once, its firings with it. A removed rule is now marked
(deleted_at, deleted_by) like a deleted note or review: it stops firing and leaves every list,
keeps its number, and is purged for good after 30 days. Nullable columns: every existing rule
stays as it is.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alertrule") as batch:
        batch.add_column(
            sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch.add_column(
            sa.Column("deleted_by", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )


def downgrade() -> None:
    # The removed rules would come back on a schema that cannot tell them apart.
    op.execute(sa.text("DELETE FROM alertrule WHERE deleted_at IS NOT NULL"))
    with op.batch_alter_table("alertrule") as batch:
        batch.drop_column("deleted_by")
        batch.drop_column("deleted_at")
