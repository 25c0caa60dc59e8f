"""The team's livestream review tracker (CSV or XLSX): one row per reviewed stream, the ten
criteria as columns (by label or key: `Opening hook`, `opening_hook`, `Hook`), and the stream,
notes and figures beside them. `/review export` writes this shape back.

Every column must be one the tracker has: an unknown one (a criterion spelled in a way the
scorecard does not know) refuses the file and lists the criteria. All or nothing: a row with a
score outside 1–5 or text in a score cell, an unknown seller or @host, a link that is not a web
address, a start in the future, or the same stream twice refuses the whole file with its rows.
Importing the file again updates the reviews it made (same reviewer, seller and start minute)
and never adds them twice. Figures left empty are taken from the LIVE session imported for that
seller and start (within half an hour), and the review is linked to it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection, Engine

from storage.columns import utc_now
from storage.creators.models import CREATOR_TABLE
from storage.errors import N_, Nn_, Sentence
from storage.importers.base import (
    ImportOptions,
    ImportRejected,
    ImportSummary,
    RowError,
)
from storage.importers.columns import (
    Names,
    column_label,
    has_columns,
    quoted,
    reject_if_any,
    resolve_columns,
    writes_german,
)
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import Table, read_table
from storage.importers.uploads import Upload
from storage.importers.values import (
    Column,
    counts,
    date_times,
    durations_seconds,
    money_cents,
    texts,
)
from storage.names import match_key
from storage.reviews.live_sessions import MATCH_WINDOW, same_host
from storage.reviews.models import LIVE_SESSION_TABLE, LIVESTREAM_REVIEW_TABLE
from storage.reviews.records import REVIEW_FIGURES
from storage.reviews.scorecard import CRITERIA, HIGHEST, LOWEST, SCORECARD
from storage.sellers.models import SELLER_TABLE
from storage.sellers.registry import close_matches

KIND = "reviews"
_CRITERION_ALIASES: dict[str, Names] = {
    c.key: Names(match_key(c.label), c.key.replace("_", " "), c.key, *_extra, de=_german)
    for c, (_extra, _german) in zip(
        CRITERIA,
        (
            (("hook", "opening"), ("Einstieg", "Eröffnung")),
            (("host", "presence", "energy"), ("Auftreten", "Präsenz")),
            (("product", "explanation"), ("Produkterklärung",)),
            (("demo",), ("Vorführung",)),
            (("production quality", "light and audio"), ("Produktion", "Licht und Ton")),
            (("engagement", "q&a"), ("Interaktion",)),
            (("promotion", "promotions"), ("Warenpräsentation", "Aktionen")),
            (("cta", "call to action"), ("Handlungsaufforderungen", "Handlungsaufforderung")),
            (("structure", "length"), ("Struktur und Länge", "Struktur")),
            ((), ("Regelkonformität",)),
        ),
        strict=True,
    )
}
ALIASES: dict[str, Names] = {
    "date": Names(
        "stream date", "date", "live date", "stream day", de=("Datum", "Stream-Datum", "LIVE-Datum")
    ),
    "time": Names("start time", "time", "launched time", "start", de=("Startzeit", "Uhrzeit")),
    "seller": Names(
        "seller",
        "seller name",
        "shop",
        "shop name",
        "brand",
        de=("Verkäufer", "Verkäufername", "Shopname", "Marke"),
    ),
    "seller_key": Names("seller id", "shop id", de=("Verkäufer-ID", "Shop-ID")),
    "host": Names("host", "creator", "host handle", "creator handle", de=("Host", "Moderator")),
    "link": Names("stream link", "link", "url", "live link", "replay", de=("Link", "Aufzeichnung")),
    "reviewer": Names("reviewer", "reviewer id", "reviewed by", de=("Prüfer", "Geprüft von")),
    "strengths": Names("strengths", "what worked", "positives", de=("Stärken", "Was gut lief")),
    "improvements": Names(
        "improvements",
        "areas for improvement",
        "to improve",
        de=("Verbesserungen", "Verbesserungspotenzial"),
    ),
    "tags": Names("tags", "improvement tags", de=("Tags", "Schlagwörter")),
    "best": Names("best practice", "best practice moment", de=("Bestes Beispiel",)),
    "views": Names("views", de=("Aufrufe",)),
    "peak_viewers": Names("peak viewers", "pcu", de=("Spitzenzuschauer",)),
    "avg_view_seconds": Names(
        "avg viewing time",
        "avg viewing duration",
        "avg viewing time s",
        de=("Durchschn. Wiedergabedauer", "Durchschnittliche Wiedergabedauer"),
    ),
    "gmv_cents": Names("gmv", "revenue", de=("Umsatz",)),
    "orders": Names("orders", de=("Bestellungen",)),
    "comments": Names("comments", de=("Kommentare",)),
    "new_followers": Names("new followers", de=("Neue Follower",)),
    "product_clicks": Names("product clicks", de=("Produktklicks",)),
    **{f"score_{key}": names for key, names in _CRITERION_ALIASES.items()},
}
# Columns the export writes that the import reads past (and a German sheet's words for them).
IGNORED = frozenset(
    {"review", "category", "total", "average", "reviewer name", "reviewed at", "last edited"}
    | {"bewertung", "kategorie", "gesamt", "durchschnitt", "pruefername", "geprueft am"}
    | {"zuletzt bearbeitet"}
)
REQUIRED = ("date", *(f"score_{key}" for key in SCORECARD))
_KNOWN = frozenset(name for names in ALIASES.values() for name in names) | IGNORED
_REVIEWER = re.compile(r"^([UW][A-Z0-9]{2,})?$")
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])(?::[0-5][0-9])?$")
_SCORE = re.compile(r"^([1-5])(?:\.0+)?$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
_TAG_SPLIT = re.compile(r"[\s,;]+")
WRITE_BATCH = 1_000


def recognises(header: Sequence[str]) -> bool:
    """A date and most criteria: a tracker with a criterion misspelt is still a tracker, and
    is then told which column is wrong."""
    criteria = [
        f"score_{key}" for key in SCORECARD if has_columns(header, ALIASES, [f"score_{key}"])
    ]
    return has_columns(header, ALIASES, ["date"]) and len(criteria) >= len(SCORECARD) // 2


class _Rows:
    """The table's cells with the errors found, as reading goes."""

    def __init__(self, table: Table, columns: dict[str, str]) -> None:
        self.table = table
        self.columns = columns
        self.errors: list[RowError] = []

    def error(self, position: int, field: str, value: str, reason: str | Sentence) -> None:
        column = self.table.original_names.get(self.columns[field], field)
        said = reason if isinstance(reason, Sentence) else Sentence(reason)
        row = self.table.row_number(position)
        self.errors.append(RowError(row, column, value, said.english, said))

    def cells(self, field: str) -> list[str]:
        if field not in self.columns:
            return [""] * len(self.table.frame)
        return list(self.table.frame[self.columns[field]])

    def take(self, column: Column) -> pd.Series:
        self.errors += column.errors
        return column.values


