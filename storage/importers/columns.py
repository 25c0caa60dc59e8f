"""Finding an importer's columns under the names real files use, and failing whole.

Each importer declares its columns once, in its `ALIASES`: field → `Names`, the headers a file
may write for it, in English and in German (as the German Seller Center writes them, or as a
team's own sheet would). Headers are matched normalised (`tables.normalise_header`: case,
spaces, a BOM, `Revenue (Rp)`'s unit and `ä`/`ae` do not matter). A file may mix the languages,
one per column; a German header and another header for the same column is refused, naming
both. Among English headers the first in the declaration wins, as exports carry several (the
LIVE export's `Creator` and `Nickname`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from storage.errors import N_, Nn_, Sentence
from storage.importers.base import ImportRejected, RowError
from storage.importers.tables import Table, normalise_header


class Names(tuple[str, ...]):
    """A column's header names, normalised: the English ones, then the German ones not also
    English (`Names("orders", "order count", de=("Bestellungen",))`). `german` keeps the German
    ones as declared (`Bestellungen`), for messages and tests: a German name that is also an
    English one (`Status`) is among them, and is matched as English."""

    german: tuple[str, ...]
    only_german: frozenset[str]  # normalised

    def __new__(cls, *english: str, de: Sequence[str] = ()) -> Names:
        ours = [normalise_header(n)[0] for n in english]
        self = super().__new__(cls, dict.fromkeys([*ours, *(normalise_header(n)[0] for n in de)]))
        self.german = tuple(de)
        self.only_german = frozenset(normalise_header(n)[0] for n in de) - set(ours)
        return self


def _only_german(names: Sequence[str]) -> frozenset[str]:
    return names.only_german if isinstance(names, Names) else frozenset()


def writes_german(columns: Iterable[str], aliases: Mapping[str, Sequence[str]]) -> bool:
    """Whether a file's (normalised) columns include a German name of any field."""
    present = set(columns)
    return any(present & _only_german(names) for names in aliases.values())


def column_label(names: Sequence[str], german: bool) -> str:
    """How a message names a column: `orders`, or for a file with German headers
    `Bestellungen (orders)`."""
    if german and isinstance(names, Names) and names.only_german:
        shown = next(n for n in names.german if normalise_header(n)[0] in names.only_german)
        return f"{shown} ({names[0]})"
    return names[0]


def alias_names(aliases: Mapping[str, Sequence[str]]) -> frozenset[str]:
    return frozenset(name for names in aliases.values() for name in names)


def has_columns(
    header: Sequence[str], aliases: Mapping[str, Sequence[str]], fields: Sequence[str]
) -> bool:
    """Whether a normalised header has every one of `fields` under some alias."""
    present = set(header)
    return all(present.intersection(aliases[f]) for f in fields)


def resolve_columns(
    table: Table, aliases: Mapping[str, Sequence[str]], required: Sequence[str], filename: str
) -> dict[str, str]:
    """field → the table's column for it; ImportRejected naming every missing required one,
    or a field given twice where one of the two is a German header."""
    present = set(table.frame.columns)
    found: dict[str, str] = {}
    for field, names in aliases.items():
        hits = [name for name in names if name in present]
        if len(hits) > 1 and set(hits) & _only_german(names):
            order = list(table.frame.columns)
            first, second = (
                table.original_names.get(h, h).strip() for h in sorted(hits, key=order.index)[:2]
            )
            raise ImportRejected(
                N_(
                    "{filename} has both “{first}” and “{second}”, which are the same column "
                    "({field}): keep one and send it again; nothing was imported."
                ),
                filename=filename,
                first=first,
                second=second,
                field=names[0],
            )
        if hits:
            found[field] = hits[0]
    german = writes_german(present, aliases)
    missing = [column_label(aliases[f], german) for f in required if f not in found]
    if missing:
        raise ImportRejected(
            Nn_(
                "{filename} is missing the column {columns}; nothing was imported.",
                "{filename} is missing the columns {columns}; nothing was imported.",
                len(missing),
            ),
            filename=filename,
            columns=[quoted(m) for m in missing],
        )
    return found


def quoted(name: str) -> Sentence:
    """A column's name as a sentence quotes it: “orders”, „Bestellungen“."""
    return Sentence(N_("“{column}”"), {"column": name})


def reject_if_any(errors: Sequence[RowError], filename: str) -> None:
    if errors:
        ordered = sorted(errors, key=lambda e: (e.row, e.column))
        raise ImportRejected(
            Nn_(
                "{filename} was not imported: {count}{more} problem — fix them and send it "
                "again. Nothing was changed.",
                "{filename} was not imported: {count}{more} problems — fix them and send it "
                "again. Nothing was changed.",
                len(ordered),
            ),
            ordered,
            filename=filename,
            more="+" if len(ordered) >= 50 else "",
        )
