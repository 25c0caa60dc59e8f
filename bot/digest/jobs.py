"""The weekly digest as a kind of subscribed post of the one delivery run
(bot.shared.delivery.run): checked at every tick, every minute and once at start."""

from __future__ import annotations

from collections.abc import Callable

from bot.digest.manage import build_runner
from bot.services import Services
from bot.shared.delivery.run import ScheduledPosts


def _digest_runner(services: Services) -> Callable[[], object]:
    """One runner per process; which digest is due, and who posts it, the database decides
    (bot.digest.runner). A slot missed while the bot was down is caught up at the first tick
    (within SHOPBOT_DIGEST_GRACE_HOURS)."""
    return build_runner(services).tick


WEEKLY_DIGESTS = ScheduledPosts("weekly digest", _digest_runner)
