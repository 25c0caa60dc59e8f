"""Full-text search over feedback notes: SQLite FTS5 or PostgreSQL tsvector, ranked.

The search index lives outside the models (migration 0002 creates it): an FTS5 table with its
shadow tables on SQLite, a generated `search_vector` column with a GIN index on PostgreSQL.
`include_name` tells Alembic's comparison to leave those alone, so autogenerate never proposes
dropping them and the schema test compares only what the models declare.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

FTS_TABLE = "feedbacknote_fts"
PG_COLUMN = "search_vector"
PG_INDEX = "ix_feedbacknote_search"
MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic filter: False for the search objects that only migrations know about."""
    if type_ == "table" and name is not None:
        return not name.startswith(FTS_TABLE)
    if type_ == "column":
        return name != PG_COLUMN
    if type_ == "index":
        return name != PG_INDEX
    return True


def search_words(query: str) -> list[str]:
    """The words of a search, without the punctuation that means syntax to either engine."""
    return _WORD.findall(query)[:MAX_WORDS]


def _fts5_query(words: list[str]) -> str:
    # Every word quoted: FTS5 then reads it as a plain token, never as an operator or column.
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


_SQLITE = text(f"""
    SELECT n.id FROM {FTS_TABLE} AS f JOIN feedbacknote AS n ON n.id = f.rowid
    WHERE {FTS_TABLE} MATCH :query AND n.team_id = :team_id AND n.deleted_at IS NULL
    ORDER BY f.rank, n.created_at DESC, n.id DESC
    LIMIT :limit OFFSET :offset
""")
_POSTGRESQL = text(f"""
    SELECT n.id FROM feedbacknote AS n, plainto_tsquery('english', :query) AS q
    WHERE n.{PG_COLUMN} @@ q AND n.team_id = :team_id AND n.deleted_at IS NULL
    ORDER BY ts_rank(n.{PG_COLUMN}, q) DESC, n.created_at DESC, n.id DESC
    LIMIT :limit OFFSET :offset
""")


def ranked_note_ids(
    connection: Connection, team_id: str, words: list[str], limit: int, offset: int = 0
) -> list[int]:
    """IDs of the team's live notes matching every word, best match first."""
    if not words:
        return []
    params = {"team_id": team_id, "limit": limit, "offset": offset}
    if connection.dialect.name == "sqlite":
        statement, query = _SQLITE, _fts5_query(words)
    else:
        statement, query = _POSTGRESQL, " ".join(words)
    return [int(row[0]) for row in connection.execute(statement, {**params, "query": query})]