def _refuse_unknown_columns(table: Table, filename: str) -> None:
    unknown = [table.original_names.get(c, c) for c in table.frame.columns if c not in _KNOWN]
    if unknown:
        criteria = ", ".join(c.label for c in CRITERIA)
        raise ImportRejected(
            Nn_(
                "{filename} has column the review tracker does not have: {columns}. The "
                "criteria are {criteria}; nothing was imported.",
                "{filename} has columns the review tracker does not have: {columns}. The "
                "criteria are {criteria}; nothing was imported.",
                len(unknown),
            ),
            filename=filename,
            columns=[quoted(name) for name in unknown[:10]],
            criteria=criteria,
        )


def import_reviews(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    table = read_table(upload, options.filename, max_bytes=options.max_bytes)
    _refuse_unknown_columns(table, options.filename)
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    if "seller" not in columns and "seller_key" not in columns:
        german = writes_german(table.frame.columns, ALIASES)
        seller, key = (column_label(ALIASES[f], german) for f in ("seller", "seller_key"))
        raise ImportRejected(
            N_("{filename} is missing the column {seller} (or {key}); nothing was imported."),
            filename=options.filename,
            seller=quoted(seller),
            key=quoted(key),
        )
    rows = _Rows(table, columns)
    starts = _starts(rows, options)
    scores = {key: _scores(rows, f"score_{key}") for key in SCORECARD}
    figures = _figures(rows, options)
    notes = {
        field: list(rows.take(texts(table, columns[field], required=False, max_length=limit)))
        if field in columns
        else [""] * len(table.frame)
        for field, limit in (
            ("strengths", 3000),
            ("improvements", 3000),
            ("best", 1000),
            ("link", 500),
            ("host", 200),  # an @handle or a host's name
        )
    }
    tags = _tags(rows)
    reviewers = _reviewers(rows, options)
    with engine.connect() as connection:
        seller_ids = _sellers(connection, rows, options.team_id)
        creator_ids = _hosts(connection, rows, notes["host"], options.team_id)
    for i, link in enumerate(notes["link"]):
        if link and not _URL.match(link):
            rows.error(i, "link", link, N_("is not a web address such as https://…"))
    _refuse_repeats(rows, seller_ids, starts, reviewers)
    reject_if_any(rows.errors, options.filename)

    records: list[dict[str, Any]] = [
        {
            "team_id": options.team_id,
            "seller_id": seller_ids[i],
            "creator_id": creator_ids[i],
            "host_name": "" if creator_ids[i] else notes["host"][i],
            "stream_url": notes["link"][i] or None,
            "stream_started_at": starts[i],
            "stream_date": starts[i].date(),
            "reviewer_user_id": reviewers[i],
            "strengths": notes["strengths"][i],
            "improvements": notes["improvements"][i],
            "improvement_tags": tags[i],
            "best_practice": notes["best"][i] or None,
            **{f"score_{key}": scores[key][i] for key in SCORECARD},
            **{name: figures[name][i] for name in REVIEW_FIGURES},
        }
        for i in range(len(table.frame))
    ]
    with record_import(engine, KIND, upload, options) as record:
        connection = record.session.connection()
        _link_sessions(connection, options.team_id, records)
        record.new, record.updated = _write(connection, options.team_id, records)
        record.rows = len(records)
        if records:
            record.first_day = min(r["stream_date"] for r in records)
            record.last_day = max(r["stream_date"] for r in records)
    return summary_of(record, KIND, options, sellers=len(set(seller_ids)), counted="review")


# ---- reading the cells ----------------------------------------------------------------------


def _starts(rows: _Rows, options: ImportOptions) -> list[datetime]:
    """Each stream's start: the date column (which may hold the time too) plus the time
    column when there is one; a start in the future is a row error."""
    days = rows.take(
        date_times(rows.table, rows.columns["date"], prefer_us=options.prefers_us_dates)
    )
    clocks = rows.cells("time")
    now = datetime.now()  # a day later than the team's wall clock at most, never earlier
    starts: list[datetime] = []
    for i, (day, clock) in enumerate(zip(days, clocks, strict=True)):
        start = day.to_pydatetime() if not pd.isna(day) else datetime(2000, 1, 1)
        if clock:
            found = _CLOCK.match(clock)
            if found is None:
                rows.error(i, "time", clock, N_("is not a time such as 19:00"))
            else:
                start = start.replace(hour=int(found.group(1)), minute=int(found.group(2)))
        if start > now + timedelta(days=1):
            rows.error(i, "date", rows.cells("date")[i], N_("is in the future"))
        starts.append(start.replace(second=0, microsecond=0))
    return starts


def _scores(rows: _Rows, field: str) -> list[int]:
    found = []
    for i, cell in enumerate(rows.cells(field)):
        score = _SCORE.match(cell)
        if score is None:
            reason = (
                N_("is empty: expected a score from {lowest} to {highest}")
                if not cell
                else N_("is not a score from {lowest} to {highest}")
            )
            rows.error(i, field, cell, Sentence(reason, {"lowest": LOWEST, "highest": HIGHEST}))
            found.append(LOWEST)
        else:
            found.append(int(score.group(1)))
    return found


def _figures(rows: _Rows, options: ImportOptions) -> dict[str, list[int | None]]:
    """Each figure per row; None where the cell is empty (the LIVE session may fill it)."""
    found: dict[str, list[int | None]] = {}
    for name in REVIEW_FIGURES:
        if name not in rows.columns:
            found[name] = [None] * len(rows.table.frame)
            continue
        column = rows.columns[name]
        if name == "gmv_cents":
            parsed = money_cents(
                rows.table, column, locale_decimal=options.decimal_mark, required=False
            )
        elif name == "avg_view_seconds":
            parsed = durations_seconds(rows.table, column)
        else:
            parsed = counts(rows.table, column, required=False)
        values = rows.take(parsed)
        empty = rows.table.frame[column] == ""
        found[name] = [None if blank else int(v) for v, blank in zip(values, empty, strict=True)]
    return found


def _tags(rows: _Rows) -> list[list[str]]:
    found = []
    for i, cell in enumerate(rows.cells("tags")):
        words = [match_key(w.lstrip("#")) for w in _TAG_SPLIT.split(cell) if w.lstrip("#")]
        bad = [w for w in words if len(w) > 40 or not re.fullmatch(r"[\w&-]+", w)]
        if bad:
            rows.error(i, "tags", cell, N_("holds something that is not a tag (single words)"))
        found.append(list(dict.fromkeys(words)))
    return found


def _reviewers(rows: _Rows, options: ImportOptions) -> list[str]:
    found = []
    for i, cell in enumerate(rows.cells("reviewer")):
        if not _REVIEWER.match(cell):
            rows.error(i, "reviewer", cell, N_("is not a Slack user ID such as U012AB3CD"))
        found.append(cell or options.user_id or "import")
    return found


def _sellers(connection: Connection, rows: _Rows, team_id: str) -> list[int]:
    """Each row's seller, by ID when the file has the column, else by name (match keys)."""
    known = connection.execute(
        select(
            SELLER_TABLE.c.id,
            SELLER_TABLE.c.seller_key,
            SELLER_TABLE.c.name,
            SELLER_TABLE.c.name_key,
        ).where(SELLER_TABLE.c.team_id == team_id)
    ).all()
    by_key = {key: sid for sid, key, _, _ in known}
    by_name: dict[str, int] = {}
    for sid, _, _, name_key in known:
        by_name.setdefault(name_key, sid)
    names = [name for _, _, name, _ in known]
    found = []
    keys, typed_names = rows.cells("seller_key"), rows.cells("seller")
    for i, (key, name) in enumerate(zip(keys, typed_names, strict=True)):
        seller = by_key.get(key) if key else by_name.get(match_key(name)) if name else None
        if seller is None and key and name:
            seller = by_name.get(match_key(name))
        if seller is None:
            field, typed = ("seller", name) if name else ("seller_key", key)
            if not typed:
                rows.error(i, field if field in rows.columns else "seller_key", "", N_("is empty"))
            else:
                close = close_matches(names, typed, 1) if field == "seller" else []
                reason = (
                    Sentence(
                        N_("is not a seller of this workspace (did you mean {seller}?)"),
                        {"seller": close[0]},
                    )
                    if close
                    else Sentence(N_("is not a seller of this workspace"))
                )
                rows.error(i, field, typed, reason)
        found.append(int(seller or 0))
    return found


def _hosts(connection: Connection, rows: _Rows, hosts: list[str], team_id: str) -> list[int | None]:
    """The creator of each `@handle` host (None for a seller's own host)."""
    handles = {match_key(h.lstrip("@")) for h in hosts if h.startswith("@")}
    known: dict[str, int] = {}
    if handles:
        statement = select(CREATOR_TABLE.c.handle, CREATOR_TABLE.c.id).where(
            CREATOR_TABLE.c.team_id == team_id, CREATOR_TABLE.c.handle.in_(handles)
        )
        known = {handle: int(cid) for handle, cid in connection.execute(statement)}
    found: list[int | None] = []
    for i, host in enumerate(hosts):
        if not host.startswith("@"):
            found.append(None)
            continue
        creator = known.get(match_key(host.lstrip("@")))
        if creator is None:
            rows.error(i, "host", host, N_("is not a creator in the registry (add them first)"))
        found.append(creator)
    return found


def _refuse_repeats(
    rows: _Rows, sellers: list[int], starts: list[datetime], reviewers: list[str]
) -> None:
    seen: dict[tuple[int, datetime, str], int] = {}
    field = "seller" if "seller" in rows.columns else "seller_key"
    for i, key in enumerate(zip(sellers, starts, reviewers, strict=True)):
        if key in seen:
            value = rows.cells(field)[i]
            reason = Sentence(
                N_("the same stream and reviewer as row {row}"),
                {"row": rows.table.row_number(seen[key])},
            )
            rows.error(i, field, value, reason)
        seen.setdefault(key, i)


# ---- writing --------------------------------------------------------------------------------


def _link_sessions(connection: Connection, team_id: str, records: list[dict[str, Any]]) -> None:
    """Link each review to its seller's LIVE session of the same host nearest its start
    (within the window); its empty figures come from the session."""
    if not records:
        return
    sellers = {r["seller_id"] for r in records}
    first = min(r["stream_started_at"] for r in records) - MATCH_WINDOW
    last = max(r["stream_started_at"] for r in records) + MATCH_WINDOW
    sessions: dict[int, list[Any]] = {}
    statement = (
        select(LIVE_SESSION_TABLE)
        .where(
            LIVE_SESSION_TABLE.c.team_id == team_id,
            LIVE_SESSION_TABLE.c.started_at.between(first, last),
            LIVE_SESSION_TABLE.c.seller_id.in_(sellers),
        )
        .order_by(LIVE_SESSION_TABLE.c.started_at)
    )
    for row in connection.execute(statement).mappings():
        sessions.setdefault(row["seller_id"], []).append(row)
    creators = _creator_names(connection, team_id, {r["creator_id"] for r in records})
    for record in records:
        candidates = sessions.get(record["seller_id"], [])
        starts = [s["started_at"] for s in candidates]
        start = record["stream_started_at"]
        window = candidates[
            bisect_left(starts, start - MATCH_WINDOW) : bisect_right(starts, start + MATCH_WINDOW)
        ]
        host = creators.get(record["creator_id"]) or (record["host_name"],)
        near = [s for s in window if same_host(s["host_name"], host)]
        if not near:
            record["live_session_id"] = None
            continue
        best = min(near, key=lambda s: abs(s["started_at"] - record["stream_started_at"]))
        record["live_session_id"] = best["id"]
        for name in REVIEW_FIGURES:
            if record[name] is None:
                record[name] = best[name]


def _creator_names(
    connection: Connection, team_id: str, creator_ids: set[int | None]
) -> dict[int | None, tuple[str, str]]:
    """Each creator's handle and display name: the names a LIVE sessions export may use."""
    ids = {i for i in creator_ids if i is not None}
    if not ids:
        return {}
    statement = select(
        CREATOR_TABLE.c.id, CREATOR_TABLE.c.handle, CREATOR_TABLE.c.display_name
    ).where(CREATOR_TABLE.c.team_id == team_id, CREATOR_TABLE.c.id.in_(ids))
    return {cid: (handle, name) for cid, handle, name in connection.execute(statement)}


def _write(connection: Connection, team_id: str, records: list[dict[str, Any]]) -> tuple[int, int]:
    """Insert the new reviews and update those this reviewer has of the same stream."""
    existing = _existing(connection, team_id, records)
    now = utc_now()
    new, changed = [], []
    for record in records:
        key = (record["reviewer_user_id"], record["seller_id"], record["stream_started_at"])
        if key in existing:
            changed.append({**record, "review_id": existing[key], "updated_at": now})
        else:
            new.append({**record, "created_at": now, "source_url": None, "client_key": None})
    for start in range(0, len(new), WRITE_BATCH):
        connection.execute(LIVESTREAM_REVIEW_TABLE.insert(), new[start : start + WRITE_BATCH])
    if changed:
        fields = [k for k in changed[0] if k not in ("review_id", "team_id")]
        statement = (
            LIVESTREAM_REVIEW_TABLE.update()
            .where(LIVESTREAM_REVIEW_TABLE.c.id == bindparam("review_id"))
            .values({name: bindparam(name) for name in fields})
        )
        connection.execute(statement, changed)
    return len(new), len(changed)


def _existing(
    connection: Connection, team_id: str, records: list[dict[str, Any]]
) -> dict[tuple[str, int, datetime], int]:
    first = min(r["stream_started_at"] for r in records)
    last = max(r["stream_started_at"] for r in records)
    rows = connection.execute(
        select(
            LIVESTREAM_REVIEW_TABLE.c.id,
            LIVESTREAM_REVIEW_TABLE.c.reviewer_user_id,
            LIVESTREAM_REVIEW_TABLE.c.seller_id,
            LIVESTREAM_REVIEW_TABLE.c.stream_started_at,
        ).where(
            LIVESTREAM_REVIEW_TABLE.c.team_id == team_id,
            LIVESTREAM_REVIEW_TABLE.c.deleted_at.is_(None),
            LIVESTREAM_REVIEW_TABLE.c.stream_started_at.between(first, last),
        )
    )
    return {(reviewer, seller, start): rid for rid, reviewer, seller, start in rows}
