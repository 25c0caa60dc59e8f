"""Importers of the files the team already has: each kind is detected from its header.

An importer reads the file from where it lies (an `Upload`), validates every row, and writes
everything in one transaction, or nothing: a file with invalid rows is rejected whole with the
first errors by row, column, value and reason (`ImportRejected`). The large kinds (the KPI
sheet, order exports) read and write a chunk of rows at a time, so that what they hold does not
grow with the file.
"""

from storage.importers.base import (
    Importer,
    ImportOptions,
    ImportRejected,
    ImportSummary,
    RowError,
    detect_kind,
    importer_for,
    register_importer,
)
from storage.importers.uploads import Upload

__all__ = [
    "ImportOptions",
    "ImportRejected",
    "ImportSummary",
    "Importer",
    "RowError",
    "Upload",
    "detect_kind",
    "importer_for",
    "register_importer",
]

# The kinds: importing a module registers it (see base.register_importer).
from storage.importers import (  # noqa: F401
    collaborations,
    creators,
    kpi_sheet,
    live_sessions,
    orders,
    reviews,
    seller_registry,
)
