"""The LIVE sessions export of one shop (old and new header sets): each session stored as it
is (storage.reviews.live_sessions, for reviews to link to), and the seller-days it touches set to
the sums of all their sessions on file (this export's and any imported before).

Per day of the session's start: LIVE sessions held, minutes, views, likes, comments, shares and
LIVE GMV (`Revenue` in older files, `Attributed GMV` in newer ones; the currency may stand in
the header, `Revenue (Rp)`). Other figures of the seller-day are left as they are. A session
also keeps its host, peak viewers (PCU), average viewing time, orders, new followers and
product impressions and clicks when the file has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy.engine import Connection, Engine

from storage.importers.base import ImportOptions, ImportSummary
from storage.importers.columns import (
    Names,
    alias_names,
    has_columns,
    reject_if_any,
    resolve_columns,
)
from storage.importers.orders import resolve_seller
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import normalise_header, read_table
from storage.importers.uploads import Upload
from storage.importers.values import (
    Column,
    counts,
    date_times,
    durations_minutes,
    durations_seconds,
    money_cents,
    texts,
)
from storage.kpis.precedence import session_sums
from storage.kpis.seller_days import upsert_seller_days
from storage.reviews.live_sessions import upsert_sessions
from storage.sellers.registry import SellerRef

KIND = "live-sessions"
ALIASES: dict[str, Names] = {
    "start": Names(
        "launched time", "start time", "live start time", de=("Startzeit", "LIVE-Startzeit")
    ),
    "duration": Names("duration", "live duration", de=("Dauer", "LIVE-Dauer")),
    "gmv": Names(
        "revenue",
        "attributed gmv",
        "live gmv",
        "gmv",
        de=("Umsatz", "Zugeordneter Umsatz", "LIVE-Umsatz"),
    ),
    "views": Names("views", "live views", de=("Aufrufe", "LIVE-Aufrufe")),
    "likes": Names("likes", de=("Gefällt-mir-Angaben", "Gefällt mir", "Likes")),
    "comments": Names("comments", de=("Kommentare",)),
    "shares": Names("shares", de=("Geteilt", "Teilungen")),
    # No German-only name for the host: one beside `Creator` (as `Nickname` is beside it in
    # English exports) would make the file name its host twice, which is refused.
    "host": Names("creator", "nickname", "host", de=("Creator", "Host")),
    "peak_viewers": Names(
        "pcu", "peak viewers", "peak concurrent viewers", de=("Spitzenzuschauer", "Zuschauerspitze")
    ),
    "avg_view": Names(
        "avg viewing duration",
        "avg viewing duration per viewer",
        "avg watch time",
        de=("Durchschn. Wiedergabedauer", "Durchschnittliche Wiedergabedauer"),
    ),
    "orders": Names(
        "orders paid",
        "attributed orders",
        "orders created",
        "orders",
        de=("Bezahlte Bestellungen", "Zugeordnete Bestellungen", "Bestellungen"),
    ),
    "new_followers": Names("new followers", de=("Neue Follower",)),
    "product_impressions": Names("product impressions", de=("Produktimpressionen",)),
    "product_clicks": Names("product clicks", de=("Produktklicks",)),
}
REQUIRED = ("start", "duration", "gmv", "views")
SUMMED = {
    "live_views": "views",
    "live_likes": "likes",
    "live_comments": "comments",
    "live_shares": "shares",
}
# Session figures (LiveSession columns) counted as they are, when the file has them.
SESSION_COUNTS = (
    "views",
    "likes",
    "comments",
    "shares",
    "peak_viewers",
    "orders",
    "new_followers",
    "product_impressions",
    "product_clicks",
)
_WANTED = alias_names(ALIASES)
# Columns only a LIVE export has (in English or German), one of which it must have.
_MARKERS = frozenset(
    normalise_header(name)[0]
    for name in (
        *("live impressions", "acu", "pcu", "viewers", "co rate", "creator id"),
        *("LIVE-Impressionen", "Zuschauer", "Spitzenzuschauer", "Creator-ID"),
    )
)
_SESSION_COLUMNS = {*SESSION_COUNTS, "avg_view_seconds", "host_name"}


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, ("start", "duration", "views")) and bool(
        set(header) & _MARKERS
    )


def import_live_sessions(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    seller = resolve_seller(engine, options)
    table = read_table(
        upload, options.filename, max_bytes=options.max_bytes, keep=_WANTED.__contains__
    )
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    parsed: dict[str, Column] = {
        "started_at": date_times(table, columns["start"], prefer_us=options.prefers_us_dates),
        "live_minutes": durations_minutes(table, columns["duration"]),
        "live_gmv_cents": money_cents(table, columns["gmv"], locale_decimal=options.decimal_mark),
        **{
            figure: counts(table, columns[source])
            for figure, source in SUMMED.items()
            if source in columns
        },
        **{
            figure: counts(table, columns[figure], required=False)
            for figure in SESSION_COUNTS
            if figure in columns
        },
    }
    if "avg_view" in columns:
        parsed["avg_view_seconds"] = durations_seconds(table, columns["avg_view"])
    if "host" in columns:
        parsed["host_name"] = texts(table, columns["host"], required=False)
    reject_if_any([e for column in parsed.values() for e in column.errors], options.filename)

    frame = pd.DataFrame({name: column.values for name, column in parsed.items()})
    sessions = frame[["started_at", *(c for c in frame.columns if c in _SESSION_COLUMNS)]]
    sessions = sessions.assign(
        duration_minutes=frame["live_minutes"], gmv_cents=frame["live_gmv_cents"]
    )
    figures = ["live_minutes", "live_gmv_cents", *(f for f in SUMMED if f in frame.columns)]
    figures.append("live_sessions")
    first, last = min(frame["started_at"]).date(), max(frame["started_at"]).date()
    with record_import(engine, KIND, upload, options, seller_id=seller.id) as record:
        connection = record.session.connection()
        upsert_sessions(connection, options.team_id, seller.id, sessions, record.batch_id)
        # A day's LIVE figures are the sums of all its sessions on file, this file's and any
        # imported before (storage.kpis.precedence).
        days = _day_sums(connection, options.team_id, seller, first, last, figures)
        record.new, record.updated = upsert_seller_days(
            record.session,
            options.team_id,
            days,
            figures,
            record.batch_id,
            options.progress,
            dry_run=options.dry_run,
        )
        record.rows = len(sessions)
        record.first_day, record.last_day = min(days["day"]), max(days["day"])
    return summary_of(record, KIND, options, sellers=1, row="session", counted="seller-day")


def _day_sums(
    connection: Connection,
    team_id: str,
    seller: SellerRef,
    first: date,
    last: date,
    figures: list[str],
) -> pd.DataFrame:
    """The seller's days first..last that have sessions, with `figures` summed from them (0
    where no session has the figure)."""
    sums = {
        day: values
        for (seller_id, day), values in session_sums(connection, team_id, first, last).items()
        if seller_id == seller.id
    }
    days = pd.DataFrame(
        [{"day": day, **{f: values.get(f, 0) for f in figures}} for day, values in sums.items()]
    ).sort_values("day", ignore_index=True)
    days["seller_id"], days["category"] = seller.id, seller.category
    return days
