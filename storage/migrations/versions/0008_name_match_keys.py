"""Stored match keys for seller and creator names (NFKC and full case folding)

SQLite's lower() folds only ASCII, so `Ökoladen` could not be found as `ökoladen`. Names are
now compared on a key computed in Python (storage.names.match_key), stored beside the name and
indexed for the seller lookup. Existing rows get their keys here, computed as match_key did at
this revision (frozen below).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

KEYED = (("seller", "name"), ("creator", "display_name"))


def match_key(name: str) -> str:
    """The form two names share when a person would call them the same."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    # casefold can produce sequences that NFKC composes again (e.g. ǰ → ǰ)
    return " ".join(unicodedata.normalize("NFKC", folded).split())


def upgrade() -> None:
    for table, _source in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(
                    "name_key",
                    sqlmodel.sql.sqltypes.AutoString(length=200),
                    nullable=False,
                    server_default="",
                )
            )
        with op.batch_alter_table(table) as batch:
            batch.alter_column("name_key", server_default=None)
    bind = op.get_bind()
    for table, source in KEYED:
        rows = sa.table(table, sa.column("id"), sa.column(source), sa.column("name_key"))
        keys = [
            {"row_id": row_id, "key": match_key(name or "")}
            for row_id, name in bind.execute(sa.select(rows.c.id, rows.c[source]))
        ]
        if keys:
            bind.execute(
                rows.update()
                .where(rows.c.id == sa.bindparam("row_id"))
                .values(name_key=sa.bindparam("key")),
                keys,
            )
    op.create_index("ix_seller_team_name_key", "seller", ["team_id", "name_key"])


def downgrade() -> None:
    op.drop_index("ix_seller_team_name_key", table_name="seller")
    for table, _source in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("name_key")
