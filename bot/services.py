"""What the handlers call: the application's services, built once and passed in.

Nothing here is a process-wide singleton: `build_services(settings)` makes a fresh set, so a test
builds a whole app in one call.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.import_gate import ImportGate
from bot.settings import Settings
from bot.slack_retries import slack_retries
from storage.authored import ChangedBy
from storage.db import make_engine

if TYPE_CHECKING:  # bot.commands builds on these services
    from bot.commands import SlashCommand


SLACK_TIMEOUT_SECONDS = 10


def slack_client(settings: Settings) -> WebClient:
    """A Web API client that waits out 429s and retries connection and server errors."""
    return WebClient(
        token=settings.slack_bot_token.reveal(),
        base_url=settings.slack_api_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=slack_retries(),
    )


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=system_clock)
    commands: Sequence[SlashCommand] = ()
    """The slash commands the app answers (the composition root sets them), for the App Home."""
    installed_team_id: str | None = None
    """The workspace the bot token belongs to, pinned at start (`pin_workspace`)."""
    imports: ImportGate = field(init=False, repr=False)
    """The imports this process runs at once (SHOPBOT_IMPORTS_AT_ONCE) within the memory
    they share (SHOPBOT_IMPORT_MEMORY_MB); the others queue."""

    def __post_init__(self) -> None:
        self.imports = ImportGate(self.settings.imports_at_once, self.settings.import_memory_mb)

    def workspace(self) -> str:
        """The installed workspace: requests from any other are refused, and scheduled work
        runs for it alone. Pinned at start, by the app (app.build_app) or the scheduler."""
        if self.installed_team_id is None:
            raise RuntimeError("the installed workspace is pinned at start: call pin_workspace")
        return self.installed_team_id

    def slack(self) -> WebClient:
        """A Web API client for the installed workspace (bot.services.slack_client)."""
        return slack_client(self.settings)

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


def pin_workspace(services: Services, client: WebClient) -> str:
    """Ask Slack once (`auth.test`) which workspace the bot token belongs to, and keep it:
    the one workspace this deployment serves, whatever a request or a database row names."""
    if services.installed_team_id is None:
        services.installed_team_id = str(client.auth_test()["team_id"])
    return services.installed_team_id


def build_services(settings: Settings, *, engine: Engine | None = None) -> Services:
    return Services(settings=settings, engine=engine or make_engine(settings.database_url))
