"""Creator performance snapshots: dated Affiliate Center figures, overall and per category.

Every import adds a snapshot per creator and category for its day (a second import of the same
day updates it); `latest` marks each creator's newest snapshot per category, which is what
matchmaking and `/creator levels` read, so they never scan the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.matchmaking.models import CREATOR_PERFORMANCE_TABLE, CreatorPerformance

# What a snapshot holds besides its keys, as the importer and the demo fill them in.
FIGURES = (
    "gmv_cents",
    "orders",
    "items_sold",
    "live_gpm_cents",
    "video_gpm_cents",
    "engagement_rate",
    "followers",
    "samples_shipped",
    "posts_after_samples",
    "response_rate",
    "content_types",
)
Pair = tuple[int, str]  # (creator id, category key)


def save_snapshots(session: Session, team_id: str, snapshots: Sequence[dict[str, Any]]) -> int:
    """Insert or update snapshots, each a dict with `creator_id`, `category`, `category_key`,
    `as_of` and any of FIGURES; keeps `latest` right. Returns how many were new."""
    if not snapshots:
        return 0
    table = CreatorPerformance
    days = sorted({s["as_of"] for s in snapshots})
    same_day = {
        (creator_id, key, day): row_id
        for row_id, creator_id, key, day in session.connection().execute(
            sa_select(
                CREATOR_PERFORMANCE_TABLE.c.id,
                CREATOR_PERFORMANCE_TABLE.c.creator_id,
                CREATOR_PERFORMANCE_TABLE.c.category_key,
                CREATOR_PERFORMANCE_TABLE.c.as_of,
            ).where(
                CREATOR_PERFORMANCE_TABLE.c.team_id == team_id,
                CREATOR_PERFORMANCE_TABLE.c.as_of.in_(days),
            )
        )
    }
    newest: dict[Pair, date] = {
        (creator_id, key): day
        for creator_id, key, day in session.connection().execute(
            sa_select(
                CREATOR_PERFORMANCE_TABLE.c.creator_id,
                CREATOR_PERFORMANCE_TABLE.c.category_key,
                func.max(CREATOR_PERFORMANCE_TABLE.c.as_of),
            )
            .where(CREATOR_PERFORMANCE_TABLE.c.team_id == team_id)
            .group_by(
                CREATOR_PERFORMANCE_TABLE.c.creator_id, CREATOR_PERFORMANCE_TABLE.c.category_key
            )
        )
    }
    file_newest: dict[Pair, date] = {}
    for s in snapshots:
        pair = (s["creator_id"], s["category_key"])
        file_newest[pair] = max(s["as_of"], file_newest.get(pair, s["as_of"]))
    superseded = [
        {"c": pair[0], "k": pair[1], "d": day}
        for pair, day in file_newest.items()
        if pair in newest and day > newest[pair]
    ]
    if superseded:
        session.connection().execute(  # a Core executemany, not an ORM bulk update
            update(CREATOR_PERFORMANCE_TABLE)
            .where(
                CREATOR_PERFORMANCE_TABLE.c.team_id == team_id,
                CREATOR_PERFORMANCE_TABLE.c.creator_id == bindparam("c"),
                CREATOR_PERFORMANCE_TABLE.c.category_key == bindparam("k"),
                CREATOR_PERFORMANCE_TABLE.c.as_of < bindparam("d"),
                CREATOR_PERFORMANCE_TABLE.c.latest.is_(True),
            )
            .values(latest=False),
            superseded,
        )
    new_rows, changed = [], []
    for s in snapshots:
        pair = (s["creator_id"], s["category_key"])
        row_id = same_day.get((*pair, s["as_of"]))
        newest_day = max(file_newest[pair], newest.get(pair, file_newest[pair]))
        values = {f: s.get(f) for f in FIGURES} | {"content_types": s.get("content_types") or ""}
        if row_id is None:
            new_rows.append(
                {
                    "team_id": team_id,
                    "creator_id": s["creator_id"],
                    "category": s["category"],
                    "category_key": s["category_key"],
                    "as_of": s["as_of"],
                    "latest": s["as_of"] == newest_day,
                    **values,
                }
            )
        else:
            changed.append({"id": row_id, **values})
    if new_rows:
        session.execute(insert(table), new_rows)
    if changed:
        session.execute(update(table), changed)
    return len(new_rows)


def snapshot_history(
    session: Session, creator_id: int, category_key: str = ""
) -> list[CreatorPerformance]:
    """A creator's snapshots in one category (overall by default), oldest first: the trend."""
    statement = (
        select(CreatorPerformance)
        .where(
            CreatorPerformance.creator_id == creator_id,
            CreatorPerformance.category_key == category_key,
        )
        .order_by(col(CreatorPerformance.as_of))
    )
    return list(session.exec(statement).all())
