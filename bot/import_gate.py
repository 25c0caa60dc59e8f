"""The process's share of memory for imports: how many run at once, the others queue.

Reading an XLSX takes many times the file's size in memory (calamine unpacks the sheet), so a
few near-limit files shared at the same moment could take the process over its memory, where
any one alone is fine. Every import made for a person (a file shared in a DM, the import form)
takes a turn here first; a person whose import has to wait is told, and it starts when a turn
is free. SHOPBOT_IMPORTS_AT_ONCE sizes it (default 1: imports of one workspace write one at a
time anyway, storage.importers.recording).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)
QUEUED_TEXT = ":hourglass_flowing_sand: Another import is running; yours starts when it ends."


class ImportGate:
    """At most `at_once` imports at a time in this process, the others waiting their turn."""

    def __init__(self, at_once: int) -> None:
        self._turns = threading.BoundedSemaphore(at_once)

    @contextmanager
    def turn(self, queued: Callable[[], None] = lambda: None) -> Iterator[None]:
        """Run the block in a turn; when none is free, call `queued` (to tell the person),
        then wait for one."""
        if not self._turns.acquire(blocking=False):
            try:
                queued()
            except Exception:  # the note is a courtesy: the import waits and runs all the same
                log.warning("could not say that an import is queued", exc_info=True)
            self._turns.acquire()
        try:
            yield
        finally:
            self._turns.release()
