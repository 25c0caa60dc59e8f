"""The file an import reads: where it lies (a path on disk), or a small one already in memory.

An import never needs the whole file at once: the CSV reader streams it block by block, the
checks that look at every byte (its size, its hash, where its lines break) read it block by
block too, and a file whose problems must be explained is simply read again. Holding a 400 MB
export as one `bytes` for the length of its import would cost more than everything else the
import holds. Only the readers that need the whole file (XLSX, whose rows Excel caps, and the
general CSV reader for files the streaming one cannot take) ask for it with `read`.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

BLOCK_BYTES = 1024 * 1024  # read at a time when a check goes through the whole file


class Upload:
    """A file to import, opened as often as a reader needs it, each time from its start."""

    def __init__(self, *, path: Path | None = None, data: bytes | None = None) -> None:
        if (path is None) == (data is None):
            raise ValueError("an upload is either a path or bytes")
        self.path, self._data = path, data

    @classmethod
    def from_path(cls, path: str | Path) -> Upload:
        return cls(path=Path(path))

    @classmethod
    def of(cls, source: Upload | bytes) -> Upload:
        """An upload as it is, or bytes in memory (data made by a program, a test) as one."""
        return source if isinstance(source, Upload) else cls(data=bytes(source))

    @property
    def size(self) -> int:
        if self._data is not None:
            return len(self._data)
        assert self.path is not None
        return self.path.stat().st_size

    def open(self) -> BinaryIO:
        """A binary stream of the file from its first byte; the caller closes it."""
        if self._data is not None:
            return io.BytesIO(self._data)
        assert self.path is not None
        return self.path.open("rb")

    def head(self, size: int = 65536) -> bytes:
        """The first `size` bytes (all of a shorter file)."""
        if self._data is not None:
            return self._data[:size]
        with self.open() as stream:
            return stream.read(size)

    def read(self) -> bytes:
        """The whole file, for the readers that cannot take it in parts."""
        if self._data is not None:
            return self._data
        with self.open() as stream:
            return stream.read()

    def blocks(self, size: int = BLOCK_BYTES) -> Iterator[bytes]:
        """The file in consecutive blocks of at most `size` bytes."""
        with self.open() as stream:
            while block := stream.read(size):
                yield block

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for block in self.blocks():
            digest.update(block)
        return digest.hexdigest()

    def count(self, text: bytes) -> int:
        """How often a single byte (a line end, say) occurs in the file."""
        assert len(text) == 1, "a longer text could straddle two blocks"
        return sum(block.count(text) for block in self.blocks())

    def is_blank(self) -> bool:
        """Whether the file holds nothing but white space (or nothing at all)."""
        return all(block.isspace() for block in self.blocks())
