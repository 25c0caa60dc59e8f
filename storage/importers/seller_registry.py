"""The seller registry (CSV or XLSX): id, name, categories, market, owner, status.

Categories may be several, separated by `;` or `|`; the first is the seller's primary
category, the one KPI rows are grouped by when a sheet does not say.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.importers.base import ImportOptions, ImportSummary, RowError, register_importer
from storage.importers.columns import alias_names, has_columns, reject_if_any, resolve_columns
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import read_table
from storage.importers.values import texts
from storage.models import Seller, SellerStatus, utc_now

KIND = "sellers"
ALIASES: dict[str, tuple[str, ...]] = {
    "key": ("id", "seller id", "shop id"),
    "name": ("name", "seller name", "shop name"),
    "categories": ("categories", "category"),
    "market": ("market", "country", "region"),
    "owner": ("owner", "owner slack id", "manager"),
    "status": ("status",),
}
REQUIRED = ("key", "name", "categories")
STATUSES = {
    "active": SellerStatus.ACTIVE,
    "inactive": SellerStatus.INACTIVE,
    "paused": SellerStatus.INACTIVE,
    "churned": SellerStatus.INACTIVE,
    "": SellerStatus.ACTIVE,
}
_OWNER = re.compile(r"^([UW][A-Z0-9]{2,}|)$")


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, REQUIRED) and not has_columns(
        header, {"gmv": ("gmv",)}, ("gmv",)
    )


def import_sellers(engine: Engine, data: bytes, options: ImportOptions) -> ImportSummary:
    table = read_table(
        data, options.filename, max_bytes=options.max_bytes, keep=alias_names(ALIASES).__contains__
    )
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    cells = {f: texts(table, c, required=f in REQUIRED) for f, c in columns.items()}
    errors = [e for column in cells.values() for e in column.errors]
    values = {f: list(column.values) for f, column in cells.items()}
    count = len(table.frame)
    for field, allowed, reason in (
        ("status", lambda v: v.lower() in STATUSES, "is not active or inactive"),
        ("owner", lambda v: bool(_OWNER.match(v)), "is not a Slack user ID such as U012AB3CD"),
    ):
        for i, value in enumerate(values.get(field, [])):
            if not allowed(value):
                errors.append(
                    RowError(
                        table.row_number(i), table.original_names[columns[field]], value, reason
                    )
                )
    seen: dict[str, int] = {}
    for i, key in enumerate(values["key"]):
        if key in seen:
            errors.append(
                RowError(
                    table.row_number(i),
                    table.original_names[columns["key"]],
                    key,
                    f"repeats row {table.row_number(seen[key])}",
                )
            )
        seen.setdefault(key, i)
    reject_if_any(errors, options.filename)

    with record_import(engine, KIND, data, options) as record:
        session = record.session
        existing = {
            s.seller_key: s
            for s in session.exec(select(Seller).where(Seller.team_id == options.team_id)).all()
        }
        for i in range(count):
            categories = [
                c.strip() for c in re.split(r"[;|]", values["categories"][i]) if c.strip()
            ]
            seller = existing.get(values["key"][i]) or Seller(
                team_id=options.team_id, seller_key=values["key"][i], name="", category=""
            )
            record.updated += seller.id is not None
            record.new += seller.id is None
            seller.name, seller.categories = values["name"][i], categories
            seller.category = categories[0] if categories else "Uncategorised"
            seller.market = values.get("market", [""] * count)[i][:8]
            seller.owner_user_id = values.get("owner", [""] * count)[i] or None
            seller.status = STATUSES[values.get("status", [""] * count)[i].lower()]
            seller.updated_at = utc_now()
            session.add(seller)
        record.rows = count
    return summary_of(record, KIND, options, sellers=count)


register_importer(KIND, import_sellers, recognises)
