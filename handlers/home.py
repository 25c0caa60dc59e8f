"""The App Home tab, published when a user opens it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.commands import SlashCommand
from bot.home import home_view
from bot.services import Services
from storage.overview import data_overview


def register(app: App, services: Services, commands: Sequence[SlashCommand]) -> None:
    @app.event("app_home_opened")
    def publish_home(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        overview = data_overview(services.engine, str(body.get("team_id", "")))
        client.views_publish(
            user_id=event["user"], view=home_view(commands, overview, services.settings)
        )
