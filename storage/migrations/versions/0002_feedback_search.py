"""feedback search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Creator figures from the Affiliate Center import, the follow-up reminder claim, the indexes the
feedback lists use, and full-text search over notes. Search is dialect-specific and invisible to
the models (storage.note_search.include_name keeps autogenerate from dropping it):

- SQLite: an FTS5 table over feedbacknote (external content, so the text is stored once), kept
  in step by triggers. A future batch migration that recreates feedbacknote drops these
  triggers with the table: recreate them there.
- PostgreSQL: a stored generated tsvector column with a GIN index.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FTS_COLUMNS = "text, topic, tags"
SQLITE_SEARCH = [
    f"""CREATE VIRTUAL TABLE feedbacknote_fts USING fts5(
        {_FTS_COLUMNS}, content='feedbacknote', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER feedbacknote_fts_insert AFTER INSERT ON feedbacknote BEGIN
        INSERT INTO feedbacknote_fts(rowid, {_FTS_COLUMNS})
        VALUES (new.id, new.text, new.topic, new.tags);
    END""",
    f"""CREATE TRIGGER feedbacknote_fts_delete AFTER DELETE ON feedbacknote BEGIN
        INSERT INTO feedbacknote_fts(feedbacknote_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.text, old.topic, old.tags);
    END""",
    f"""CREATE TRIGGER feedbacknote_fts_update AFTER UPDATE OF {_FTS_COLUMNS} ON feedbacknote
    BEGIN
        INSERT INTO feedbacknote_fts(feedbacknote_fts, rowid, {_FTS_COLUMNS})
        VALUES ('delete', old.id, old.text, old.topic, old.tags);
        INSERT INTO feedbacknote_fts(rowid, {_FTS_COLUMNS})
        VALUES (new.id, new.text, new.topic, new.tags);
    END""",
    "INSERT INTO feedbacknote_fts(feedbacknote_fts) VALUES ('rebuild')",
]
POSTGRESQL_SEARCH = [
    """ALTER TABLE feedbacknote ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('english'::regconfig,
            coalesce(text, '') || ' ' || coalesce(topic, '') || ' ' || coalesce(tags::text, ''))
    ) STORED""",
    "CREATE INDEX ix_feedbacknote_search ON feedbacknote USING GIN (search_vector)",
]


def upgrade() -> None:
    with op.batch_alter_table("creator", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gmv_cents", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("orders", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("videos", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("samples_shipped", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("est_commission_cents", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("figures_updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )

    with op.batch_alter_table("feedbacknote", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("follow_up_reminded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "ix_feedback_author_created", ["team_id", "author_user_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_feedback_follow_up", ["team_id", "follow_up_on"], unique=False)
        batch_op.create_index("ix_feedback_team_created", ["team_id", "created_at"], unique=False)

    dialect = op.get_bind().dialect.name
    for statement in SQLITE_SEARCH if dialect == "sqlite" else POSTGRESQL_SEARCH:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS feedbacknote_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS feedbacknote_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_feedbacknote_search")
        op.execute("ALTER TABLE feedbacknote DROP COLUMN IF EXISTS search_vector")

    with op.batch_alter_table("feedbacknote", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_team_created")
        batch_op.drop_index("ix_feedback_follow_up")
        batch_op.drop_index("ix_feedback_author_created")
        batch_op.drop_column("follow_up_reminded_at")

    with op.batch_alter_table("creator", schema=None) as batch_op:
        batch_op.drop_column("figures_updated_at")
        batch_op.drop_column("est_commission_cents")
        batch_op.drop_column("samples_shipped")
        batch_op.drop_column("videos")
        batch_op.drop_column("orders")
        batch_op.drop_column("gmv_cents")
