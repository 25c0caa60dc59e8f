"""The seller registry (CSV or XLSX): shop id, store name, categories, market, tier, owner,
status, contacts, programs and tags.

Categories, programs and tags may be several, separated by `;` or `|`; the first category is
the seller's main one, the one KPI rows are grouped by when a sheet does not say. Contacts are
separated by `;`, each `name, role, how to reach` (role and reach may be left out). Every change
to a seller already in the registry is kept in its history (storage.sellers.profiles).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.errors import N_, Sentence
from storage.importers.base import ImportOptions, ImportSummary, RowError
from storage.importers.columns import (
    Names,
    alias_names,
    has_columns,
    reject_if_any,
    resolve_columns,
)
from storage.importers.recording import record_import, summary_of
from storage.importers.tables import Table, read_table
from storage.importers.uploads import Upload
from storage.importers.values import texts
from storage.names import match_key
from storage.sellers.models import Seller, SellerStatus
from storage.sellers.profiles import PROGRAMS, STATUSES, Contact, SellerDraft, apply_profile

KIND = "sellers"
ALIASES: dict[str, Names] = {
    "key": Names("id", "seller id", "shop id", de=("ID", "Verkäufer-ID", "Shop-ID")),
    "name": Names(
        "name", "seller name", "shop name", "store name", de=("Name", "Verkäufername", "Shopname")
    ),
    "categories": Names("categories", "category", de=("Kategorien", "Kategorie")),
    "market": Names("market", "country", "region", de=("Markt", "Land")),
    "tier": Names("tier", "seller tier", de=("Stufe", "Verkäuferstufe")),
    "owner": Names(
        "owner", "owner slack id", "manager", de=("Betreuer", "Betreuung", "Verantwortlich")
    ),
    "status": Names("status", de=("Status",)),
    "contacts": Names("contacts", "contact", de=("Kontakte", "Kontakt")),
    "programs": Names("programs", "programmes", de=("Programme",)),
    "tags": Names("tags", de=("Tags", "Schlagwörter")),
}
REQUIRED = ("key", "name", "categories")
# Older sheets (and the demo) say `inactive`: kept as it is, and read as not working with the
# team now, as `paused` is.
_ENGLISH_STATUSES = {**{s: s for s in STATUSES}, "inactive": SellerStatus.INACTIVE}
# A German sheet's words for them (`Aktiv`, `Pausiert`), read as the English ones.
STATUS_WORDS = {
    **_ENGLISH_STATUSES,
    "interessent": SellerStatus.PROSPECT,
    "aktiv": SellerStatus.ACTIVE,
    "pausiert": SellerStatus.PAUSED,
    "abgewandert": SellerStatus.CHURNED,
    "inaktiv": SellerStatus.INACTIVE,
    "": "active",
}
PROGRAM_WORDS = {
    **{p: p for p in PROGRAMS},
    "campaign": "campaigns",
    "affiliates": "affiliate",
    "kampagnen": "campaigns",
    "kampagne": "campaigns",
    "videos": "video",
}
_OWNER = re.compile(r"^([UW][A-Z0-9]{2,}|)$")
_LIST = re.compile(r"[;|]")
MAX_CONTACTS = 10


def recognises(header: Sequence[str]) -> bool:
    return has_columns(header, ALIASES, REQUIRED) and not has_columns(
        header, {"gmv": Names("gmv", de=("Umsatz",))}, ("gmv",)
    )


def split_list(cell: str) -> list[str]:
    """`a; b | c` → [a, b, c] (empty items dropped, first spelling of a repeat kept)."""
    seen: dict[str, str] = {}
    for item in _LIST.split(cell):
        if item.strip():
            seen.setdefault(match_key(item), item.strip())
    return list(seen.values())


def parse_contacts(cell: str) -> list[Contact]:
    """`Ana Lima, owner, ana@shop.example; Bo` → contacts (role and reach optional)."""
    contacts = []
    for entry in cell.split(";"):
        parts = [p.strip() for p in entry.split(",", 2)]
        if parts[0]:
            contacts.append(Contact(parts[0][:100], *(p[:200] for p in parts[1:])))
    return contacts


def parse_programs(cell: str) -> list[str] | None:
    """The programs named in a cell, or None when one of them is no program."""
    words = [w.lower() for w in split_list(cell)]
    if any(w not in PROGRAM_WORDS for w in words):
        return None
    return list(dict.fromkeys(PROGRAM_WORDS[w] for w in words))


def _checks() -> list[tuple[str, Callable[[str], bool], str | Sentence]]:
    return [
        (
            "status",
            lambda v: v.lower() in STATUS_WORDS,
            Sentence(N_("is not one of {statuses}"), {"statuses": ", ".join(_ENGLISH_STATUSES)}),
        ),
        ("owner", lambda v: bool(_OWNER.match(v)), N_("is not a Slack user ID such as U012AB3CD")),
        (
            "programs",
            lambda v: parse_programs(v) is not None,
            Sentence(
                N_("names a program other than {programs}"), {"programs": ", ".join(PROGRAMS)}
            ),
        ),
        (
            "contacts",
            lambda v: len(parse_contacts(v)) <= MAX_CONTACTS,
            Sentence(N_("has more than {most} contacts"), {"most": MAX_CONTACTS}),
        ),
    ]


def _strangers(
    table: Table, column: str, owners: list[str], is_member: Callable[[str], bool]
) -> list[RowError]:
    """Owners that are not people of the workspace (each asked about once)."""
    known: dict[str, bool] = {}
    errors = []
    for i, owner in enumerate(owners):
        if owner and _OWNER.match(owner):
            if owner not in known:
                known[owner] = is_member(owner)
            if not known[owner]:
                errors.append(
                    RowError(
                        table.row_number(i),
                        table.original_names[column],
                        owner,
                        N_("is not a person in this workspace"),
                    )
                )
    return errors


def _repeats(table: Table, column: str, values: list[str], what: str) -> list[RowError]:
    """A shop id or a store name that two rows of the file give."""
    seen: dict[str, int] = {}
    errors = []
    for i, value in enumerate(values):
        key = match_key(value)
        if key in seen:
            errors.append(
                RowError.saying(
                    table.row_number(i),
                    table.original_names[column],
                    value,
                    what,
                    row=table.row_number(seen[key]),
                )
            )
        seen.setdefault(key, i)
    return errors


def import_sellers(engine: Engine, upload: Upload, options: ImportOptions) -> ImportSummary:
    table = read_table(
        upload,
        options.filename,
        max_bytes=options.max_bytes,
        keep=alias_names(ALIASES).__contains__,
    )
    columns = resolve_columns(table, ALIASES, REQUIRED, options.filename)
    cells = {
        f: texts(table, c, required=f in REQUIRED, max_length=2000 if f == "contacts" else 200)
        for f, c in columns.items()
    }
    errors = [e for column in cells.values() for e in column.errors]
    count = len(table.frame)
    values = {f: list(cells[f].values) if f in cells else [""] * count for f in ALIASES}
    for field, allowed, reason in _checks():
        said = reason if isinstance(reason, Sentence) else Sentence(reason)
        for i, value in enumerate(values[field] if field in columns else []):
            if not allowed(value):
                column = table.original_names[columns[field]]
                errors.append(RowError(table.row_number(i), column, value, said.english, said))
    if options.is_member is not None and "owner" in columns:
        errors += _strangers(table, columns["owner"], values["owner"], options.is_member)
    errors += _repeats(table, columns["key"], values["key"], N_("repeats the shop id of row {row}"))
    errors += _repeats(
        table, columns["name"], values["name"], N_("repeats the store name of row {row}")
    )
    reject_if_any(errors, options.filename)

    with record_import(engine, KIND, upload, options) as record:
        session = record.session
        existing = {
            s.seller_key: s
            for s in session.exec(select(Seller).where(Seller.team_id == options.team_id)).all()
        }
        _refuse_names_of_others(table, columns["name"], values, existing, options.filename)
        for i in range(count):
            draft = _draft(values, i)
            seller = existing.get(draft.key) or Seller(
                team_id=options.team_id, seller_key=draft.key, name="", category=""
            )
            is_new = seller.id is None
            changed = apply_profile(
                session, seller, draft, changed_by=options.user_id or "import", source="import"
            )
            record.new += is_new
            record.updated += changed and not is_new
        record.rows = count
    return summary_of(record, KIND, options, sellers=count, counted="seller")


def _draft(values: dict[str, list[str]], i: int) -> SellerDraft:
    return SellerDraft(
        key=values["key"][i],
        name=values["name"][i],
        categories=split_list(values["categories"][i]),
        market=values["market"][i],
        tier=values["tier"][i],
        owner_user_id=values["owner"][i] or None,
        status=STATUS_WORDS[values["status"][i].lower()],
        contacts=parse_contacts(values["contacts"][i]),
        programs=parse_programs(values["programs"][i]) or [],
        tags=split_list(values["tags"][i]),
    )


def _refuse_names_of_others(
    table: Table,
    column: str,
    values: dict[str, list[str]],
    existing: dict[str, Seller],
    filename: str,
) -> None:
    """A row may not give a store name that another seller (another shop id) already has."""
    owners = {match_key(s.name): s.seller_key for s in existing.values()}
    errors = [
        RowError.saying(
            table.row_number(i),
            table.original_names[column],
            name,
            N_("is already the name of shop id {key}"),
            key=owners[match_key(name)],
        )
        for i, name in enumerate(values["name"])
        if owners.get(match_key(name), values["key"][i]) != values["key"][i]
    ]
    reject_if_any(errors, filename)
