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
from dataclasses import dataclass

from bot.settings import setting, whole
from bot.shared.language import N_, _

log = logging.getLogger(__name__)
QUEUED_TEXT = N_(":hourglass_flowing_sand: Another import is running; yours starts when it ends.")
"""Said (`queued_text`) to a person whose import waits its turn."""


def queued_text() -> str:
    return _(QUEUED_TEXT)


@dataclass(frozen=True)
class ImportSettings:
    """The limits a file import is admitted under: its size, and the turns and memory the imports
    of one process share (`settings.section(ImportSettings)`)."""

    max_import_mb: int = setting(
        "SHOPBOT_MAX_IMPORT_MB",
        "50",
        whole(1, 2000),
        invalid="expected megabytes from 1 to 2000",
        describe=(
            "Largest file accepted by `shopbot import` and by files shared with the bot, in "
            "megabytes.\nThe parts of an XLSX may unpack to ten times this (at most 1 GiB)."
        ),
        heading="Imports",
    )
    imports_at_once: int = setting(
        "SHOPBOT_IMPORTS_AT_ONCE",
        "1",
        whole(1, 16),
        invalid="expected a number from 1 to 16",
        describe=(
            "File imports run at once in one process (1-16); the others queue, and their senders "
            "are told."
        ),
    )
    """File imports one process runs at once; the others queue (ImportGate)."""
    import_memory_mb: int = setting(
        "SHOPBOT_IMPORT_MEMORY_MB",
        "600",
        whole(400, 65536),
        invalid="expected megabytes from 400 to 65536",
        describe=(
            "Memory the imports of one process share, in MB (400-65536). Each import's peak is "
            "estimated\n"
            "before it is read (some 320 MB, plus an XLSX's size and four times its shared "
            "strings): one\n"
            "over what the running imports leave free waits, one over all of it is refused, "
            "saying how to\n"
            "split it. Leave the app this much beside its own few hundred MB."
        ),
    )
    """Memory the imports of one process share; an import estimated over what is free of it
    waits, one over all of it is refused (ImportGate, storage.importers.memory)."""

    @property
    def max_import_bytes(self) -> int:
        return self.max_import_mb * 1024 * 1024


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
