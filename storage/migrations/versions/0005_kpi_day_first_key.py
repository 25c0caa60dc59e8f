"""Seller-days keyed day first, without per-row foreign-key checks, for fast bulk imports

Imports write seller-days a day at a time. Keyed (team, day, seller), each new day's rows are
appended at the end of the unique index, which also serves the day-range scans that
ix_kpi_team_day served. The foreign keys made the database look up a seller and an import
batch for every row written (more than half of a large import's time on PostgreSQL); the rows
come from importers that find or create their sellers before writing their days, and sellers
and import batches are never deleted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "dailysellerkpi"
NEW_KEY = "uq_kpi_team_day_seller"
# SQLite keeps these constraints unnamed; batch mode names them by this convention.
NAMING = {
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s_%(column_1_name)s_%(column_2_name)s",
}


def _constraint_names(kind: str) -> list[str]:
    """The foreign keys or unique constraints of the table, as batch mode will call them."""
    inspector = sa.inspect(op.get_bind())
    if kind == "foreignkey":
        found = inspector.get_foreign_keys(TABLE)
        return [
            fk["name"] or f"fk_{TABLE}_{fk['constrained_columns'][0]}_{fk['referred_table']}"
            for fk in found
        ]
    return [
        uq["name"] or f"uq_{TABLE}_{'_'.join(uq['column_names'])}"
        for uq in inspector.get_unique_constraints(TABLE)
        if uq["column_names"] == ["team_id", "seller_id", "day"]
    ]


def upgrade() -> None:
    foreign_keys, old_keys = _constraint_names("foreignkey"), _constraint_names("unique")
    with op.batch_alter_table(TABLE, naming_convention=NAMING) as batch_op:
        for name in foreign_keys:
            batch_op.drop_constraint(name, type_="foreignkey")
        for name in old_keys:
            batch_op.drop_constraint(name, type_="unique")
        batch_op.drop_index("ix_kpi_team_day")
        batch_op.create_unique_constraint(NEW_KEY, ["team_id", "day", "seller_id"])


def downgrade() -> None:
    with op.batch_alter_table(TABLE) as batch_op:
        batch_op.drop_constraint(NEW_KEY, type_="unique")
        batch_op.create_unique_constraint(
            "dailysellerkpi_team_id_seller_id_day_key", ["team_id", "seller_id", "day"]
        )
        batch_op.create_index("ix_kpi_team_day", ["team_id", "day"])
        batch_op.create_foreign_key(
            f"{TABLE}_seller_id_fkey", "seller", ["seller_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_foreign_key(
            f"{TABLE}_import_batch_id_fkey",
            "importbatch",
            ["import_batch_id"],
            ["id"],
            ondelete="SET NULL",
        )
