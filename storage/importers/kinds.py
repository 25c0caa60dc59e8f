"""The kinds of file shopbot imports, each declared once, here: its name (what `--kind` and a
DM's `kind:` take), what people call the file, how its header is recognised, and its importer.

Detection tries the kinds in this order and the first whose `recognises` accepts the header
wins: a KPI sheet's header can also pass for a review tracker's or a seller registry's, so the
KPI sheet comes before them. Every list of kinds shown to people derives from `KINDS`: the
import form's hint, the answer to a file no kind recognises, `shopbot import --kind` (its
choices) and the README's Imports section (checked by tests/test_importers.py).

Adding a kind: an importer module beside the others (`KIND`, `recognises(header)` and
`import_…(engine, upload, options)`) and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from storage.errors import N_
from storage.importers import (
    collaborations,
    creators,
    kpi_sheet,
    live_sessions,
    orders,
    reviews,
    seller_registry,
)
from storage.importers.base import (
    AnyImporter,
    Importer,
    ImportOptions,
    ImportRejected,
    ImportSummary,
)
from storage.importers.uploads import Upload


@dataclass(frozen=True)
class Kind:
    name: str
    described: str  # what people call the file, as a list names it: "a team KPI sheet"
    importer: Importer
    recognises: Callable[[Sequence[str]], bool]  # normalised header names → is it this kind?
    streams: bool = False
    """The importer reads the file a chunk at a time (tables.read_table_chunks), so what it
    holds does not grow with the file; storage.importers.memory estimates the others by the
    file's size."""


KINDS: tuple[Kind, ...] = (
    Kind(
        creators.KIND,
        "Affiliate Center creator data",
        creators.import_creators,
        creators.recognises,
    ),
    Kind(
        collaborations.KIND,
        "a collaborations sheet",
        collaborations.import_collaborations,
        collaborations.recognises,
    ),
    Kind(
        kpi_sheet.KIND,
        "a team KPI sheet",
        kpi_sheet.import_kpi_sheet,
        kpi_sheet.recognises,
        streams=True,
    ),
    Kind(
        orders.KIND,
        "a Seller Center order export",
        orders.import_orders,
        orders.recognises,
        streams=True,
    ),
    Kind(
        live_sessions.KIND,
        "a LIVE sessions export",
        live_sessions.import_live_sessions,
        live_sessions.recognises,
    ),
    Kind(
        reviews.KIND,
        "a livestream review tracker",
        reviews.import_reviews,
        reviews.recognises,
    ),
    Kind(
        seller_registry.KIND,
        "a seller registry",
        seller_registry.import_sellers,
        seller_registry.recognises,
    ),
)
_BY_NAME = {kind.name: kind for kind in KINDS}


def known_kinds() -> list[str]:
    """The kinds' names, sorted: what `--kind` and `kind:` take."""
    return sorted(_BY_NAME)


def described_kinds() -> str:
    """Every kind as people call it, in one phrase: `Affiliate Center creator data, …, a
    livestream review tracker or a seller registry`."""
    named = [kind.described for kind in KINDS]
    return f"{', '.join(named[:-1])} or {named[-1]}"


def streams_rows(kind: str) -> bool:
    """Whether the kind's importer reads its file a chunk at a time."""
    return kind in _BY_NAME and _BY_NAME[kind].streams


def importer_for(kind: str) -> AnyImporter:
    if kind not in _BY_NAME:
        raise ImportRejected(
            N_("Unknown kind {kind}: expected one of {kinds}."),
            kind=repr(kind),
            kinds=", ".join(known_kinds()),
        )
    importer = _BY_NAME[kind].importer

    def run(engine: Engine, source: Upload | bytes, options: ImportOptions) -> ImportSummary:
        return importer(engine, Upload.of(source), options)

    return run


def detect_kind(header: Sequence[str]) -> str | None:
    """The kind whose header this is, from normalised column names; None if none fits."""
    for kind in KINDS:
        if kind.recognises(header):
            return kind.name
    return None
