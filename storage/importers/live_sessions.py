"""The LIVE sessions export of one shop (old and new header sets), aggregated to seller-days.

Per day of the session's start: LIVE sessions held, minutes, views, likes, comments, shares and
LIVE GMV (`Revenue` in older files, `Attributed GMV` in newer ones; the currency may stand in
the header, `Revenue (Rp)`). Other figures of the seller-day are left as they are.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from storage.importers.base import ImportOptions, ImportSummary, register_importer
from storage.importers.columns import alias_names, has_columns, reject_if_any, resolve_columns
from storage.importers.orders import resolve_seller
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import read_table
from storage.importers.values import Column, counts, dates, durations_minutes, money_cents
from storage.kpis.seller_days import upsert_seller_days

KIND = "live-sessions"
ALIASES: dict[str, tuple[str, ...]] = {
    "start": ("launched time", "start time", "live start time"),
    "duration": ("duration", "live duration"),
    "gmv": ("revenue", "attributed gmv", "live gmv", "gmv"),
    "views": ("views", "live views"),
    "likes": ("likes",),
    "comments": ("comments",),
    "shares": ("shares",),
}
REQUIRED = ("start", "duration", "gmv", "views")
SUMMED = {
    "live_views": "views",
    "live_likes": "likes",
    "live_comments": "comments",
    "live_shares": "shares",
}
_WANTED = alias_names(ALIASES)


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, ("start", "duration", "views")) and bool(
        set(header) & {"live impressions", "acu", "pcu", "viewers", "co rate", "creator id"}
    )


def import_live_sessions(engine: Engine, data: bytes, options: ImportOptions) -> ImportSummary:
    seller = resolve_seller(engine, options)
    table = read_table(
        data, options.filename, max_bytes=options.max_bytes, keep=_WANTED.__contains__
    )
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    parsed: dict[str, Column] = {
        "day": dates(table, columns["start"], prefer_us=options.prefers_us_dates),
        "live_minutes": durations_minutes(table, columns["duration"]),
        "live_gmv_cents": money_cents(table, columns["gmv"], locale_decimal=options.decimal_mark),
        **{
            figure: counts(table, columns[source])
            for figure, source in SUMMED.items()
            if source in columns
        },
    }
    reject_if_any([e for column in parsed.values() for e in column.errors], options.filename)

    sessions = pd.DataFrame({name: column.values for name, column in parsed.items()})
    sessions["day"] = sessions["day"].dt.date
    sessions["live_sessions"] = 1
    figures = [c for c in sessions.columns if c != "day"]
    days = sessions.groupby("day", sort=True)[figures].sum().reset_index()
    days["seller_id"], days["category"] = seller.id, seller.category
    with record_import(engine, KIND, data, options, seller_id=seller.id) as record:
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
    return summary_of(record, KIND, options, sellers=1)


register_importer(KIND, import_live_sessions, recognises)
