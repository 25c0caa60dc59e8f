"""Affiliate Center creator data (CSV or XLSX) into the creator registry.

Columns: `Creator name, GMV, Orders, Videos, Samples shipped, Est. commission`, often with
`Creator username`, a follower count and the creator's level. The username is the handle; without
that column the creator name must be the handle. A creator on file is updated, a new one is added
as a prospect; a level that differs from the one on file is recorded as a level change dated by
the file's `Date` column, or the day of the import. One invalid row rejects the whole file.

Performance columns are read when present: items sold, LIVE GPM and video GPM (GMV per 1,000
views), engagement and response rates (`12%` or `0.12`), posts after samples, content type
(LIVE, video or both). Each row's figures become a performance snapshot dated like its level,
so trends can be read. With a `Category` column each row holds a creator's figures in that
category (a creator may have one row per category; the same creator and category twice is an
error); without one the figures are the creator's overall ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine

from storage.columns import utc_now
from storage.creators.models import CREATOR_LEVEL_CHANGE_TABLE, CREATOR_TABLE, CreatorStage
from storage.errors import N_
from storage.importers.base import (
    ImportOptions,
    ImportSummary,
    RowError,
)
from storage.importers.columns import Names, alias_names, reject_if_any, resolve_columns
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import Table, read_table
from storage.importers.uploads import Upload
from storage.importers.values import Column, counts, dates, money_cents, rates
from storage.matchmaking.performance import FIGURES, save_snapshots
from storage.names import match_key

KIND = "creators"
ALIASES: dict[str, Names] = {
    "handle": Names(
        "creator username",
        "username",
        "creator handle",
        "handle",
        de=("Creator-Benutzername", "Benutzername"),
    ),
    "name": Names(
        "creator name", "creator nickname", "nickname", de=("Creator-Spitzname", "Spitzname")
    ),
    "gmv": Names("gmv", "affiliate gmv", de=("Umsatz", "Affiliate-Umsatz")),
    "orders": Names("orders", "affiliate orders", de=("Bestellungen", "Affiliate-Bestellungen")),
    "videos": Names("videos", de=("Videos",)),
    "samples": Names("samples shipped", "samples", de=("Versendete Muster", "Muster")),
    "commission": Names(
        "est commission",
        "estimated commission",
        "commission",
        de=("Gesch. Provision", "Geschätzte Provision", "Provision"),
    ),
    "followers": Names(
        "followers", "follower count", "followers count", de=("Follower", "Anzahl Follower")
    ),
    "level": Names("level", "creator level", de=("Stufe", "Creator-Stufe")),
    "date": Names("date", "level date", "snapshot date", de=("Datum", "Stichtag")),
    "category": Names("category", "product category", de=("Kategorie", "Produktkategorie")),
    "items_sold": Names(
        "items sold", "units sold", de=("Verkaufte Artikel", "Verkaufte Einheiten")
    ),
    "live_gpm": Names("live gpm", de=("LIVE-GPM",)),
    "video_gpm": Names("video gpm", de=("Video-GPM",)),
    "engagement": Names("engagement rate", "engagement", de=("Interaktionsrate",)),
    "posts": Names(
        "posts after samples",
        "samples posted",
        "posted after samples",
        de=("Beiträge nach Mustern", "Posts nach Mustern"),
    ),
    "response": Names("response rate", de=("Antwortrate",)),
    "content": Names("content type", "content types", "content", de=("Inhaltstyp", "Inhaltstypen")),
}
# What only a performance snapshot keeps; the other figures are also the creator's own
# (the latest overall ones, shown on the card).
SNAPSHOT_ONLY = (
    "items_sold",
    "live_gpm_cents",
    "video_gpm_cents",
    "engagement_rate",
    "posts_after_samples",
    "response_rate",
    "content_types",
)
CREATOR_WIDE = ("display_name", "followers")  # true of the creator whatever the category
_WANTED = alias_names(ALIASES)
_HANDLE = re.compile(r"@?([A-Za-z0-9._]{2,24})")
_LEVEL = re.compile(r"(?:l|lv|lvl|level|stufe)?\s*\.?\s*([0-8])", re.IGNORECASE)
_FOLLOWERS = re.compile(r"(\d+(?:[.,]\d+)?)\s*([km]?|tsd\.?|mio\.?)", re.IGNORECASE)
_NOT_A_HANDLE = N_("is not a TikTok handle (2–24 letters, digits, _ or .)")


# An Affiliate Center export names its creators so, and has one of its own figures (in
# English or German, normalised).
_NAMED = {"creator name", "creator username", "creator benutzername", "creator spitzname"}
_AFFILIATE = {
    "samples shipped",
    "est commission",
    "videos",
    "versendete muster",
    "gesch provision",
    "geschaetzte provision",
}


def recognises(header: Sequence[str]) -> bool:
    named = bool(set(header) & _NAMED)
    return named and bool(set(header) & _AFFILIATE)


def _check(
    table: Table, name: str, parse: Callable[[str], object], reason: str, required: bool = False
) -> tuple[list[object], list[RowError]]:
    """Each cell through `parse` (None for an empty cell); a ValueError is a RowError."""
    values: list[object] = []
    errors: list[RowError] = []
    for position, cell in enumerate(table.frame[name]):
        try:
            if not cell and required:
                raise ValueError(cell)
            values.append(parse(cell) if cell else None)
        except ValueError:
            values.append(None)
            errors.append(
                RowError(table.row_number(position), table.original_names[name], cell, reason)
            )
    return values, errors


def parse_handle(cell: str) -> str:
    match = _HANDLE.fullmatch(cell.strip())
    if match is None or match[1].endswith("."):
        raise ValueError(cell)
    return match_key(match[1])


def _display_name(cell: str) -> str:
    if len(cell) > 200:
        raise ValueError(cell)
    return cell


def parse_level(cell: str) -> int:
    match = _LEVEL.fullmatch(cell.strip())
    if match is None:
        raise ValueError(cell)
    return int(match[1])


def parse_followers(cell: str) -> int:
    """`12,345`, `12.3K`, `1,2M`, `12,3 Tsd.`, `1,2 Mio.` → a whole number."""
    text = cell.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+", text):
        return int(re.sub(r"[,.]", "", text))
    match = _FOLLOWERS.fullmatch(text)
    if match is None:
        raise ValueError(cell)
    number = float(match[1].replace(",", "."))
    scale = {"": 1, "k": 1_000, "t": 1_000, "m": 1_000_000}[match[2][:1].lower()]
    if not match[2] and not number.is_integer():
        raise ValueError(cell)
    return round(number * scale)


_CONTENT = {
    "live": "live",
    "video": "video",
    "videos": "video",
    "both": "live,video",
    "beides": "live,video",
}


def parse_content(cell: str) -> str:
    """`LIVE`, `Video`, `LIVE, video`, `LIVE & Video`, `both` → "live", "video", "live,video"."""
    words = re.split(r"\s*(?:[,/&+;|]|\band\b|\bund\b)\s*", cell.strip().casefold())
    kinds = {_CONTENT[w] for w in words if w in _CONTENT}
    if not kinds or any(w not in _CONTENT for w in words):
        raise ValueError(cell)
    found = set(",".join(kinds).split(","))
    return ",".join(k for k in ("live", "video") if k in found)


def _category(cell: str) -> str:
    if len(cell) > 100:
        raise ValueError(cell)
    return cell


_CHECKS: dict[str, tuple[str, Callable[[str], object], str]] = {
    "level": ("level", parse_level, N_("is not a creator level from L0 to L8")),
    "followers": (
        "followers",
        parse_followers,
        N_("is not a follower count such as 12500 or 12.5K"),
    ),
    "content_types": ("content", parse_content, N_("is not a content type: LIVE, video or both")),
    "category": ("category", _category, N_("is longer than 100 characters")),
}


def import_creators(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    table = read_table(
        upload, options.filename, max_bytes=options.max_bytes, keep=_WANTED.__contains__
    )
    rows = _validated_rows(table, options)
    with record_import(engine, KIND, upload, options) as record:
        connection = record.session.connection()
        now = utc_now()
        on_file = _on_file(connection, options.team_id)
        handles = list(dict.fromkeys(str(row["handle"]) for row in rows))
        fresh = [h for h in handles if h not in on_file]
        _add_creators(connection, options.team_id, fresh, now)
        on_file |= _on_file(connection, options.team_id, set(fresh))
        record.new, record.updated = len(fresh), len(handles) - len(fresh)
        changes, levels, snapshots = _fold(rows, on_file, options.progress)
        _update_creators(connection, changes, now)
        if levels:
            connection.execute(
                insert(CREATOR_LEVEL_CHANGE_TABLE),
                [{"team_id": options.team_id, **c} for c in levels],
            )
        save_snapshots(record.session, options.team_id, snapshots)
        record.rows = len(rows)
    summary = summary_of(record, KIND, options, sellers=0, counted="creator")
    note = f"{len(levels)} level change{'s' if len(levels) != 1 else ''} recorded"
    return replace(summary, notes=[*summary.notes, note])


# Written in bulk with Core statements (the ORM's work per row made a 20,000-row file take
# minutes), so the name_key the ORM keeps on write is set here.
OnFile = dict[str, dict[str, Any]]  # handle → id, level, categories


def _on_file(connection: Connection, team_id: str, handles: set[str] | None = None) -> OnFile:
    """The workspace's creators (those with `handles` when given) as the import needs them."""
    if handles is not None and not handles:
        return {}
    statement = sa_select(
        CREATOR_TABLE.c.handle,
        CREATOR_TABLE.c.id,
        CREATOR_TABLE.c.level,
        CREATOR_TABLE.c.categories,
    ).where(CREATOR_TABLE.c.team_id == team_id)
    return {
        handle: {"id": creator_id, "level": level, "categories": list(categories)}
        for handle, creator_id, level, categories in connection.execute(statement)
        if handles is None or handle in handles
    }


