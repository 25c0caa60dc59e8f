"""The team KPI sheet (CSV or XLSX): one row per seller per day, all figures.

Columns (*ours*): date, seller_id, seller_name, category, gmv, orders, items_sold, buyers,
live_sessions, live_minutes, live_views, live_likes, live_comments, live_shares, live_gmv,
video_gmv, affiliate_gmv, new_followers. Only the figure columns present in the file are
written, so a sheet without LIVE columns leaves LIVE figures from another import untouched.
Unknown sellers are added to the registry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from storage.errors import N_
from storage.importers.base import (
    ImportOptions,
    ImportRejected,
    ImportSummary,
    RowError,
)
from storage.importers.columns import (
    Names,
    alias_names,
    has_columns,
    reject_if_any,
    resolve_columns,
)
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import Table, read_table_chunks
from storage.importers.uploads import Upload
from storage.importers.values import counts, dates, money_cents, texts
from storage.kpis.models import COUNT_COLUMNS, FIGURE_COLUMNS
from storage.kpis.precedence import keep_finer_figures, order_export_days
from storage.kpis.seller_days import RepeatedSellerDay, SellerDayWriter
from storage.sellers.registry import NewSeller, add_missing_sellers

KIND = "kpi-sheet"
ALIASES: dict[str, Names] = {
    "day": Names("date", "day", "stat date", "data date", de=("Datum", "Tag", "Stichtag")),
    "seller_key": Names(
        "seller id",
        "shop id",
        "store id",
        "seller key",
        de=("Shop-ID", "Verkäufer-ID", "Händler-ID"),
    ),
    "seller_name": Names(
        "seller name",
        "shop name",
        "store name",
        "seller",
        de=("Shopname", "Verkäufername", "Händlername", "Verkäufer", "Händler"),
    ),
    "category": Names(
        "category", "main category", "seller category", de=("Kategorie", "Hauptkategorie")
    ),
    "gmv_cents": Names("gmv", "gross merchandise value", de=("Umsatz", "Bruttowarenwert")),
    "orders": Names("orders", "order count", de=("Bestellungen", "Anzahl Bestellungen")),
    "items_sold": Names(
        "items sold", "units sold", "unit sales", de=("Verkaufte Artikel", "Verkaufte Einheiten")
    ),
    "buyers": Names("buyers", "buyer count", de=("Käufer", "Anzahl Käufer")),
    "live_sessions": Names(
        "live sessions", "livestreams", "lives", de=("LIVE-Übertragungen", "Anzahl LIVEs")
    ),
    "live_minutes": Names(
        "live minutes", "live duration minutes", de=("LIVE-Minuten", "LIVE-Dauer Minuten")
    ),
    "live_views": Names("live views", de=("LIVE-Aufrufe",)),
    "live_likes": Names("live likes", de=("LIVE-Gefällt-mir-Angaben", "LIVE-Gefällt mir")),
    "live_comments": Names("live comments", de=("LIVE-Kommentare",)),
    "live_shares": Names("live shares", de=("LIVE-Geteilt", "LIVE-Teilungen")),
    "live_gmv_cents": Names("live gmv", de=("LIVE-Umsatz",)),
    "video_gmv_cents": Names("video gmv", de=("Video-Umsatz",)),
    "affiliate_gmv_cents": Names("affiliate gmv", de=("Affiliate-Umsatz",)),
    "new_followers": Names("new followers", "followers gained", de=("Neue Follower",)),
}
REQUIRED = ("day", "seller_key", "gmv_cents", "orders")
_WANTED = alias_names(ALIASES)


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, REQUIRED)


def import_kpi_sheet(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    """Read, check and write the sheet a chunk at a time, all in one transaction: what the
    import holds does not grow with the file, and a problem anywhere in it writes nothing.

    A (seller, day) repeated within a chunk is found there; one that repeats a row of an
    earlier chunk is found by the database, whose unique key already holds every row written
    (keeping each row's key here would grow with the file). Once anything is wrong, the file
    is read again from the start, this time keeping every row's key, to say which rows are."""
    try:
        return _written(engine, upload, options)
    except (_HasProblems, RepeatedSellerDay):
        pass  # the transaction is rolled back: nothing was written
    _, chunks = _chunks(upload, options, RepeatedSellerDays())
    reject_if_any(_problems(chunks), options.filename)
    raise ImportRejected(  # the database saw a repeat that the file, read again, does not have
        N_("{filename} could not be imported: it changed while it was read."),
        filename=options.filename,
    )


class _HasProblems(Exception):
    """A chunk has problems: nothing is written, and the file's problems are gathered."""


def _written(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    columns, chunks = _chunks(upload, options)
    figures = [f for f in FIGURE_COLUMNS if f in columns]
    head = next(chunks)
    if head.errors:  # a problem in the first chunk (all of a small file), before the database
        raise _HasProblems
    chunks = chain([head], chunks)
    del head
    sellers: set[str] = set()
    new_sellers = 0
    lines = upload.count(b"\n") if options.progress else 0  # about one a row; before any lock
    with record_import(engine, KIND, upload, options) as record:
        # Finer files win over the sheet's day totals (storage.kpis.precedence).
        orders_before = order_export_days(record.session.connection(), options.team_id)
        writer = SellerDayWriter(
            record.session,
            options.team_id,
            figures,
            record.batch_id,
            options.progress,
            dry_run=options.dry_run,
            expected_rows=lines,
        )
        for chunk in chunks:
            if chunk.errors:  # nothing more is written
                raise _HasProblems
            frame = chunk.frame
            frame["day"] = frame["day"].dt.date
            if "category" not in frame:
                frame["category"] = ""
            new_rows = [NewSeller(str(k), str(n), str(c)) for k, n, c in _seller_rows(frame)]
            ids, added = add_missing_sellers(record.session, options.team_id, new_rows)
            new_sellers += added
            sellers.update(frame["seller_key"].unique())  # the file's, not the workspace's
            frame["seller_id"] = frame["seller_key"].map(ids)
            frame["category"] = frame["category"].where(frame["category"] != "", "Uncategorised")
            writer.write(frame)
            record.rows += len(frame)
            days = [record.first_day, record.last_day, min(frame["day"]), max(frame["day"])]
            record.first_day = min(d for d in days if d is not None)
            record.last_day = max(d for d in days if d is not None)
            del chunk, frame
        record.new, record.updated = writer.finish()
        if record.first_day is not None and record.last_day is not None:
            keep_finer_figures(
                record.session.connection(),
                options.team_id,
                record.first_day,
                record.last_day,
                figures,
                orders_before,
            )
    return summary_of(
        record,
        KIND,
        options,
        sellers=len(sellers),
        new_sellers=new_sellers,
        counted="seller-day",
    )


def _chunks(
    upload: Upload, options: ImportOptions, repeats: RepeatedSellerDays | None = None
) -> tuple[dict[str, str], Iterator[_Chunk]]:
    """The sheet's columns (field → column), and its chunks parsed and checked as they are
    read, each let go once the next is asked for; with `repeats`, rows that repeat a row of
    an earlier chunk are problems of theirs too."""
    tables = read_table_chunks(
        upload, options.filename, max_bytes=options.max_bytes, keep=_WANTED.__contains__
    )
    first = next(tables)
    columns = resolve_columns(first, ALIASES, REQUIRED, options.filename)
    chunks = (_parsed(table, columns, options, repeats) for table in chain([first], tables))
    return columns, chunks


@dataclass
class _Chunk:
    frame: pd.DataFrame  # the typed columns under their field names
    errors: list[RowError]


def _problems(chunks: Iterator[_Chunk]) -> list[RowError]:
    """The problems of the chunks left, up to a screenful more than is ever shown."""
    errors: list[RowError] = []
    for chunk in chunks:
        errors += chunk.errors
        if len(errors) >= MAX_ERRORS_KEPT:
            break
    return errors


MAX_ERRORS_KEPT = 50  # problems past which the rest of the file is not read


def _parsed(
    table: Table,
    columns: dict[str, str],
    options: ImportOptions,
    repeats: RepeatedSellerDays | None = None,
) -> _Chunk:
    """One chunk's typed columns under their field names, and its problems: with `repeats`,
    rows that repeat a (seller, day) of an earlier chunk among them."""
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
                    N_("is negative: expected 0 or more"),
                )
            )
    # The pair as the file names it: `seller_id + date`, `Shop-ID + Datum`.
    pair = " + ".join(table.original_names[columns[f]].strip() for f in ("seller_key", "day"))
    if repeats is None:
        return _Chunk(frame, errors + _duplicates(frame, table.row_numbers, pair))
    return _Chunk(frame, errors + repeats.of(frame, table.row_numbers, pair))


