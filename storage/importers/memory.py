"""What an import of a file will hold in memory, estimated before it is read, and the refusal of
one that would need more than the process sets aside for imports.

The readers stream: a CSV is read by Arrow a chunk at a time, an XLSX sheet by calamine a piece
of its XML at a time (storage/importers/workbooks.py), so what the KPI sheet and order export
imports hold does not grow with their rows. What does grow: an XLSX is held whole as it was
sent, calamine reads its shared strings (the text cells of a workbook Excel saved) whole for
every piece, and the other kinds hold their whole table. The estimate is a little above what
was measured (tests/test_import_memory.py holds a near-limit file to 1.2 GB of address space).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from storage.errors import N_, Number
from storage.importers.base import ImportRejected
from storage.importers.uploads import Upload
from storage.importers.workbooks import XLSX_MAGIC

MB = 1024 * 1024
# A streamed import's own peak above the idle process, with one piece or chunk being read,
# converted and added up: measured 270 MB for a 20 MB and 300 MB for a 37 MB order export
# XLSX (200,000 and 380,000 lines, the file itself included), with some room.
READER_MB = 320
# Calamine keeps every shared string as a string of its own, and parses them for each piece:
# measured 3.5 to 4 MB a MB of their XML (a one-row sheet carrying 8 and 64 MB of them).
SHARED_STRING_PER_BYTE = 4
# The kinds read whole hold their table of text cells and what is parsed from it. Measured on
# LIVE sessions exports of 100,000 and 300,000 rows (14 columns): 250 and 520 MB above the idle
# process, from 72 and 218 MB of sheet XML (1.85 MB a MB); 520 MB from the 31 MB CSV of the
# 300,000 rows.
TABLE_PER_XML_BYTE = 2
TABLE_PER_CSV_BYTE = 14


def estimated_memory_mb(upload: Upload, *, streamed: bool = True) -> int:
    """The megabytes an import of this file is expected to hold at its peak, from its size and,
    for an XLSX, from what its zip directory says its parts unpack to. `streamed`: the kind's
    importer reads a chunk at a time; the others hold the whole table, which costs by the
    size of what it is read from."""
    if upload.head(len(XLSX_MAGIC)) != XLSX_MAGIC:
        return READER_MB + (0 if streamed else TABLE_PER_CSV_BYTE * upload.size // MB)
    sizes = _unpacked_sizes(upload)
    needed = upload.size + SHARED_STRING_PER_BYTE * sizes.shared_strings
    if not streamed:
        needed += TABLE_PER_XML_BYTE * sizes.sheets
    return READER_MB + needed // MB


@dataclass(frozen=True)
class _Unpacked:
    shared_strings: int
    sheets: int


def _unpacked_sizes(upload: Upload) -> _Unpacked:
    """What the workbook's shared strings and sheets unpack to, as its zip directory says
    (nothing when the file is no readable zip: the reader refuses it then, with its reason)."""
    try:
        with upload.open() as stream, zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return _Unpacked(0, 0)
    names = [(part.filename.lower(), part.file_size) for part in parts]
    return _Unpacked(
        shared_strings=sum(size for name, size in names if name.endswith("sharedstrings.xml")),
        sheets=sum(size for name, size in names if name.startswith("xl/worksheets/sheet")),
    )


def check_memory(upload: Upload, filename: str, budget_mb: int, *, streamed: bool = True) -> int:
    """The file's estimate (`estimated_memory_mb`); refused, saying how to split it, when it
    is over the whole of `budget_mb`, the memory the process sets aside for imports."""
    needed = estimated_memory_mb(upload, streamed=streamed)
    if needed > budget_mb:
        raise ImportRejected(
            N_(
                "{filename} needs about {needed} MB of memory to import, and imports here have "
                "{budget} MB (SHOPBOT_IMPORT_MEMORY_MB). Split it by date range (or save it "
                "as CSV) and send the parts."
            ),
            filename=filename,
            needed=Number(needed),
            budget=Number(budget_mb),
        )
    return needed
