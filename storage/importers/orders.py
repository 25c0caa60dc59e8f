"""The Seller Center order export: one row per SKU line of one shop, aggregated to seller-days.

Per day (the order's Created Time): GMV = Σ `SKU Subtotal After Discount` of lines that are
not cancelled (*ours*), orders = distinct Order IDs, items = Σ Quantity, buyers = distinct
Buyer Usernames. A line is cancelled when its status says so in any of the languages the
exports come in, or when it has a Cancelled Time. The file holds one shop, so the importer is
told which seller it belongs to. In XLSX exports row 2 is a localized description: skipped.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
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
from storage.importers.tables import Table, no_rows_below_header, read_table_chunks
from storage.importers.uploads import Upload
from storage.importers.values import counts, dates, money_cents, texts
from storage.kpis.precedence import ORDER_FIGURES
from storage.kpis.seller_days import upsert_seller_days
from storage.sellers.registry import SellerRef, close_matches, find_seller, list_sellers

KIND = "orders"
ALIASES: dict[str, Names] = {
    "order_id": Names(
        "order id", "order no", "order number", de=("Bestell-ID", "Bestellnummer", "Bestellnr.")
    ),
    "status": Names("order status", "status", de=("Bestellstatus", "Status")),
    "quantity": Names("quantity", "sku quantity", "qty", de=("Menge", "SKU-Menge")),
    "subtotal": Names(
        "sku subtotal after discount",
        "subtotal after discount",
        de=("SKU-Zwischensumme nach Rabatt", "Zwischensumme nach Rabatt"),
    ),
    "created": Names(
        "created time",
        "order created time",
        "create time",
        de=("Erstellungszeit", "Bestellzeit", "Erstellt am"),
    ),
    "buyer": Names(
        "buyer username", "buyer user name", "buyer", de=("Käufer-Benutzername", "Käufer")
    ),
    "cancelled_time": Names(
        "cancelled time", "canceled time", "cancel time", de=("Stornierungszeit", "Storniert am")
    ),
}
REQUIRED = ("order_id", "status", "quantity", "subtotal", "created")
FIGURES = ORDER_FIGURES
# "Cancelled" as Seller Center writes it in its languages, accents and case folded.
CANCELLED = frozenset(
    {
        "cancelled",
        "canceled",
        "cancel",
        "cancelado",
        "cancelada",
        "annule",
        "annulee",
        "storniert",
        "annulliert",
        "abgebrochen",
        "stornierung",
        "annullato",
        "dibatalkan",
        "da huy",
        "yok",
        "ยกเลิก",
        "已取消",
        "キャンセル",
        "취소됨",
        "dibatalkan oleh pembeli",
        "anulowane",
        "geannuleerd",
    }
)
_WANTED = alias_names(ALIASES)


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, ("order_id", "subtotal", "created"))


def fold(text: str) -> str:
    """Lower case without accents: `Annulé` → `annule`, `Đã hủy` → `da huy`."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip().lower()


