"""What the handlers call: the application's services, built once and passed in.

Nothing here is a process-wide singleton: `build_services(settings)` makes a fresh set, so a test
builds a whole app in one call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.features import Features
from bot.imports.gate import ImportGate, ImportSettings
from bot.settings import Settings
from bot.shared.slack_retries import slack_retries
from bot.shared.speakers import SlackLocales
from storage.authored import ChangedBy
from storage.db import make_engine

if TYPE_CHECKING:  # the commands are built on these services
    from bot.shared.commands import SlashCommand

ANSWER_TIMEOUT_SECONDS = 10
POST_TIMEOUT_SECONDS = 30  # an upload of two charts; far below a scheduled post's lease


def slack_client(settings: Settings, *, retries: bool, timeout: float | None = None) -> WebClient:
    """The one way a Web API client is made: the bot token, Slack's URL (the sandbox's,
    offline), a timeout and the retry handlers.

    `retries=True`, for answers and reads: 429s are waited out and connection and server errors
    retried (bot.shared.slack_retries), within ANSWER_TIMEOUT_SECONDS a call. `retries=False`, for
    scheduled posts: a post that timed out may have landed, so the delivery decides what is
    safe to repeat (bot.shared.delivery.slack); a call may take POST_TIMEOUT_SECONDS.
    """
    default = ANSWER_TIMEOUT_SECONDS if retries else POST_TIMEOUT_SECONDS
    return WebClient(
        token=settings.slack_bot_token.reveal(),
        base_url=settings.slack_api_url,
        timeout=int(timeout or default),
        retry_handlers=slack_retries() if retries else [],
    )


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime] = field(default=system_clock)
    features: Features = field(default_factory=Features)
    """The app's features (the composition root lists them): their commands, jobs, Home and
    digest sections, and what they do after an import."""
    installed_team_id: str | None = None
    """The workspace the bot token belongs to, pinned at start (`pin_workspace`)."""
    installed_bot_user_id: str | None = None
    """The bot's own user in it, pinned with it: how scheduled posts and resumed requests
    tell the bot's messages in a channel's history."""
    slack_locales: SlackLocales = field(default_factory=SlackLocales, repr=False)
    """People's Slack languages, as Slack last told them (bot.shared.speakers)."""
    imports: ImportGate = field(init=False, repr=False)
    """The imports this process runs at once (SHOPBOT_IMPORTS_AT_ONCE) within the memory
    they share (SHOPBOT_IMPORT_MEMORY_MB); the others queue."""

    def __post_init__(self) -> None:
        limits = self.settings.section(ImportSettings)
        self.imports = ImportGate(limits.imports_at_once, limits.import_memory_mb)

    @property
    def commands(self) -> tuple[SlashCommand, ...]:
        """The slash commands the app answers, as its features declare them (the usage text
        every answer shows is read from them)."""
        return self.features.commands

    def workspace(self) -> str:
        """The installed workspace: requests from any other are refused, and scheduled work
        runs for it alone. Pinned at start, by the app (app.build_app) or the scheduler."""
        if self.installed_team_id is None:
            raise RuntimeError("the installed workspace is pinned at start: call pin_workspace")
        return self.installed_team_id

    def bot_user(self) -> str:
        """The bot's user ID, pinned at start with the workspace (`pin_workspace`)."""
        if self.installed_bot_user_id is None:
            raise RuntimeError("the installed workspace is pinned at start: call pin_workspace")
        return self.installed_bot_user_id

    def slack(self, *, retries: bool = True) -> WebClient:
        """A Web API client (`slack_client`); `retries=False` for a scheduled post."""
        return slack_client(self.settings, retries=retries)

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
    the one workspace this deployment serves, whatever a request or a database row names.
    The bot's user ID is kept with it, so nothing else asks Slack again."""
    if services.installed_team_id is None or services.installed_bot_user_id is None:
        answer = client.auth_test()
        services.installed_team_id = str(answer["team_id"])
        services.installed_bot_user_id = str(answer["user_id"])
    return services.installed_team_id


def build_services(
    settings: Settings, *, engine: Engine | None = None, features: Features | None = None
) -> Services:
    return Services(
        settings=settings,
        engine=engine or make_engine(settings.database_url),
        features=features or Features(),
    )