def _add_creators(connection: Connection, team_id: str, handles: list[str], now: datetime) -> None:
    """New creators, as prospects, in one statement."""
    if handles:
        connection.execute(
            insert(CREATOR_TABLE),
            [
                {
                    "team_id": team_id,
                    "handle": handle,
                    "display_name": "",
                    "name_key": "",
                    "stage": CreatorStage.PROSPECT,
                    "categories": [],
                    "tags": [],
                    "created_at": now,
                    "updated_at": now,
                }
                for handle in handles
            ],
        )


Folded = tuple[dict[int, dict[str, object]], list[dict[str, object]], list[dict[str, object]]]


def _fold(
    rows: list[dict[str, object]], on_file: OnFile, progress: Callable[[int, int], None] | None
) -> Folded:
    """(new values per creator id, level changes, snapshots) from the file's rows, in order.
    A category's row sets only what is true of the creator whatever the category (name,
    followers, level) and adds the category to their list; an overall row sets every figure."""
    changes: dict[int, dict[str, object]] = {}
    levels: list[dict[str, object]] = []
    snapshots: list[dict[str, object]] = []
    recorded = utc_now()
    for done, row in enumerate(rows, start=1):
        row = dict(row)
        handle, level, day = str(row.pop("handle")), row.pop("level", None), row.pop("day")
        category = str(row.pop("category", ""))
        state = on_file[handle]
        values = changes.setdefault(state["id"], {})
        for attribute, value in row.items():
            if attribute not in SNAPSHOT_ONLY and (not category or attribute in CREATOR_WIDE):
                values[attribute] = value
        if "display_name" in values:
            values["name_key"] = match_key(str(values["display_name"]))
        if category and match_key(category) not in {match_key(c) for c in state["categories"]}:
            state["categories"].append(category)
            values["categories"] = list(state["categories"])
        if isinstance(level, int) and isinstance(day, date) and level != state["level"]:
            levels.append(
                {
                    "creator_id": state["id"],
                    "level": level,
                    "previous_level": state["level"],
                    "effective_on": day,
                    "source": "import",
                    "recorded_at": recorded,
                }
            )
            state["level"] = values["level"] = level
        if any(f in row for f in FIGURES):
            snapshots.append(
                {
                    "creator_id": state["id"],
                    "category": category,
                    "category_key": match_key(category),
                    "as_of": day,
                    **{f: row[f] for f in FIGURES if f in row},
                }
            )
        if progress:
            progress(done, len(rows))
    return changes, levels, snapshots


