"""Alert rules numbered for good within their workspace

An alert's number was its place in `/alert list`, so removing one renumbered the rest and a
number printed in an earlier post named another rule. Each rule now keeps the number it was
given, and each workspace keeps the last number it gave, so a removed rule's number is never
given again. Existing rules are numbered in the order `/alert list` showed them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

INDEX = "ix_alertrule_team_number"
_rules = sa.table(
    "alertrule",
    sa.column("id", sa.Integer()),
    sa.column("team_id", sa.String()),
    sa.column("number", sa.Integer()),
)
_counters = sa.table(
    "alertnumbers",
    sa.column("team_id", sa.String()),
    sa.column("last", sa.Integer()),
)


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "alertnumbers",
        sa.Column("team_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id"),
    )
    # SQLite adds a NOT NULL column only with a default, and keeps it (dropping it would copy
    # the table); every insert gives the number anyway. PostgreSQL drops it once filled.
    op.add_column(
        "alertrule", sa.Column("number", sa.Integer(), nullable=False, server_default="0")
    )
    found = bind.execute(
        sa.select(_rules.c.id, _rules.c.team_id).order_by(_rules.c.team_id, _rules.c.id)
    ).all()
    given: Counter[str] = Counter()
    numbers = []
    for rule_id, team_id in found:
        given[team_id] += 1
        numbers.append({"rule_id": rule_id, "number": given[team_id]})
    if numbers:
        bind.execute(
            _rules.update()
            .where(_rules.c.id == sa.bindparam("rule_id"))
            .values(number=sa.bindparam("number")),
            numbers,
        )
        bind.execute(
            _counters.insert(), [{"team_id": t, "last": last} for t, last in given.items()]
        )
    if bind.dialect.name != "sqlite":
        op.alter_column("alertrule", "number", server_default=None)
    op.create_index(INDEX, "alertrule", ["team_id", "number"], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="alertrule")
    with op.batch_alter_table("alertrule") as batch:
        batch.drop_column("number")
    op.drop_table("alertnumbers")
