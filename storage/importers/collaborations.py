"""Collaborations (CSV or XLSX): which creator works with which seller, since and until when,
and the GMV they made together: `Creator username, Seller, Start date, End date, GMV`.

The seller is named by its ID or name; the creator by handle and must be in the registry. A
pair on file is updated, never duplicated; a pair twice in the file, an unknown seller or
creator, or a bad date or amount rejects the whole file.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.creators.models import Creator
from storage.errors import N_, Sentence
from storage.importers.base import ImportOptions, ImportSummary, RowError
from storage.importers.columns import (
    Names,
    alias_names,
    has_columns,
    reject_if_any,
    resolve_columns,
)
from storage.importers.creators import parse_handle
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import Table, read_table
from storage.importers.uploads import Upload
from storage.importers.values import dates, money_cents
from storage.matchmaking.models import Collaboration
from storage.names import match_key
from storage.sellers.models import Seller
from storage.sellers.registry import close_matches

KIND = "collaborations"
ALIASES: dict[str, Names] = {
    "handle": Names(
        "creator username",
        "creator handle",
        "handle",
        "creator",
        de=("Creator-Benutzername", "Benutzername", "Creator"),
    ),
    "seller": Names(
        "seller",
        "seller id",
        "seller name",
        "shop",
        "shop name",
        de=("Verkäufer", "Verkäufer-ID", "Verkäufername", "Shop", "Shopname"),
    ),
    "since": Names(
        "start date", "since", "started", "collaboration start", de=("Startdatum", "Beginn", "Seit")
    ),
    "until": Names(
        "end date", "until", "ended", "collaboration end", de=("Enddatum", "Ende", "Bis")
    ),
    "gmv": Names("gmv", "collaboration gmv", "attributed gmv", de=("Umsatz", "Kooperationsumsatz")),
}
REQUIRED = ("handle", "seller")


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, (*REQUIRED, "since"))


def import_collaborations(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    table = read_table(
        upload,
        options.filename,
        max_bytes=options.max_bytes,
        keep=alias_names(ALIASES).__contains__,
    )
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    with record_import(engine, KIND, upload, options) as record:
        session = record.session
        creators = dict(
            session.exec(
                select(Creator.handle, Creator.id).where(Creator.team_id == options.team_id)
            ).all()
        )
        sellers = list(session.exec(select(Seller).where(Seller.team_id == options.team_id)))
        pairs, errors = _pairs(table, columns, creators, sellers)
        extra = _typed(table, columns, options)
        errors += [e for column in extra.values() for e in column[1]]
        reject_if_any(errors, options.filename)
        existing = {
            (c.creator_id, c.seller_id): c
            for c in session.exec(
                select(Collaboration).where(Collaboration.team_id == options.team_id)
            )
        }
        for position, (creator_id, seller_id) in enumerate(pairs):
            row = existing.get((creator_id, seller_id)) or Collaboration(
                team_id=options.team_id, creator_id=creator_id, seller_id=seller_id
            )
            record.new += row.id is None
            record.updated += row.id is not None
            for attribute, (values, _) in extra.items():
                if values[position] is not None:
                    setattr(row, attribute, values[position])
            session.add(row)
        record.rows = len(pairs)
    shops = len({s for _, s in pairs})
    return summary_of(record, KIND, options, sellers=shops, counted="collaboration")


def _pairs(
    table: Table, columns: dict[str, str], creators: dict[str, int | None], sellers: list[Seller]
) -> tuple[list[tuple[int, int]], list[RowError]]:
    by_key = {s.seller_key: s.id for s in sellers}
    by_name = {s.name_key: s.id for s in sellers}
    names = [s.name for s in sellers]
    pairs: list[tuple[int, int]] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, int], int] = {}
    handles, shops = table.frame[columns["handle"]], table.frame[columns["seller"]]
    for position, (handle_cell, seller_cell) in enumerate(zip(handles, shops, strict=True)):
        row = table.row_number(position)
        creator_id = seller_id = None
        try:
            creator_id = creators.get(parse_handle(handle_cell))
            if creator_id is None:
                errors.append(
                    _error(table, columns, row, "handle", handle_cell, N_("is not in the registry"))
                )
        except ValueError:
            errors.append(
                _error(table, columns, row, "handle", handle_cell, N_("is not a TikTok handle"))
            )
        seller_id = by_key.get(seller_cell.strip()) or by_name.get(match_key(seller_cell))
        if seller_id is None:
            close = close_matches(names, seller_cell, limit=1)
            reason = (
                Sentence(N_("is not a seller (did you mean {seller}?)"), {"seller": close[0]})
                if close
                else Sentence(N_("is not a seller"))
            )
            errors.append(_error(table, columns, row, "seller", seller_cell, reason))
        if creator_id is None or seller_id is None:
            continue
        pair = (creator_id, seller_id)
        if pair in seen:
            errors.append(
                _error(
                    table,
                    columns,
                    row,
                    "handle",
                    handle_cell,
                    Sentence(N_("repeats row {row}"), {"row": seen[pair]}),
                )
            )
        seen.setdefault(pair, row)
        pairs.append(pair)
    return pairs, errors[:50]


def _error(
    table: Table,
    columns: dict[str, str],
    row: int,
    field: str,
    cell: str,
    reason: str | Sentence,
) -> RowError:
    said = reason if isinstance(reason, Sentence) else Sentence(reason)
    return RowError(row, table.original_names[columns[field]], cell, said.english, said)


def _typed(
    table: Table, columns: dict[str, str], options: ImportOptions
) -> dict[str, tuple[list[object], list[RowError]]]:
    """attribute → (values with None for empty cells, errors) for the dates and the GMV."""
    typed: dict[str, tuple[list[object], list[RowError]]] = {}
    for attribute in ("since", "until"):
        if attribute in columns:
            cells = table.frame[columns[attribute]]
            present = cells != ""
            if not present.any():
                continue
            parsed = dates(table, columns[attribute], prefer_us=options.prefers_us_dates)
            errors = [e for e in parsed.errors if not e.reason.startswith("is empty")]
            values = [
                v.date() if ok and hasattr(v, "date") else None
                for ok, v in zip(present, parsed.values, strict=True)
            ]
            typed[attribute] = (values, errors)
    if "gmv" in columns:
        money = money_cents(
            table, columns["gmv"], locale_decimal=options.decimal_mark, required=False
        )
        empty = (table.frame[columns["gmv"]] == "").tolist()
        values = [None if blank else int(v) for blank, v in zip(empty, money.values, strict=True)]
        typed["gmv_cents"] = (values, money.errors)
    return typed