def _update_creators(
    connection: Connection, changes: dict[int, dict[str, object]], now: datetime
) -> None:
    """One UPDATE per set of columns the rows fill (an empty cell changes nothing), each run
    for all the rows that fill that set."""
    groups: dict[tuple[str, ...], list[dict[str, object]]] = {}
    for creator_id, values in changes.items():
        values = {**values, "updated_at": now, "figures_updated_at": now}
        groups.setdefault(tuple(sorted(values)), []).append(
            {"v_id": creator_id, **{f"v_{k}": v for k, v in values.items()}}
        )
    for columns, params in groups.items():
        statement = (
            update(CREATOR_TABLE)
            .where(CREATOR_TABLE.c.id == bindparam("v_id"))
            .values({c: bindparam(f"v_{c}", type_=CREATOR_TABLE.c[c].type) for c in columns})
        )
        connection.execute(statement, params)


def _validated_rows(table: Table, options: ImportOptions) -> list[dict[str, object]]:
    """Per row, the creator's new values by attribute (empty cells left out), plus `handle`,
    `level` and `day`; ImportRejected listing every bad cell when any is wrong."""
    key = "handle" if "handle" in _present(table) else "name"
    columns = resolve_columns(table, ALIASES, (key,), options.filename)
    handles, errors = _check(table, columns[key], parse_handle, _NOT_A_HANDLE, required=True)
    parsed: dict[str, list[object]] = {"handle": handles}
    checks = dict(_CHECKS)
    if key == "handle":  # then the name column is the display name
        checks["display_name"] = ("name", _display_name, N_("is longer than 200 characters"))
    for attribute, (field, parse, reason) in checks.items():
        if field in columns:
            parsed[attribute], found = _check(table, columns[field], parse, reason)
            errors += found
    for attribute, (field, column) in _typed_columns(table, columns, options).items():
        errors += column.errors
        empty = (table.frame[columns[field]] == "").tolist()
        parsed[attribute] = [
            None if blank else value
            for blank, value in zip(empty, column.values.tolist(), strict=True)
        ]
    categories = parsed.get("category", [None] * len(handles))
    keys = [(h, match_key(str(c or ""))) for h, c in zip(handles, categories, strict=True)]
    errors += _repeats(table, columns[key], keys)
    errors += _more_posts_than_samples(table, columns, parsed)
    reject_if_any(errors, options.filename)
    today = utc_now().date()
    days = [d.date() if hasattr(d, "date") else today for d in parsed.pop("day", [])]
    rows = [
        {attribute: values[i] for attribute, values in parsed.items() if values[i] is not None}
        for i in range(len(handles))
    ]
    for i, row in enumerate(rows):
        row["day"] = days[i] if days else today
    return rows


