"""LIVE sessions one by one: written by the LIVE sessions import, found again by reviews.

A session is keyed by its seller and start (the shop's wall-clock time, as exported): importing
the same export again updates the sessions and never adds them twice, and the reviews linked to
a session keep their link.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from storage.models import IMPORT_BATCH_TABLE
from storage.names import match_key
from storage.reviews.models import LIVE_SESSION_TABLE
from storage.sellers.models import SELLER_TABLE

WRITE_BATCH = 2_000
# A review's start time is typed by a person; the export's is to the second.
MATCH_WINDOW = timedelta(minutes=30)
# The figures a session has and a review shows, in the order they are shown.
SESSION_FIGURES: tuple[str, ...] = (
    "views",
    "peak_viewers",
    "avg_view_seconds",
    "gmv_cents",
    "orders",
    "comments",
    "new_followers",
    "product_clicks",
)
_STORED = [c.name for c in LIVE_SESSION_TABLE.columns if c.name not in ("id",)]


@dataclass(frozen=True)
class FoundSession:
    """A stored LIVE session, with the figures a review takes from it."""

    id: int
    started_at: datetime
    host_name: str
    figures: dict[str, int | None]


def upsert_sessions(
    connection: Connection, team_id: str, seller_id: int, sessions: pd.DataFrame, batch_id: int
) -> tuple[int, int]:
    """Insert or update one row per start time of `sessions` (columns: started_at and any
    figures of LiveSession); returns (new, updated). Figures missing from the frame are kept."""
    if sessions.empty:
        return 0, 0
    sessions = sessions.drop_duplicates("started_at", keep="last")
    starts = [t.to_pydatetime() for t in sessions["started_at"]]
    existing = _existing_starts(connection, team_id, seller_id, starts)
    figures = [c for c in sessions.columns if c in _STORED and c != "started_at"]
    records: list[dict[str, Any]] = []
    for values in sessions[["started_at", *figures]].itertuples(index=False):
        row = dict(zip(["started_at", *figures], values, strict=True))
        row["started_at"] = row["started_at"].to_pydatetime()
        for name in figures:
            row[name] = _stored_value(row[name])
        records.append(
            {"team_id": team_id, "seller_id": seller_id, "import_batch_id": batch_id, **row}
        )
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    for start in range(0, len(records), WRITE_BATCH):
        chunk = records[start : start + WRITE_BATCH]
        statement = insert(LIVE_SESSION_TABLE).values(chunk)
        refreshed = {name: statement.excluded[name] for name in [*figures, "import_batch_id"]}
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["team_id", "seller_id", "started_at"], set_=refreshed
            )
        )
    return len(records) - len(existing), len(existing)


def _stored_value(value: Any) -> str | int | None:
    """A frame cell as the driver takes it: text as it is, numbers as Python ints."""
    if isinstance(value, str):
        return value
    return None if pd.isna(value) else int(value)


def _existing_starts(
    connection: Connection, team_id: str, seller_id: int, starts: list[datetime]
) -> set[datetime]:
    rows = connection.execute(
        select(LIVE_SESSION_TABLE.c.started_at).where(
            LIVE_SESSION_TABLE.c.team_id == team_id,
            LIVE_SESSION_TABLE.c.seller_id == seller_id,
            LIVE_SESSION_TABLE.c.started_at.between(min(starts), max(starts)),
        )
    )
    wanted = set(starts)
    return {start for (start,) in rows if start in wanted}


def same_host(session_host: str, host_names: Collection[str]) -> bool:
    """Whether a session's host (the export's creator) is one of `host_names` (a creator's
    handle and display name, or the name typed for the seller's own host). A session whose
    export names no host, or a review that names none, cannot tell, and counts as the same."""
    wanted = {match_key(name.strip().lstrip("@")) for name in host_names if name.strip()}
    if not session_host.strip() or not wanted:
        return True
    return match_key(session_host.strip().lstrip("@")) in wanted


def session_near(
    engine: Engine,
    team_id: str,
    seller_id: int,
    started_at: datetime,
    host_names: Collection[str] = (),
) -> FoundSession | None:
    """The seller's session of the same host (`same_host`) that started closest to
    `started_at`, within half an hour: another host's stream at that time is not this one."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(LIVE_SESSION_TABLE).where(
                LIVE_SESSION_TABLE.c.team_id == team_id,
                LIVE_SESSION_TABLE.c.seller_id == seller_id,
                LIVE_SESSION_TABLE.c.started_at.between(
                    started_at - MATCH_WINDOW, started_at + MATCH_WINDOW
                ),
            )
        ).mappings()
        found = sorted(
            (r for r in rows if same_host(r["host_name"], host_names)),
            key=lambda r: abs(r["started_at"] - started_at),
        )
    if not found:
        return None
    best = found[0]
    return FoundSession(
        best["id"],
        best["started_at"],
        best["host_name"],
        {name: best[name] for name in SESSION_FIGURES},
    )


def sessions_version(engine: Engine, team_id: str) -> tuple[int, int]:
    """Changes whenever the team's sessions may have: (newest session, newest import). Both
    are read off primary keys, so asking costs next to nothing."""
    batches = IMPORT_BATCH_TABLE
    with engine.connect() as connection:
        newest = connection.execute(
            select(func.max(LIVE_SESSION_TABLE.c.id)).where(LIVE_SESSION_TABLE.c.team_id == team_id)
        ).scalar()
        imported = connection.execute(
            select(func.max(batches.c.id)).where(batches.c.team_id == team_id)
        ).scalar()
    return int(newest or 0), int(imported or 0)


@dataclass(frozen=True)
class SessionAverage:
    """The average LIVE session of a seller or a category, and what it averages: how many
    sessions of the LIVE sessions export, started between which days."""

    figures: dict[str, float | None] = field(default_factory=dict)
    sessions: int = 0
    first: date | None = None
    last: date | None = None


def average_figures(
    engine: Engine, team_id: str, *, seller_id: int | None = None, category: str | None = None
) -> SessionAverage:
    """The mean of each figure over a seller's sessions, or a category's (None where none has
    the figure). Also `product_impressions` and `likes`, for rates."""
    names = [*SESSION_FIGURES, "product_impressions", "likes", "shares"]
    statement = select(
        *(func.avg(LIVE_SESSION_TABLE.c[name]).label(name) for name in names),
        func.count().label("sessions"),
        func.min(LIVE_SESSION_TABLE.c.started_at).label("first"),
        func.max(LIVE_SESSION_TABLE.c.started_at).label("last"),
    ).where(LIVE_SESSION_TABLE.c.team_id == team_id)
    if seller_id is not None:
        statement = statement.where(LIVE_SESSION_TABLE.c.seller_id == seller_id)
    if category is not None:
        statement = statement.join(
            SELLER_TABLE, SELLER_TABLE.c.id == LIVE_SESSION_TABLE.c.seller_id
        ).where(SELLER_TABLE.c.category == category)
    with engine.connect() as connection:
        row = connection.execute(statement).mappings().one()
    return SessionAverage(
        {name: None if row[name] is None else float(row[name]) for name in names},
        int(row["sessions"]),
        row["first"].date() if row["first"] else None,
        row["last"].date() if row["last"] else None,
    )
