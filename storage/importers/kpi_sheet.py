"""The team KPI sheet (CSV or XLSX): one row per seller per day, all figures.

Columns (*ours*): date, seller_id, seller_name, category, gmv, orders, items_sold, buyers,
live_sessions, live_minutes, live_views, live_likes, live_comments, live_shares, live_gmv,
video_gmv, affiliate_gmv, new_followers. Only the figure columns present in the file are
written, so a sheet without LIVE columns leaves LIVE figures from another import untouched.
Unknown sellers are added to the registry.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from storage.importers.base import ImportOptions, ImportSummary, RowError, register_importer
from storage.importers.columns import alias_names, has_columns, reject_if_any, resolve_columns
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import read_table
from storage.importers.values import counts, dates, money_cents, texts
from storage.kpis.seller_days import upsert_seller_days
from storage.models import COUNT_COLUMNS, FIGURE_COLUMNS
from storage.sellers import NewSeller, add_missing_sellers

KIND = "kpi-sheet"
ALIASES: dict[str, tuple[str, ...]] = {
    "day": ("date", "day", "stat date", "data date"),
    "seller_key": ("seller id", "shop id", "store id", "seller key"),
    "seller_name": ("seller name", "shop name", "store name", "seller"),
    "category": ("category", "main category", "seller category"),
    "gmv_cents": ("gmv", "gross merchandise value"),
    "orders": ("orders", "order count"),
    "items_sold": ("items sold", "units sold", "unit sales"),
    "buyers": ("buyers", "buyer count"),
    "live_sessions": ("live sessions", "livestreams", "lives"),
    "live_minutes": ("live minutes", "live duration minutes"),
    "live_views": ("live views",),
    "live_likes": ("live likes",),
    "live_comments": ("live comments",),
    "live_shares": ("live shares",),
    "live_gmv_cents": ("live gmv",),
    "video_gmv_cents": ("video gmv",),
    "affiliate_gmv_cents": ("affiliate gmv",),
    "new_followers": ("new followers", "followers gained"),
}
REQUIRED = ("day", "seller_key", "gmv_cents", "orders")
_WANTED = alias_names(ALIASES)


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, REQUIRED)


def import_kpi_sheet(engine: Engine, data: bytes, options: ImportOptions) -> ImportSummary:
    table = read_table(
        data, options.filename, max_bytes=options.max_bytes, keep=_WANTED.__contains__
    )
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    errors: list[RowError] = []

    def parsed(field: str) -> pd.Series:
        name = columns[field]
        if field.endswith("_cents"):
            column = money_cents(table, name, locale_decimal=options.decimal_mark)
        elif field in COUNT_COLUMNS:
            column = counts(table, name)
        elif field == "day":
            column = dates(table, name, prefer_us=options.prefers_us_dates)
        else:
            column = texts(table, name, required=field == "seller_key")
        errors.extend(column.errors)
        return column.values

    frame = pd.DataFrame({field: parsed(field) for field in columns})
    negative = [f for f in columns if f.endswith("_cents") and (frame[f] < 0).any()]
    for field in negative:
        for position in frame.index[frame[field] < 0][:20]:
            errors.append(
                RowError(
                    table.row_number(int(position)),
                    table.original_names[columns[field]],
                    str(table.frame[columns[field]].iat[position]),
                    "is negative: expected 0 or more",
                )
            )
    errors += _duplicates(frame, table.row_numbers)
    reject_if_any(errors, options.filename)

    frame["day"] = frame["day"].dt.date
    if "category" not in frame:
        frame["category"] = ""
    figures = [f for f in FIGURE_COLUMNS if f in frame]
    sellers = [NewSeller(str(k), str(n), str(c)) for k, n, c in _seller_rows(frame)]
    with record_import(engine, KIND, data, options) as record:
        ids, new_sellers = add_missing_sellers(record.session, options.team_id, sellers)
        frame["seller_id"] = frame["seller_key"].map(ids)
        frame["category"] = frame["category"].where(frame["category"] != "", "Uncategorised")
        record.new, record.updated = upsert_seller_days(
            record.session,
            options.team_id,
            frame,
            figures,
            record.batch_id,
            options.progress,
            dry_run=options.dry_run,
        )
        record.rows = len(frame)
        record.first_day, record.last_day = min(frame["day"]), max(frame["day"])
    sellers_seen = int(frame["seller_key"].nunique())
    return summary_of(record, KIND, options, sellers=sellers_seen, new_sellers=new_sellers)


def _seller_rows(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    names = frame["seller_name"] if "seller_name" in frame else frame["seller_key"]
    first = pd.DataFrame(
        {"key": frame["seller_key"], "name": names, "category": frame["category"]}
    ).drop_duplicates("key")
    return list(first.itertuples(index=False, name=None))


def _duplicates(frame: pd.DataFrame, row_numbers: list[int]) -> list[RowError]:
    dated = frame[frame["day"].notna()]  # a row without a date is an error of its own
    repeated = dated.duplicated(["seller_key", "day"], keep="first")
    errors = []
    for position in dated.index[repeated][:20]:
        key, day = dated.at[position, "seller_key"], dated.at[position, "day"]
        same = dated.index[(dated["seller_key"] == key) & (dated["day"] == day)]
        errors.append(
            RowError(
                row_numbers[int(position)],
                "seller_id + date",
                f"{key!s} {str(day)[:10]}",
                f"repeats row {row_numbers[int(same[0])]}: one row per seller per day",
            )
        )
    return errors


register_importer(KIND, import_kpi_sheet, recognises)
