"""Full-text search over notes (creator feedback notes and seller notes): SQLite FTS5 or
PostgreSQL tsvector, ranked.

The search index lives outside the models (migrations 0002 and 0012 create it): per notes table,
an FTS5 table `<table>_fts` with its shadow tables on SQLite, a generated `search_vector` column
with a GIN index `ix_<table>_search` on PostgreSQL.
`include_name` tells Alembic's comparison to leave those alone, so autogenerate never proposes
dropping them and the schema test compares only what the models declare.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

NOTE_TABLES = ("feedbacknote", "sellernote")
PG_COLUMN = "search_vector"
_FTS_TABLES = tuple(f"{table}_fts" for table in NOTE_TABLES)
_PG_INDEXES = {f"ix_{table}_search" for table in NOTE_TABLES}
MAX_WORDS = 12
_WORD = re.compile(r"\w+", re.UNICODE)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic filter: False for the search objects that only migrations know about."""
    if type_ == "table" and name is not None:
        return not name.startswith(_FTS_TABLES)
    if type_ == "column":
        return name != PG_COLUMN
    if type_ == "index":
        return name not in _PG_INDEXES
    return True


def search_words(query: str) -> list[str]:
    """The words of a search, without the punctuation that means syntax to either engine."""
    return _WORD.findall(query)[:MAX_WORDS]


def _fts5_query(words: list[str]) -> str:
    # Every word quoted: FTS5 then reads it as a plain token, never as an operator or column.
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


_SQLITE = {
    table: text(f"""
    SELECT n.id FROM {table}_fts AS f JOIN {table} AS n ON n.id = f.rowid
    WHERE {table}_fts MATCH :query AND n.team_id = :team_id AND n.deleted_at IS NULL
    ORDER BY f.rank, n.created_at DESC, n.id DESC
    LIMIT :limit OFFSET :offset
""")
    for table in NOTE_TABLES
}
_POSTGRESQL = {
    table: text(f"""
    SELECT n.id FROM {table} AS n, plainto_tsquery('english', :query) AS q
    WHERE n.{PG_COLUMN} @@ q AND n.team_id = :team_id AND n.deleted_at IS NULL
    ORDER BY ts_rank(n.{PG_COLUMN}, q) DESC, n.created_at DESC, n.id DESC
    LIMIT :limit OFFSET :offset
""")
    for table in NOTE_TABLES
}


def ranked_note_ids(
    connection: Connection,
    team_id: str,
    words: list[str],
    limit: int,
    offset: int = 0,
    *,
    table: str = "feedbacknote",
) -> list[int]:
    """IDs of the team's live notes matching every word, best match first; `table` is one of
    NOTE_TABLES."""
    if not words:
        return []
    params = {"team_id": team_id, "limit": limit, "offset": offset}
    if connection.dialect.name == "sqlite":
        statement, query = _SQLITE[table], _fts5_query(words)
    else:
        statement, query = _POSTGRESQL[table], " ".join(words)
    return [int(row[0]) for row in connection.execute(statement, {**params, "query": query})]
