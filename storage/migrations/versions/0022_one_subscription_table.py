"""One subscription table for every kind of scheduled post

The weekly digest's channel subscriptions (`digestsubscription`) and the monthly review
report's (`reviewreportsubscription`) had the same columns under two tables. They become one,
`subscription`, typed by `kind` ('digest', 'review report'), with the digest's own settings
(weekdays, seller keys, sections) in their columns, empty for the monthly report.

Every row moves with its meaning. A digest subscription keeps its id, so its runs
(`digestrun`, one per subscription and period) still point to it; a review report
subscription's id is shifted past the digest ones, and its posts (`reviewreportpost`, one per
subscription and month) are shifted with it, so no period or month posted before is claimed
again. A monthly report cut off in the middle of its Slack call just before the upgrade keeps
the marker it was posted under (`reviewreportpost.marker`, built from the old id), so its
takeover finds it in the channel rather than posting it again. The SQL is this migration's
own: it reads no module of today's `storage`.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_UTC = sqlmodel.sql.sqltypes.UTCDateTime
# SQLite keeps foreign keys unnamed; batch mode names them by this convention.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
POSTS = ("digestrun", "reviewreportpost")  # each with a subscription_id
SHARED = (
    "team_id, channel_id, channel_name, post_time, timezone, category, created_by, status, "
    "last_error, created_at, active_since"
)


def _subscription_keys(table: str) -> list[str]:
    """The foreign keys of the table's subscription_id, as batch mode will call them."""
    return [
        fk["name"] or f"fk_{table}_subscription_id_{fk['referred_table']}"
        for fk in sa.inspect(op.get_bind()).get_foreign_keys(table)
        if fk["constrained_columns"] == ["subscription_id"]
    ]


def _drop_subscription_keys() -> None:
    for table in POSTS:
        names = _subscription_keys(table)
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            for name in names:
                batch_op.drop_constraint(name, type_="foreignkey")


def _add_subscription_keys(targets: dict[str, str]) -> None:
    for table, target in targets.items():
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            batch_op.create_foreign_key(
                f"{table}_subscription_id_fkey",
                target,
                ["subscription_id"],
                ["id"],
                ondelete="CASCADE",
            )


def _shift_posts(table: str, by: int) -> None:
    """Add `by` to the posts' subscription ids; through negative ids, so no step collides
    with the unique (subscription_id, …) key on PostgreSQL, which checks it row by row."""
    op.execute(
        sa.text(f"UPDATE {table} SET subscription_id = -(subscription_id + :by)").bindparams(by=by)
    )
    op.execute(sa.text(f"UPDATE {table} SET subscription_id = -subscription_id"))


