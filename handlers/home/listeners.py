"""The App Home tab: published when a person opens it (after the event is acknowledged), when
they change the categories they follow, and after imports; its buttons open the forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.digest import manage as digests
from bot.feedback.note_form import open_note_form
from bot.home import tab as home
from bot.home.subscribe_form import chosen_channel, subscribe_form
from bot.imports.form import import_form
from bot.review.form import ReviewPrefill, open_review_form
from bot.services import Services
from bot.shared.commands import CommandRequest
from bot.shared.forms import FormState
from bot.shared.viewer import Viewer
from handlers.answers import Answer, failure_reply, guarded, tell
from handlers.events import event_work


@event_work
def publish_home(
    event: dict[str, Any], client: WebClient, context: BoltContext, services: Services, who: Viewer
) -> None:
    """The home tab (at most once a minute); when it cannot be built, the tab says so with
    the failure's reference."""
    if event.get("tab", "home") != "home":
        return
    try:
        home.publish_home(services, client, who.team_id, who.user_id)
    except Exception as error:
        reply = failure_reply(error, "app home", who.team_id, who.user_id)
        home_tab = View(type="home", blocks=reply.blocks).to_dict()
        client.views_publish(user_id=who.user_id, view=home_tab)


def _from_home(name: str, who: Viewer, client: WebClient, work: Callable[[], None]) -> None:
    """Work started on the Home tab: what goes wrong in it is answered by DM (a Home has no
    conversation to answer in)."""

    def done() -> Answer | None:
        work()
        return None

    answer = guarded(name, who, done)
    if answer is not None:
        tell(client, who.user_id, answer.reply)


def categories_chosen(
    action: dict[str, Any], client: WebClient, services: Services, who: Viewer
) -> None:
    """The person chose the categories their Home follows: saved, and the Home shown again."""
    options = action.get("selected_options")
    chosen = [str(o.get("value")) for o in options if isinstance(o, dict)] if options else []

    def work() -> None:
        home.follow_categories(services, who.team_id, who.user_id, chosen)
        home.publish_home(services, client, who.team_id, who.user_id, asked=True)

    _from_home("home categories", who, client, work)


def new_note_clicked(
    body: dict[str, Any], client: WebClient, services: Services, who: Viewer
) -> None:
    _from_home(
        "home note form",
        who,
        client,
        lambda: open_note_form(
            client, services.engine, FormState(), body["trigger_id"], team_id=who.team_id
        ),
    )


def new_review_clicked(body: dict[str, Any], client: WebClient, who: Viewer) -> None:
    _from_home(
        "home review form",
        who,
        client,
        lambda: open_review_form(client, FormState(), body["trigger_id"], ReviewPrefill()),
    )


def import_clicked(body: dict[str, Any], client: WebClient, who: Viewer) -> None:
    def work() -> None:
        dm = client.conversations_open(users=who.user_id)["channel"]["id"]
        client.views_open(trigger_id=body["trigger_id"], view=import_form(dm))

    _from_home("home import form", who, client, work)


def subscribe_clicked(body: dict[str, Any], client: WebClient, who: Viewer) -> None:
    def work() -> None:
        client.views_open(trigger_id=body["trigger_id"], view=subscribe_form())

    _from_home("home subscribe form", who, client, work)


def subscribe_submitted(
    view: dict[str, Any], client: WebClient, services: Services, who: Viewer
) -> None:
    """The form's channel subscribed as `/digest subscribe` would; the answer comes by DM."""
    channel = chosen_channel(view.get("state", {}))
    if channel is None:
        return

    def work() -> None:
        request = CommandRequest(
            team_id=who.team_id,
            user_id=who.user_id,
            channel_id=channel,
            args="",
            slack=client,
            is_admin=who.is_admin,
        )
        tell(client, who.user_id, digests.subscribe(services, request))

    _from_home("home subscribe", who, client, work)