def import_orders(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    """Read and check the export a chunk at a time, adding each chunk's lines that are not
    cancelled to their days as it comes; then write those days in one transaction. What the
    import holds grows with the days and the distinct orders and buyers, not with the lines."""
    seller = resolve_seller(engine, options)
    tables = read_table_chunks(
        upload, options.filename, max_bytes=options.max_bytes, keep=_WANTED.__contains__
    )
    first = next(tables)
    columns = resolve_columns(first, ALIASES, REQUIRED, options.filename)
    _skip_description_row(first, columns["order_id"], options.filename)
    days_so_far = OrderDays()
    errors: list[RowError] = []
    for table in chain([first], tables):
        errors += days_so_far.add(table, columns, options)
        if len(errors) >= MAX_ERRORS_KEPT:
            break
        del table
    del first
    reject_if_any(errors, options.filename)
    days = days_so_far.frame()
    days["seller_id"], days["category"] = seller.id, seller.category
    with record_import(engine, KIND, upload, options, seller_id=seller.id) as record:
        record.new, record.updated = upsert_seller_days(
            record.session,
            options.team_id,
            days,
            FIGURES,
            record.batch_id,
            options.progress,
            dry_run=options.dry_run,
        )
        record.rows = days_so_far.lines
        if not days.empty:
            record.first_day, record.last_day = min(days["day"]), max(days["day"])
    return summary_of(record, KIND, options, sellers=1, row="order line", counted="seller-day")


MAX_ERRORS_KEPT = 50  # problems past which the rest of the file is not read


class OrderDays:
    """The export's days, added up chunk by chunk from the lines that count (not cancelled):
    per day (the order's Created Time) GMV and items summed, and orders and buyers counted
    once each however many lines and chunks they span."""

    def __init__(self) -> None:
        self.sums: pd.DataFrame | None = None  # per day: gmv_cents, items_sold
        self.orders = DistinctPerDay()
        self.buyers = DistinctPerDay()
        self.lines = 0  # lines read, cancelled ones included

    def add(self, table: Table, columns: dict[str, str], options: ImportOptions) -> list[RowError]:
        """Check one chunk and add its lines to their days; its problems (nothing is added
        when it has any)."""
        order_id = texts(table, columns["order_id"], max_length=64)
        quantity = counts(table, columns["quantity"])
        subtotal = money_cents(table, columns["subtotal"], locale_decimal=options.decimal_mark)
        created = dates(table, columns["created"], prefer_us=options.prefers_us_dates)
        self.lines += len(table.frame)
        errors = [*order_id.errors, *quantity.errors, *subtotal.errors, *created.errors]
        if errors:
            return errors
        raw_statuses = table.frame[columns["status"]]
        statuses = raw_statuses.map({status: fold(status) for status in raw_statuses.unique()})
        cancelled = statuses.isin(CANCELLED) | statuses.str.contains("cancel", regex=False)
        if "cancelled_time" in columns:
            cancelled |= table.frame[columns["cancelled_time"]] != ""
        buyers = table.frame[columns["buyer"]] if "buyer" in columns else order_id.values
        kept = ~cancelled.to_numpy()
        days = created.values.to_numpy()[kept].astype("datetime64[D]").astype(np.int64)
        sums = (
            pd.DataFrame(
                {
                    "day": days,
                    "gmv_cents": subtotal.values.to_numpy()[kept],
                    "items_sold": quantity.values.to_numpy()[kept],
                }
            )
            .groupby("day")
            .sum()
        )
        if self.sums is not None:
            sums = pd.concat([self.sums, sums]).groupby(level=0).sum()
        self.sums = sums
        self.orders.add(days, _hashed(order_id.values)[kept])
        self.buyers.add(days, _hashed(buyers)[kept])
        return []

    def frame(self) -> pd.DataFrame:
        """One row per day (a date) with GMV, orders, items and buyers, earliest first."""
        sums = (
            self.sums
            if self.sums is not None
            else pd.DataFrame(
                {"gmv_cents": [], "items_sold": []}, index=pd.Index([], dtype=np.int64)
            )
        )
        days = pd.DataFrame(
            {
                "gmv_cents": sums["gmv_cents"],
                "orders": self.orders.counts(sums.index),
                "items_sold": sums["items_sold"],
                "buyers": self.buyers.counts(sums.index),
            }
        ).astype("int64")
        days = days.sort_index().rename_axis("day").reset_index()
        days["day"] = [np.datetime64(int(day), "D").astype(date) for day in days["day"]]
        return days


class DistinctPerDay:
    """How many distinct things (orders, buyers) each day has, over chunks: each (day, thing)
    pair seen is kept as one 64-bit hash in a sorted array (a Python string per line would
    cost hundreds of megabytes at a million lines), and a day's count grows by the pairs not
    seen before."""

    def __init__(self) -> None:
        self.seen = np.empty(0, dtype=np.uint64)
        self.per_day: dict[int, int] = {}

    def add(self, days: np.ndarray, things: np.ndarray) -> None:
        """`days` as day numbers, `things` as 64-bit hashes, one of each per line."""
        pairs = pd.util.hash_array(things ^ days.astype(np.uint64))
        pairs, first = np.unique(pairs, return_index=True)
        at = np.searchsorted(self.seen, pairs)
        known = np.zeros(len(pairs), dtype=bool)
        if len(self.seen):
            known = self.seen[at.clip(max=len(self.seen) - 1)] == pairs
        new_days, new_counts = np.unique(days[first][~known], return_counts=True)
        for day, count in zip(new_days.tolist(), new_counts.tolist(), strict=True):
            self.per_day[day] = self.per_day.get(day, 0) + count
        self.seen = np.insert(self.seen, at[~known], pairs[~known])

    def counts(self, days: pd.Index) -> list[int]:
        return [self.per_day.get(int(day), 0) for day in days]


def _hashed(cells: pd.Series) -> np.ndarray:
    return pd.util.hash_array(cells.to_numpy(dtype=object))


def resolve_seller(engine: Engine, options: ImportOptions) -> SellerRef:
    """The seller named by --seller (key or name); a clear refusal with close matches."""
    if not options.seller:
        raise ImportRejected(
            N_(
                "This export holds one shop: say which seller it belongs to "
                "(`--seller <id or name>`, or “seller:<name>” in your message)."
            )
        )
    seller = find_seller(engine, options.team_id, options.seller)
    if seller is None:
        known = list_sellers(engine, options.team_id)
        matches = close_matches([s.name for s in known] + [s.key for s in known], options.seller)
        raise ImportRejected(
            N_("No seller {seller} in the registry. Did you mean {matches}?")
            if matches
            else N_("No seller {seller} in the registry."),
            seller=repr(options.seller),
            matches=", ".join(matches),
        )
    return seller


def _skip_description_row(table: Table, order_column: str, filename: str) -> None:
    """XLSX exports put a localized description of each column in row 2."""
    if not any(ch.isdigit() for ch in str(table.frame[order_column].iat[0])):
        table.drop_first_rows(1)
        if table.frame.empty:
            raise no_rows_below_header(filename)
