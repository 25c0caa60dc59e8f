"""What an import of a file will hold in memory, estimated before it is read, and the refusal of
one that would need more than the process sets aside for imports.

The readers stream: a CSV is read by Arrow a chunk at a time, an XLSX sheet by calamine a piece
of its XML at a time (storage/importers/workbooks.py), so what an import holds does not grow with
its rows. What does grow: an XLSX is held whole as it was sent, and calamine reads its shared
strings (the text cells of a workbook Excel saved) whole for every piece.
"""

from __future__ import annotations

import zipfile

from storage.importers.base import ImportRejected
from storage.importers.uploads import Upload
from storage.importers.workbooks import XLSX_MAGIC

MB = 1024 * 1024
# A streamed import's own peak above the idle process, with one piece or chunk being read,
# converted and added up: some 270 MB measured for a 20 MB and 300 MB for a 37 MB XLSX
# order export, the file itself included (tests/test_import_memory.py).
READER_MB = 256
# Calamine keeps every shared string as a string of its own: some three times its XML.
SHARED_STRING_PER_BYTE = 3


def estimated_memory_mb(upload: Upload) -> int:
    """The megabytes an import of this file is expected to hold at its peak, from its size and,
    for an XLSX, from what its zip directory says its shared strings unpack to."""
    if upload.head(len(XLSX_MAGIC)) != XLSX_MAGIC:
        return READER_MB
    return READER_MB + (upload.size + SHARED_STRING_PER_BYTE * _shared_strings_bytes(upload)) // MB


def _shared_strings_bytes(upload: Upload) -> int:
    """What the workbook's shared strings unpack to, as its zip directory says (0 when the
    file is no readable zip: the reader refuses it then, with its own reason)."""
    try:
        with upload.open() as stream, zipfile.ZipFile(stream) as archive:
            return sum(
                part.file_size
                for part in archive.infolist()
                if part.filename.lower().endswith("sharedstrings.xml")
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return 0


def check_memory(upload: Upload, filename: str, budget_mb: int) -> int:
    """The file's estimate (`estimated_memory_mb`); refused, saying how to split it, when it
    is over the whole of `budget_mb`, the memory the process sets aside for imports."""
    needed = estimated_memory_mb(upload)
    if needed > budget_mb:
        raise ImportRejected(
            f"{filename} needs about {needed:,} MB of memory to import, and imports here have "
            f"{budget_mb:,} MB (SHOPBOT_IMPORT_MEMORY_MB). Split it by date range (or save it "
            "as CSV) and send the parts."
        )
    return needed