def _seller_rows(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    names = frame["seller_name"] if "seller_name" in frame else frame["seller_key"]
    first = pd.DataFrame(
        {"key": frame["seller_key"], "name": names, "category": frame["category"]}
    ).drop_duplicates("key")
    return list(first.itertuples(index=False, name=None))


def _duplicates(frame: pd.DataFrame, row_numbers: list[int], pair: str) -> list[RowError]:
    dated = frame[frame["day"].notna()]  # a row without a date is an error of its own
    repeated = dated.duplicated(["seller_key", "day"], keep="first")
    errors = []
    for position in dated.index[repeated][:20]:
        key, day = dated.at[position, "seller_key"], dated.at[position, "day"]
        same = dated.index[(dated["seller_key"] == key) & (dated["day"] == day)]
        errors.append(
            RowError.saying(
                row_numbers[int(position)],
                pair,
                f"{key!s} {str(day)[:10]}",
                N_("repeats row {row}: one row per seller per day"),
                row=row_numbers[int(same[0])],
            )
        )
    return errors


class RepeatedSellerDays:
    """Finds a (seller, day) that repeats an earlier row, in the same chunk or an earlier one,
    for the explanation of a file with problems (an import that writes keeps no row's key).

    Each row seen is kept as two numbers, (seller, day) as one code and its row, in sorted
    runs merged as they grow (as a log-structured index does): checking a chunk costs a
    binary search per run, and no step copies more than the rows seen."""

    def __init__(self) -> None:
        self.sellers: dict[str, int] = {}
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []  # (sorted codes, their rows)

    def of(self, frame: pd.DataFrame, row_numbers: list[int], pair: str) -> list[RowError]:
        errors = _duplicates(frame, row_numbers, pair)
        dated = frame["day"].notna().to_numpy()
        keys, distinct = pd.factorize(frame["seller_key"][dated])
        numbers = np.array(
            [self.sellers.setdefault(key, len(self.sellers)) for key in distinct], dtype=np.int64
        )
        days = frame["day"][dated].to_numpy().astype("datetime64[D]").astype(np.int64)
        codes = numbers[keys] * 1_000_000 + days
        rows = np.asarray(row_numbers, dtype=np.int64)[dated]
        for position, first in self._earlier(codes)[:20]:
            key, day = frame["seller_key"][dated].iat[position], days[position]
            errors.append(
                RowError.saying(
                    int(rows[position]),
                    pair,
                    f"{key!s} {np.datetime64(int(day), 'D')}",
                    N_("repeats row {row}: one row per seller per day"),
                    row=first,
                )
            )
        order = np.argsort(codes, kind="stable")
        self.runs.append((codes[order], rows[order].astype(np.int32)))
        while len(self.runs) > 1 and len(self.runs[-1][0]) * 2 >= len(self.runs[-2][0]):
            (later_codes, later_rows), (codes_, rows_) = self.runs.pop(), self.runs.pop()
            merged_codes = np.concatenate([codes_, later_codes])
            order = np.argsort(merged_codes, kind="stable")
            self.runs.append((merged_codes[order], np.concatenate([rows_, later_rows])[order]))
        return errors

    def _earlier(self, codes: np.ndarray) -> list[tuple[int, int]]:
        """(position in `codes`, row it repeats) for each code an earlier chunk had."""
        found: dict[int, int] = {}
        for run_codes, run_rows in self.runs:
            at = np.searchsorted(run_codes, codes).clip(max=len(run_codes) - 1)
            for position in np.flatnonzero(run_codes[at] == codes)[:20]:
                found.setdefault(int(position), int(run_rows[at[position]]))
        return sorted(found.items())