def _present(table: Table) -> set[str]:
    return {field for field, names in ALIASES.items() if set(names) & set(table.frame.columns)}


def _typed_columns(
    table: Table, columns: dict[str, str], options: ImportOptions
) -> dict[str, tuple[str, Column]]:
    """attribute → (field, parsed column) for the money, count and date columns present."""
    typed: dict[str, tuple[str, Column]] = {}
    for attribute, field in (
        ("gmv_cents", "gmv"),
        ("est_commission_cents", "commission"),
        ("live_gpm_cents", "live_gpm"),
        ("video_gpm_cents", "video_gpm"),
    ):
        if field in columns:
            money = money_cents(
                table, columns[field], locale_decimal=options.decimal_mark, required=False
            )
            typed[attribute] = (field, money)
    for attribute, field in (
        ("orders", "orders"),
        ("videos", "videos"),
        ("samples_shipped", "samples"),
        ("items_sold", "items_sold"),
        ("posts_after_samples", "posts"),
    ):
        if field in columns:
            typed[attribute] = (field, counts(table, columns[field], required=False))
    for attribute, field in (("engagement_rate", "engagement"), ("response_rate", "response")):
        if field in columns:
            typed[attribute] = (field, rates(table, columns[field]))
    if "date" in columns:
        typed["day"] = ("date", dates(table, columns["date"], prefer_us=options.prefers_us_dates))
    return typed


def _more_posts_than_samples(
    table: Table, columns: dict[str, str], parsed: dict[str, list[object]]
) -> list[RowError]:
    """Posts after samples can only count samples that were shipped."""
    posts, shipped = parsed.get("posts_after_samples"), parsed.get("samples_shipped")
    if posts is None or shipped is None:
        return []
    return [
        RowError.saying(
            table.row_number(position),
            table.original_names[columns["posts"]],
            str(table.frame[columns["posts"]].iat[position]),
            N_("is more than the {shipped} samples shipped"),
            shipped=s,
        )
        for position, (p, s) in enumerate(zip(posts, shipped, strict=True))
        if isinstance(p, int) and isinstance(s, int) and p > s
    ][:50]


def _repeats(table: Table, column: str, keys: list[tuple[object, str]]) -> list[RowError]:
    """A creator twice (twice in one category, when the file has categories)."""
    seen: dict[object, int] = {}
    errors = []
    for position, handle in enumerate(keys):
        if handle[0] is not None and handle in seen:
            errors.append(
                RowError.saying(
                    table.row_number(position),
                    table.original_names[column],
                    str(table.frame[column].iat[position]),
                    N_("repeats row {row}"),
                    row=table.row_number(seen[handle]),
                )
            )
        seen.setdefault(handle, position)
    return errors
