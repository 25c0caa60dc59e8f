"""The App Home tab, published when a user opens it (after the event is acknowledged)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.home import home_view
from handlers import catalog
from handlers.answers import acknowledge, failure_reply, services_of
from handlers.events import event_work
from storage.overview import data_overview


@event_work
def publish_home(
    event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
) -> None:
    """The home tab; when it cannot be built, the tab says so with the failure's reference."""
    if event.get("tab", "home") != "home":
        return
    services, team_id, user_id = services_of(context), str(body.get("team_id", "")), event["user"]
    try:
        overview = data_overview(services.engine, team_id)
        view = home_view(catalog.COMMANDS, overview, services.settings)
    except Exception as error:
        reply = failure_reply(error, "app home", team_id, user_id)
        view = View(type="home", blocks=reply.blocks).to_dict()
    client.views_publish(user_id=user_id, view=view)


def register(app: App) -> None:
    app.event("app_home_opened")(ack=acknowledge, lazy=[publish_home])
