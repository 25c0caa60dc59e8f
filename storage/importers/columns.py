"""Finding an importer's columns under the names real files use, and failing whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from storage.importers.base import ImportRejected, RowError
from storage.importers.tables import Table


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
    """field → the table's column for it; ImportRejected naming every missing required one."""
    found: dict[str, str] = {}
    for field, names in aliases.items():
        for name in names:
            if name in table.frame.columns:
                found[field] = name
                break
    missing = [aliases[f][0] for f in required if f not in found]
    if missing:
        raise ImportRejected(
            f"{filename} is missing the column{'s' if len(missing) > 1 else ''} "
            + ", ".join(f"“{m}”" for m in missing)
            + "; nothing was imported."
        )
    return found


def reject_if_any(errors: Sequence[RowError], filename: str) -> None:
    if errors:
        ordered = sorted(errors, key=lambda e: (e.row, e.column))
        raise ImportRejected(
            f"{filename} was not imported: {len(ordered)}"
            f"{'+' if len(ordered) >= 50 else ''} problem{'s' if len(ordered) != 1 else ''} "
            "— fix them and send it again. Nothing was changed.",
            ordered,
        )
