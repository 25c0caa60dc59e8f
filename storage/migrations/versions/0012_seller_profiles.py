"""seller profiles, their change history, and seller notes

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

The seller registry gains tier, programs, tags and contacts; every change to a profile is kept
(`sellerchange`); notes record each contact with a seller (`sellernote`, with revisions), and are
searched like creator notes (storage.note_search): an FTS5 table kept by triggers on SQLite,
a generated tsvector column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_FTS_COLUMNS = "text, tags"
SQLITE_SEARCH = [
    f"""CREATE VIRTUAL TABLE sellernote_fts USING fts5(
        {_FTS_COLUMNS}, content='sellernote', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER sellernote_fts_insert AFTER INSERT ON sellernote BEGIN
        INSERT INTO sellernote_fts(rowid, {_FTS_COLUMNS}) VALUES (new.id, new.text, new.tags);
    END""",
    f"""CREATE TRIGGER sellernote_fts_delete AFTER DELETE ON sellernote BEGIN
        INSERT INTO sellernote_fts(sellernote_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.text, old.tags);
    END""",
    f"""CREATE TRIGGER sellernote_fts_update AFTER UPDATE OF {_FTS_COLUMNS} ON sellernote
    BEGIN
        INSERT INTO sellernote_fts(sellernote_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.text, old.tags);
        INSERT INTO sellernote_fts(rowid, {_FTS_COLUMNS}) VALUES (new.id, new.text, new.tags);
    END""",
]
POSTGRESQL_SEARCH = [
    """ALTER TABLE sellernote ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig, coalesce(text, '') || ' ' || coalesce(tags::text, ''))
    ) STORED""",
    "CREATE INDEX ix_sellernote_search ON sellernote USING GIN (search_vector)",
]


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("seller", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tier", _string(16), nullable=False, server_default=""))
        for name in ("programs", "tags", "contacts"):
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="[]"))

    op.create_table(
        "sellerchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _string(32), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("changed_by", _string(32), nullable=False),
        sa.Column("source", _string(16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_seller_change_seller", "sellerchange", ["team_id", "seller_id", "changed_at"]
    )

    op.create_table(
        "sellernote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _string(32), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", _string(32), nullable=False),
        sa.Column("text", _string(4000), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("follow_up_done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("follow_up_reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("source_url", _string(500), nullable=True),
        sa.Column("client_key", _string(128), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deleted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("deleted_by", _string(32), nullable=True),
        sa.ForeignKeyConstraint(["seller_id"], ["seller.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "client_key", name="uq_sellernote_client_key"),
    )
    op.create_index("ix_sellernote_follow_up", "sellernote", ["team_id", "follow_up_on"])
    op.create_index(
        "ix_sellernote_team_created",
        "sellernote",
        ["team_id", "created_at", "seller_id", "deleted_at"],
    )
    op.create_index(
        "ix_sellernote_seller_created",
        "sellernote",
        ["team_id", "seller_id", "created_at", "deleted_at"],
    )

    op.create_table(
        "sellernoterevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _string(32), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("text", _string(4000), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("edited_by", _string(32), nullable=False),
        sa.Column("edited_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["sellernote.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sellernoterevision_note_id", "sellernoterevision", ["note_id"])

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRESQL_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS sellernote_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS sellernote_fts")
    op.drop_table("sellernoterevision")
    op.drop_table("sellernote")
    op.drop_table("sellerchange")
    with op.batch_alter_table("seller", schema=None) as batch_op:
        for name in ("contacts", "tags", "programs", "tier"):
            batch_op.drop_column(name)
