"""The process's share of memory for imports: how many run at once and how much they hold; the
others queue.

Reading a file holds memory beside the rest of the app (storage.importers.memory estimates how
much, before the file is read), so a few large files shared at the same moment could take the
process over its memory, where any one alone is fine. Every import made for a person (a file
shared in a DM, the import form) takes a turn here first, with its estimate: it waits while
SHOPBOT_IMPORTS_AT_ONCE imports run (default 1: imports of one workspace write one at a time
anyway, storage.importers.recording) or while its estimate is over what they leave free of
SHOPBOT_IMPORT_MEMORY_MB. A person whose import has to wait is told, and it starts when it fits.
An import over the whole budget is refused before it gets here (storage.importers.memory).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)
QUEUED_TEXT = ":hourglass_flowing_sand: Another import is running; yours starts when it ends."


class ImportGate:
    """At most `at_once` imports at a time in this process, holding at most `memory_mb` between
    them by their estimates, the others waiting their turn."""

    def __init__(self, at_once: int, memory_mb: int = 1 << 30) -> None:
        self._at_once, self._memory_mb = at_once, memory_mb
        self._running, self._held_mb = 0, 0
        self._changed = threading.Condition()

    def _fits(self, memory_mb: int) -> bool:
        return self._running < self._at_once and self._held_mb + memory_mb <= self._memory_mb

    @contextmanager
    def turn(self, queued: Callable[[], None] = lambda: None, memory_mb: int = 0) -> Iterator[None]:
        """Run the block in a turn holding `memory_mb` of the budget; when it does not fit now,
        call `queued` (to tell the person), then wait until it does. An estimate over the whole
        budget waits for every other import to end, then runs alone."""
        memory_mb = min(memory_mb, self._memory_mb)
        with self._changed:
            fits = self._fits(memory_mb)
        if not fits:
            try:
                queued()
            except Exception:  # the note is a courtesy: the import waits and runs all the same
                log.warning("could not say that an import is queued", exc_info=True)
        with self._changed:
            self._changed.wait_for(lambda: self._fits(memory_mb))
            self._running += 1
            self._held_mb += memory_mb
        try:
            yield
        finally:
            with self._changed:
                self._running -= 1
                self._held_mb -= memory_mb
                self._changed.notify_all()
