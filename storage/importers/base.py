"""What every importer shares: options, results, row errors, and the registry of kinds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine

from storage.importers.uploads import Upload

MAX_ERRORS_SHOWN = 10


@dataclass(frozen=True)
class RowError:
    """One problem in an input file, located as a person would look for it."""

    row: int  # the row number a spreadsheet shows (the header is row 1)
    column: str
    value: str
    reason: str

    def describe(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"row {self.row}, {self.column} = {shown!r}: {self.reason}"


class ImportRejected(ValueError):
    """The file was not imported; nothing was written. `errors` lists the first problems."""

    def __init__(self, message: str, errors: Sequence[RowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors)

    def describe(self, limit: int = MAX_ERRORS_SHOWN) -> str:
        lines = [self.message, *(f"• {e.describe()}" for e in self.errors[:limit])]
        if len(self.errors) > limit:
            lines.append(f"… and {len(self.errors) - limit} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportOptions:
    team_id: str
    filename: str
    seller: str | None = None  # a seller's key or name, for files that hold one shop
    user_id: str | None = None  # who sent it (Slack user), for the import record
    dry_run: bool = False
    progress: Callable[[int, int], None] | None = None  # (rows done, rows total)
    locale: str = "en_US"  # breaks ties: 05/06/2025 and "1.234" read the locale's way
    max_bytes: int | None = None
    # Whether a Slack user ID is a person of the workspace: when given (imports through Slack),
    # the seller registry refuses owners who are not.
    is_member: Callable[[str], bool] | None = None

    @property
    def decimal_mark(self) -> str:
        from babel.numbers import get_decimal_symbol

        return "," if get_decimal_symbol(self.locale) == "," else "."

    @property
    def prefers_us_dates(self) -> bool:
        return self.locale.endswith(("_US", "_PH")) or self.locale == "en"


@dataclass(frozen=True)
class ImportSummary:
    kind: str
    rows: int
    new: int
    updated: int
    first_day: date | None = None
    last_day: date | None = None
    sellers: int = 0  # the sellers the file is about
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    row: str = "row"  # what one of the file's `rows` is: "row", "order line", "session"
    counted: str = "row"  # what `new` and `updated` count: "seller-day", "creator", …


# An importer takes the file (CSV or XLSX, read from where it lies) and the options; it raises
# ImportRejected.
Importer = Callable[[Engine, Upload, ImportOptions], ImportSummary]
# What `importer_for` hands out: an importer that also takes a file's bytes held in memory.
AnyImporter = Callable[[Engine, Upload | bytes, ImportOptions], ImportSummary]


@dataclass(frozen=True)
class _Kind:
    name: str
    importer: Importer
    recognises: Callable[[Sequence[str]], bool]  # normalised header names → is it this kind?
    streams: bool  # reads the file a chunk at a time (tables.read_table_chunks), not whole


# The import kinds, declared by their modules when imported (register_importer): the same
# declarations in every process, holding nothing of any database, workspace or settings.
_KINDS: dict[str, _Kind] = {}


def register_importer(
    name: str,
    importer: Importer,
    recognises: Callable[[Sequence[str]], bool],
    *,
    streams: bool = False,
) -> None:
    """Make a kind available to `shopbot import`, to files shared in a DM and to detection.
    `streams`: the importer reads the file a chunk at a time, so what it holds does not grow
    with the file (storage.importers.memory estimates the others by the file's size)."""
    _KINDS[name] = _Kind(name, importer, recognises, streams)


def streams_rows(kind: str) -> bool:
    """Whether the kind's importer reads its file a chunk at a time."""
    return kind in _KINDS and _KINDS[kind].streams


def importer_for(kind: str) -> AnyImporter:
    if kind not in _KINDS:
        raise ImportRejected(f"Unknown kind {kind!r}: expected one of {', '.join(sorted(_KINDS))}.")
    importer = _KINDS[kind].importer

    def run(engine: Engine, source: Upload | bytes, options: ImportOptions) -> ImportSummary:
        return importer(engine, Upload.of(source), options)

    return run


def known_kinds() -> list[str]:
    return sorted(_KINDS)


def detect_kind(header: Sequence[str]) -> str | None:
    """The kind whose header this is, from normalised column names; None if none fits."""
    for kind in _KINDS.values():
        if kind.recognises(header):
            return kind.name
    return None
