"""Importers of the files the team already has: each kind is detected from its header.

An importer reads the file from where it lies (an `Upload`), validates every row, and writes
everything in one transaction, or nothing: a file with invalid rows is rejected whole with the
first errors by row, column, value and reason (`ImportRejected`). The large kinds (the KPI
sheet, order exports) read and write a chunk of rows at a time, so that what they hold does not
grow with the file. The kinds are declared in one place, `storage.importers.kinds`.
"""

from storage.importers.base import (
    Importer,
    ImportOptions,
    ImportRejected,
    ImportSummary,
    RowError,
)
from storage.importers.kinds import KINDS, Kind, detect_kind, importer_for
from storage.importers.uploads import Upload

__all__ = [
    "KINDS",
    "ImportOptions",
    "ImportRejected",
    "ImportSummary",
    "Importer",
    "Kind",
    "RowError",
    "Upload",
    "detect_kind",
    "importer_for",
]