def _restart_ids(table: str) -> None:
    """Rows were inserted with their ids: PostgreSQL's sequence goes on after the largest."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def upgrade() -> None:
    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("kind", _TEXT(length=16), nullable=False),
        sa.Column("channel_id", _TEXT(length=32), nullable=False),
        sa.Column("channel_name", _TEXT(length=80), nullable=False),
        sa.Column("post_time", _TEXT(length=5), nullable=False),
        sa.Column("timezone", _TEXT(length=64), nullable=False),
        sa.Column("category", _TEXT(length=100), nullable=True),
        sa.Column("created_by", _TEXT(length=32), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("last_error", _TEXT(length=500), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("active_since", _UTC(), nullable=False),
        sa.Column("weekdays", _TEXT(length=32), nullable=False),
        sa.Column("seller_keys", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "kind", "channel_id", name="uq_subscription_channel"),
    )
    op.create_index(op.f("ix_subscription_team_id"), "subscription", ["team_id"])
    bind = op.get_bind()
    shift = int(
        bind.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM digestsubscription")).one()[0]
    )
    op.execute(
        f"INSERT INTO subscription (id, kind, {SHARED}, weekdays, seller_keys, sections) "
        f"SELECT id, 'digest', {SHARED}, weekdays, seller_keys, sections FROM digestsubscription"
    )
    op.execute(
        sa.text(
            f"INSERT INTO subscription (id, kind, {SHARED}, weekdays, seller_keys, sections) "
            f"SELECT id + :shift, 'review report', {SHARED}, '', '[]', '[]' "
            "FROM reviewreportsubscription"
        ).bindparams(shift=shift)
    )
    _restart_ids("subscription")
    _keep_markers_of_posts_in_flight(bind)
    _drop_subscription_keys()
    _shift_posts("reviewreportpost", shift)
    _add_subscription_keys({"digestrun": "subscription", "reviewreportpost": "subscription"})
    op.drop_index("ix_reviewreportsubscription_team_id", table_name="reviewreportsubscription")
    op.drop_table("reviewreportsubscription")
    op.drop_index(op.f("ix_digestsubscription_team_id"), table_name="digestsubscription")
    op.drop_table("digestsubscription")


def _keep_markers_of_posts_in_flight(bind: sa.engine.Connection) -> None:
    """A monthly report whose Slack call had started (posting, or retrying after a timeout)
    may be in its channel under a marker built from its subscription's id, which this
    migration changes: the report keeps that marker, so the takeover looks for it there and
    does not post it again."""
    op.add_column("reviewreportpost", sa.Column("marker", _TEXT(length=80), nullable=True))
    posts = sa.table(
        "reviewreportpost",
        sa.column("id", sa.Integer()),
        sa.column("subscription_id", sa.Integer()),
        sa.column("month", sa.Date()),
        sa.column("status", _TEXT(length=16)),
        sa.column("posting_at", _UTC()),
        sa.column("marker", _TEXT(length=80)),
    )
    in_flight = bind.execute(
        sa.select(posts.c.id, posts.c.subscription_id, posts.c.month).where(
            posts.c.posting_at.is_not(None), posts.c.status != "posted"
        )
    ).all()
    for post_id, subscription_id, month in in_flight:
        marker = f"shopbot-review-report-{subscription_id}-{month:%Y-%m}"
        bind.execute(posts.update().where(posts.c.id == post_id).values(marker=marker))


def downgrade() -> None:
    with op.batch_alter_table("reviewreportpost") as batch:
        batch.drop_column("marker")
    op.create_table(
        "digestsubscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("channel_id", _TEXT(length=32), nullable=False),
        sa.Column("weekdays", _TEXT(length=32), nullable=False),
        sa.Column("post_time", _TEXT(length=5), nullable=False),
        sa.Column("timezone", _TEXT(length=64), nullable=False),
        sa.Column("category", _TEXT(length=100), nullable=True),
        sa.Column("seller_keys", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("created_by", _TEXT(length=32), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("last_error", _TEXT(length=500), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("channel_name", _TEXT(length=80), nullable=False, server_default=""),
        sa.Column(
            "active_since",
            _UTC(),
            nullable=False,
            server_default=sa.text("CURRENT_TIMESTAMP"),
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_digest_channel"),
    )
    op.create_index(op.f("ix_digestsubscription_team_id"), "digestsubscription", ["team_id"])
    op.create_table(
        "reviewreportsubscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", _TEXT(length=32), nullable=False),
        sa.Column("channel_id", _TEXT(length=32), nullable=False),
        sa.Column("channel_name", _TEXT(length=80), nullable=False),
        sa.Column("post_time", _TEXT(length=5), nullable=False),
        sa.Column("timezone", _TEXT(length=64), nullable=False),
        sa.Column("category", _TEXT(length=100), nullable=True),
        sa.Column("created_by", _TEXT(length=32), nullable=False),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("last_error", _TEXT(length=500), nullable=True),
        sa.Column("created_at", _UTC(), nullable=False),
        sa.Column("active_since", _UTC(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "channel_id", name="uq_review_report_channel"),
    )
    op.create_index("ix_reviewreportsubscription_team_id", "reviewreportsubscription", ["team_id"])
    # Ids stay as they are: each table gets its kind's rows, whose ids never collide.
    op.execute(
        f"INSERT INTO digestsubscription (id, {SHARED}, weekdays, seller_keys, sections) "
        f"SELECT id, {SHARED}, weekdays, seller_keys, sections FROM subscription "
        "WHERE kind = 'digest'"
    )
    op.execute(
        f"INSERT INTO reviewreportsubscription (id, {SHARED}) "
        f"SELECT id, {SHARED} FROM subscription WHERE kind = 'review report'"
    )
    _restart_ids("digestsubscription")
    _restart_ids("reviewreportsubscription")
    _drop_subscription_keys()
    _add_subscription_keys(
        {"digestrun": "digestsubscription", "reviewreportpost": "reviewreportsubscription"}
    )
    op.drop_index(op.f("ix_subscription_team_id"), table_name="subscription")
    op.drop_table("subscription")
