"""What the handlers call: the application's services, built once and passed in.

Nothing here is a process-wide singleton: `build_services(settings)` makes a fresh set, so a test
builds a whole app in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from bot.settings import Settings
from storage.authored import ChangedBy
from storage.db import make_engine

if TYPE_CHECKING:  # bot.commands builds on these services
    from bot.commands import SlashCommand


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=system_clock)
    commands: Sequence[SlashCommand] = ()
    """The slash commands the app answers (the app factory sets them), for the App Home."""

    def local_now(self) -> datetime:
        """Now, in the team's time zone."""
        return self.clock().astimezone(self.settings.tz)

    def today(self) -> date:
        """Today's date in the team's time zone."""
        return self.local_now().date()

    def changed_by(self, user_id: str) -> ChangedBy:
        """A change by `user_id` now, with the admins it is judged against."""
        return ChangedBy(user_id=user_id, admins=self.settings.admins, now=self.clock())

    def __deepcopy__(self, memo: dict[int, Any]) -> Services:
        # Bolt deep-copies a request, context and all, for its lazy listeners: the copies share
        # these services (one engine and its pool, one clock), as every other request does.
        return self


def build_services(settings: Settings, *, engine: Engine | None = None) -> Services:
    return Services(settings=settings, engine=engine or make_engine(settings.database_url))
